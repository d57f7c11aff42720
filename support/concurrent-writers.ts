import { mulberry32 } from './synthetic.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/**
 * Several clients write the same catalog at once through the real server (upserts of 1–300
 * products drawn from a shared pool of ids, with new titles and intentions each time, and 20 %
 * deletes). Afterwards every product's state must equal what its last acknowledged write left
 * (or one of the concurrent last writes, whose order the server chose), every live product must
 * be found by /align for its own title, no deleted product may be returned, and no call may take
 * longer than the watchdog allows: a hung server is a failure, not a stalled run.
 */

export interface WritersOptions {
  seed: number;
  writers?: number;
  requestsPerWriter?: number;
  poolSize?: number;
  maxBatch?: number;
  deleteShare?: number;
  /** Longest any one HTTP call may take before the run counts the server as hung. */
  callTimeoutMs?: number;
  dataDir: string;
  env?: Record<string, string>;
}

export interface WritersReport {
  seed: number;
  requests: number;
  acknowledged: number;
  /** Writes answered with anything but success (a 5xx, or a 4xx to valid input). */
  failed: string[];
  /** Calls that did not answer within callTimeoutMs. */
  hung: string[];
  /** Products whose final state is none of the states their last acknowledged writes allow. */
  mismatched: string[];
  /** Live products /align does not return for their own title. */
  unfound: string[];
  /** Deleted products that /align returned. */
  deletedReturned: string[];
  ms: number;
}

interface Put {
  id: string;
  title: string;
  intentions: string[];
}

interface Op {
  value: Put | null; // null: deleted
  start: number;
  end: number;
}

const WORDS = [
  'anchor',
  'blossom',
  'canyon',
  'drizzle',
  'emerald',
  'festival',
  'glacier',
  'harvest',
  'island',
  'jasmine',
  'kettle',
  'lantern',
  'meadow',
  'nutmeg',
  'orchard',
  'pebble',
  'quill',
  'ripple',
  'summit',
  'thistle',
  'upland',
  'valley',
  'walnut',
  'yonder',
];

