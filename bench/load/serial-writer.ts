import type { Product } from '../../src/core/product.js';

/**
 * One client writing the catalog as fast as the server lets it: a batch to POST /products, the
 * next as soon as the answer is in, never two in flight. It is the bulk-import client the issue is
 * about; its pace is whatever the server's write path sustains.
 */

export interface WriterOptions {
  url: string;
  headers: Record<string, string>;
  /** The next batch (new, unique ids each time); undefined when there is nothing more to write. */
  nextBatch: () => Product[] | undefined;
  /** Stops sending new batches once this many ms have passed since the start (default: until the batches run out). */
  durationMs?: number;
  /** Pause before re-sending a batch that was shed (503): a real client backs off, it does not spin. */
  retryPauseMs?: number;
  timeoutMs?: number;
  /** Refusals in a row (503s, errors) after which the run fails: a server that sheds every write must not hang the benchmark. */
  maxConsecutiveRefusals?: number;
}

export interface WriterTally {
  requests: number;
  /** Answers by status; 0 counts transport errors and timeouts. */
  statuses: Record<string, number>;
  /** 503 answers (load shed). */
  shed: number;
  acknowledgedProducts: number;
  acknowledgedIntentions: number;
  /** From the first send to the last answer (may end after durationMs by up to one batch). */
  seconds: number;
  /** Latency of each acknowledged batch, ms. */
  batchLatenciesMs: number[];
}

export async function runSerialWriter(o: WriterOptions): Promise<WriterTally> {
  const tally: WriterTally = {
    requests: 0,
    statuses: {},
    shed: 0,
    acknowledgedProducts: 0,
    acknowledgedIntentions: 0,
    seconds: 0,
    batchLatenciesMs: [],
  };
  const started = performance.now();
  const durationMs = o.durationMs ?? Infinity;
  let refusals = 0;
  let batch = o.nextBatch();
  while (batch !== undefined && performance.now() - started < durationMs) {
    const body = JSON.stringify({ products: batch });
    const sent = performance.now();
    let status: number;
    let text = '';
    try {
      const res = await fetch(`${o.url}/products`, {
        method: 'POST',
        headers: o.headers,
        body,
        signal: AbortSignal.timeout(o.timeoutMs ?? 120_000),
      });
      text = await res.text();
      status = res.status;
    } catch {
      status = 0;
    }
    // A rejected batch (bad key, invalid product) would be retried forever: the benchmark is broken, stop.
    if (status >= 400 && status < 500 && status !== 429) throw new Error(`POST /products answered ${status}: ${text.slice(0, 300)}`);
    tally.requests++;
    tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
    if (status === 200) {
      tally.batchLatenciesMs.push(performance.now() - sent);
      tally.acknowledgedProducts += batch.length;
      tally.acknowledgedIntentions += batch.reduce((n, p) => n + p.intentions.length, 0);
      batch = o.nextBatch();
      refusals = 0;
    } else {
      if (status === 503) tally.shed++;
      if (++refusals >= (o.maxConsecutiveRefusals ?? 300))
        throw new Error(`POST /products refused ${refusals} times in a row (last: ${status} ${text.slice(0, 200)})`);
      // The same batch again after a pause (a 503 or a failed call wrote nothing we can count on).
      await new Promise((r) => setTimeout(r, o.retryPauseMs ?? 100));
    }
  }
  tally.seconds = (performance.now() - started) / 1000;
  return tally;
}

/** Writes that were neither acknowledged (200) nor shed (503): other statuses, transport errors, timeouts. */
export function failedWrites(tally: WriterTally): number {
  return tally.requests - (tally.statuses['200'] ?? 0) - tally.shed;
}
