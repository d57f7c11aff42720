import http from 'node:http';
import { postBatch, type ShapeCheck } from './batch-request.js';
import { bulkBatch, type BulkBatchShape } from './bulk-batches.js';

/**
 * One benchmark-builder client, closed loop: a POST /align/batch, the next as soon as the last is
 * answered, never two in flight, each with new steps. A polite builder (`retryOn503`) waits the
 * 503's Retry-After and sends the same batch again (nothing of it was served); an impolite one (the
 * overload run) sends its next batch at once. It stops sending after `durationMs` (having sent at
 * least one) and finishes the request in flight.
 */

export interface BuilderLoopOptions {
  url: string;
  durationMs: number;
  shape: BulkBatchShape;
  /** Makes request tags unique across clients, workers and scenarios. */
  tagPrefix: string;
  retryOn503: boolean;
  check: 'parse' | 'ends';
  timeoutMs: number;
}

export interface BatchSample {
  /** Send time, ms after the loop started. */
  atMs: number;
  latencyMs: number;
  status: number;
  /** Steps in the batch (counted as served only on a 200). */
  steps: number;
  /** Body bytes received. */
  bytes: number;
  /** Products in the answer (parsed 200s only). */
  products?: number;
  /** What went wrong when status is 0. */
  error?: string;
}

export interface BuilderLoopResult {
  samples: BatchSample[];
  /** 200s whose body was not the answer asked for (count, and the first reason). */
  shapeErrors: number;
  firstShapeError?: string;
}

/** A 503 without a usable Retry-After is retried after this long: a real client backs off, it does not spin. */
const DEFAULT_RETRY_S = 1;
/** Pause after a transport error or a 5xx other than 503, so a dead server fails the run instead of spinning it. */
const ERROR_PAUSE_MS = 100;

export async function runBuilderLoop(o: BuilderLoopOptions): Promise<BuilderLoopResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const url = new URL(o.url);
  const steps = o.shape.scripts * o.shape.stepsPerScript;
  const check: ShapeCheck =
    o.check === 'parse' ? { kind: 'parse', scripts: o.shape.scripts, stepsPerScript: o.shape.stepsPerScript } : { kind: 'ends' };
  const result: BuilderLoopResult = { samples: [], shapeErrors: 0 };
  const started = performance.now();
  let n = 0;
  const batchBody = () => JSON.stringify(bulkBatch(`${o.tagPrefix}-${n++}`, o.shape));
  let body = batchBody();
  try {
    // At least one request, however short the run (the warm-up sends exactly one).
    while (result.samples.length === 0 || performance.now() - started < o.durationMs) {
      const atMs = performance.now() - started;
      const pending = postBatch(agent, url, body, check, o.timeoutMs);
      // The next batch is made while this one is served, so the client's own work does not pace the loop.
      const next = batchBody();
      const answer = await pending;
      result.samples.push({
        atMs,
        latencyMs: answer.latencyMs,
        status: answer.status,
        steps,
        bytes: answer.bytes,
        products: answer.products,
        error: answer.error,
      });
      // A refused batch means the benchmark itself is wrong (schema, limits): stop rather than measure refusals.
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429)
        throw new Error(`POST /align/batch answered ${answer.status}: ${answer.excerpt ?? ''}`);
      if (answer.shapeError !== undefined) {
        result.shapeErrors++;
        result.firstShapeError ??= answer.shapeError;
      }
      if (answer.status === 503 && o.retryOn503) {
        await new Promise((r) => setTimeout(r, (answer.retryAfterS ?? DEFAULT_RETRY_S) * 1000));
        continue; // the same batch again (`next` is thrown away: tags only need to be unique)
      }
      if (answer.status !== 200 && answer.status !== 503) await new Promise((r) => setTimeout(r, ERROR_PAUSE_MS));
      body = next;
    }
  } finally {
    agent.destroy();
  }
  return result;
}