export async function runConcurrentWriters(options: WritersOptions): Promise<WritersReport> {
  const o = { writers: 4, requestsPerWriter: 40, poolSize: 800, maxBatch: 300, deleteShare: 0.2, callTimeoutMs: 30_000, ...options };
  const random = mulberry32(o.seed);
  const report: WritersReport = {
    seed: o.seed,
    requests: 0,
    acknowledged: 0,
    failed: [],
    hung: [],
    mismatched: [],
    unfound: [],
    deletedReturned: [],
    ms: 0,
  };
  const started = Date.now();
  const ids = Array.from({ length: o.poolSize }, (_, i) => `w${i}`);
  const ops = new Map<string, Op[]>();
  const server = await startServerProcess({
    EMBEDDER: 'lexical',
    DATA_DIR: o.dataDir,
    LOG_LEVEL: 'error',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    SNAPSHOT_INTERVAL_S: '1',
    INDEX_CHECK_INTERVAL_S: '1',
    ...o.env,
  });
  let hungServer = false;
  const call = async (what: string, path: string, init: RequestInit = {}): Promise<Response | undefined> => {
    if (hungServer) return undefined;
    report.requests++;
    try {
      return await fetch(`${server.url}${path}`, { ...init, signal: AbortSignal.timeout(o.callTimeoutMs) });
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        report.hung.push(`${what}: no answer within ${o.callTimeoutMs} ms`);
        hungServer = true;
      } else {
        report.failed.push(`${what}: ${(err as Error).message}`);
      }
      return undefined;
    }
  };
  try {
    let version = 0;
    const writer = async (w: number) => {
      for (let r = 0; r < o.requestsPerWriter && !hungServer; r++) {
        if (random() < o.deleteShare) {
          const id = ids[Math.floor(random() * ids.length)];
          const start = performance.now();
          const res = await call(`DELETE ${id}`, `/products/${id}`, { method: 'DELETE' });
          if (!res) continue;
          await res.arrayBuffer();
          if (res.status === 204 || res.status === 404) record(ops, id, null, start);
          else report.failed.push(`DELETE ${id}: ${res.status}`);
          continue;
        }
        const size = 1 + Math.floor(random() * o.maxBatch);
        const chosen = new Set<string>();
        while (chosen.size < Math.min(size, ids.length)) chosen.add(ids[Math.floor(random() * ids.length)]);
        const products: Put[] = [...chosen].map((id) => {
          const v = ++version;
          const words = Array.from({ length: 3 }, () => WORDS[Math.floor(random() * WORDS.length)]);
          const intentions = Array.from(
            { length: Math.floor(random() * 4) },
            (_, j) => `because they want ${words[j % 3]} ${WORDS[Math.floor(random() * WORDS.length)]} ${id} ${v}`,
          );
          return { id, title: `${words.join(' ')} item ${id} version ${v} writer ${w}`, intentions };
        });
        const start = performance.now();
        const res = await call(`POST ${products.length} products`, '/products', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ products }),
        });
        if (!res) continue;
        const body = await res.text();
        if (res.status === 200) {
          report.acknowledged++;
          for (const p of products) record(ops, p.id, p, start);
        } else {
          report.failed.push(`POST ${products.length} products: ${res.status} ${body.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: o.writers }, (_, w) => writer(w)));
    if (hungServer) return report;

    // Final states against the acknowledged history.
    const live = new Map<string, Put>();
    for (const id of ids) {
      const res = await call(`GET ${id}`, `/products/${id}`);
      if (!res) return report;
      const actual = res.status === 200 ? ((await res.json()) as Put) : (await res.arrayBuffer(), null);
      if (actual) live.set(id, actual);
      const allowed = lastWrites(ops.get(id) ?? []);
      const ok = allowed.length === 0 ? actual === null : allowed.some((op) => sameState(op.value, actual));
      if (!ok)
        report.mismatched.push(
          `${id}: got ${actual ? actual.title : 'absent'}, allowed ${allowed.map((a) => a.value?.title ?? 'absent').join(' | ') || 'absent'}`,
        );
    }
    // Every live product is found by its own title, by the vector index, by BM25 and by both fused;
    // nothing returned is deleted (the BM25 index is kept by triggers in the writes' transactions).
    const liveIds = [...live.keys()];
    const modes = [{ threshold: -1 }, { retrieval: 'lexical', threshold: 0 }, { retrieval: 'hybrid', fusion: 'rrf' }];
    for (const mode of modes)
      for (let i = 0; i < liveIds.length; i += 64) {
        const chunk = liveIds.slice(i, i + 64);
        const res = await call('POST /align', '/align', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ steps: chunk.map((id) => live.get(id)!.title), k: 3, match: 'titles', ...mode }),
        });
        if (!res) return report;
        if (res.status !== 200) {
          report.failed.push(`POST /align: ${res.status} ${(await res.text()).slice(0, 200)}`);
          continue;
        }
        const steps = ((await res.json()) as { steps: { products: { productId: string; title: string; score: number }[] }[] }).steps;
        chunk.forEach((id, j) => {
          const found = steps[j].products.map((p) => p.productId);
          if (!found.includes(id)) {
            const top = steps[j].products.map((p) => `${p.productId} ${p.score.toFixed(4)} "${p.title}"`).join('; ');
            report.unfound.push(`${JSON.stringify(mode)} ${id} "${live.get(id)!.title}" (returned: ${top})`);
          }
          for (const other of found) if (!live.has(other)) report.deletedReturned.push(other);
        });
      }
    return report;
  } finally {
    report.ms = Date.now() - started;
    await stopOrKill(server, hungServer);
  }
}

function record(ops: Map<string, Op[]>, id: string, value: Put | null, start: number): void {
  const list = ops.get(id) ?? [];
  list.push({ value, start, end: performance.now() });
  ops.set(id, list);
}

/**
 * The writes whose effect may be the final state: those not followed by another acknowledged
 * write that started after they were acknowledged (that one must have been applied later).
 */
function lastWrites(list: Op[]): Op[] {
  return list.filter((op) => !list.some((other) => other !== op && other.start > op.end));
}

function sameState(expected: Put | null, actual: Put | null): boolean {
  if (expected === null || actual === null) return expected === actual;
  return expected.title === actual.title && JSON.stringify(expected.intentions) === JSON.stringify(actual.intentions);
}

async function stopOrKill(server: ServerProcess, hung: boolean): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  if (hung) return server.kill();
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 15_000);
  await server.stop();
  clearTimeout(timer);
}
