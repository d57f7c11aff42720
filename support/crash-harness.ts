import { join } from 'node:path';
import { LEXICAL_EMBEDDER_ID } from '../src/embedding/lexical/lexical-embedder.js';
import { defaultAnnIndexFactory } from '../src/store/ann/default-index.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';
import { startServerProcess } from './server-process.js';

/**
 * Crash safety of the real server: ingest over HTTP in a loop, SIGKILL the process at a random
 * moment, then check that every write the server acknowledged (a 200 to POST /products) survived.
 *
 * Each round: (1) open the store in-process, which is the recovery under test, and check that
 * every acknowledged product is there and that the ANN indexes hold exactly the catalog's texts;
 * (2) start the server on it and check, over HTTP, that a sample of acknowledged products is
 * returned by /align for its own unique intention (so it is in the index, not only in SQLite);
 * (3) write with concurrent clients and kill the server mid-stream. Every other kill waits until
 * /readyz reports texts still waiting for the search worker's background move into HNSW (large
 * batches keep it behind), so the background indexing path is killed too, not only the write path.
 */

export interface CrashOptions {
  dataDir: string;
  kills: number;
  /** Deterministic randomness for kill timing and sampling. */
  random: () => number;
  apiKey?: string;
  /** Products checked over HTTP per round (all are checked in-process). */
  httpSample?: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  kills: number;
  acknowledgedProducts: number;
  lostProducts: string[];
  unsearchable: string[];
  /** Rounds where index sizes and catalog counts differed after recovery. */
  indexMismatches: string[];
  /** Kills made while /readyz reported texts waiting for the background move into HNSW. */
  killsDuringBacklog: number;
  failedOpens: string[];
}

const BATCH = 25;
/** Batches in backlog rounds: large enough that the worker's HNSW inserts fall behind the writers. */
const BACKLOG_BATCH = 300;
const WRITERS = 2;

const WORDS = [
  'amber',
  'basil',
  'cedar',
  'delta',
  'ember',
  'fjord',
  'gable',
  'harbor',
  'indigo',
  'juniper',
  'kelp',
  'lagoon',
  'maple',
  'nectar',
  'onyx',
  'pepper',
  'quartz',
  'raven',
  'saffron',
  'tundra',
  'umber',
  'velvet',
  'willow',
  'yarrow',
  'zephyr',
  'bramble',
  'cobalt',
  'dune',
  'falcon',
  'garnet',
  'hazel',
  'iris',
];

/**
 * A product whose intention is four words derived from its id plus the id itself, so probes are
 * spread out in vector space (thousands of near-identical probe texts would turn the check into a
 * test of ANN recall in a degenerate cluster, not of durability) and /align finds exactly it.
 */
export function crashProduct(id: string) {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  const words = [0, 5, 10, 15].map((shift) => WORDS[(h >>> shift) % WORDS.length]);
  return { id, title: `Crash probe ${id}`, category: 'probe', intentions: [`${words.join(' ')} ${id.replace(/[^a-z0-9]/gi, '')}`] };
}

export async function runCrashRounds(opts: CrashOptions): Promise<CrashReport> {
  const apiKey = opts.apiKey ?? 'crash-test-key-123';
  // Shedding off: on a busy machine a 503 to a verification request would read as a lost product.
  // One search worker whatever the core count, so the background path under test is the threaded one.
  const env = {
    EMBEDDER: 'lexical',
    DATA_DIR: opts.dataDir,
    LOG_LEVEL: 'error',
    SNAPSHOT_INTERVAL_S: '1',
    API_KEY: apiKey,
    MAX_EVENT_LOOP_DELAY_MS: '0',
    SEARCH_THREADS: '1',
  };
  const report: CrashReport = {
    kills: 0,
    acknowledgedProducts: 0,
    lostProducts: [],
    unsearchable: [],
    indexMismatches: [],
    failedOpens: [],
    killsDuringBacklog: 0,
  };
  const acknowledged: string[] = [];
  let nextBatch = 0;

  for (let round = 0; round <= opts.kills; round++) {
    // (1) Recovery in-process, straight after the kill.
    if (round > 0) {
      try {
        const store = await EmbeddedStore.open({
          dataDir: join(opts.dataDir, 'embedded'),
          modelId: LEXICAL_EMBEDDER_ID,
          dimension: 384,
          annFactory: defaultAnnIndexFactory({ efSearch: 128, efConstruction: 256 }),
        });
        try {
          const stats = await store.stats();
          const indexed = store.indexedCounts();
          if (indexed.intentions !== stats.intentions || indexed.titles !== stats.titles || stats.titles !== stats.products) {
            report.indexMismatches.push(`round ${round}: catalog ${JSON.stringify(stats)} vs index ${JSON.stringify(indexed)}`);
          }
          const present = await store.contentHashes(acknowledged);
          for (const id of acknowledged) if (!present.has(id)) report.lostProducts.push(id);
        } finally {
          await store.close();
        }
      } catch (err) {
        report.failedOpens.push(`round ${round}: ${(err as Error).message}`);
        break;
      }
    }

    // (2) The real server on the recovered store.
    const server = await startServerProcess(env);
    try {
      const sample = pickSample(acknowledged, opts.httpSample ?? 20, opts.random);
      for (const id of sample) {
        const res = await fetch(`${server.url}/align`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ steps: crashProduct(id).intentions, k: 1, threshold: 0.9 }),
        });
        const top = res.ok ? ((await res.json()) as { steps: { products: { productId: string }[] }[] }).steps[0].products[0] : undefined;
        if (top?.productId !== id) report.unsearchable.push(`${id} (top hit: ${top?.productId ?? 'none'}, status ${res.status})`);
      }
      if (round === opts.kills) break;

      // (3) Concurrent writers, then a SIGKILL at a random moment.
      let stop = false;
      const backlogRound = round % 2 === 1;
      const writer = async () => {
        while (!stop) {
          const batch = nextBatch++;
          const products = Array.from({ length: backlogRound ? BACKLOG_BATCH : BATCH }, (_, i) => crashProduct(`r${round}b${batch}p${i}`));
          try {
            const res = await fetch(`${server.url}/products`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
              body: JSON.stringify({ products }),
            });
            if (res.status === 200) acknowledged.push(...products.map((p) => p.id));
            else await res.arrayBuffer();
          } catch {
            return; // the connection died with the server: this batch was never acknowledged
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, writer);
      await new Promise((r) => setTimeout(r, 150 + Math.floor(opts.random() * 1200)));
      if (backlogRound && (await waitForBacklog(server.url, 5000))) report.killsDuringBacklog++;
      await server.kill();
      stop = true;
      await Promise.all(writers);
      report.kills++;
      opts.log?.(`kill ${report.kills}: ${acknowledged.length} products acknowledged so far`);
    } finally {
      if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
    }
  }
  report.acknowledgedProducts = acknowledged.length;
  return report;
}

/** Polls /readyz until the index reports texts waiting for HNSW; false if none showed in time. */
async function waitForBacklog(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/readyz`);
      const body = (await res.json()) as { index?: { pendingTexts?: number } };
      if ((body.index?.pendingTexts ?? 0) > 0) return true;
    } catch {
      return false;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return false;
}

function pickSample(ids: string[], n: number, random: () => number): string[] {
  if (ids.length <= n) return [...ids];
  // Always the newest (written just before the kill), plus a random spread of older ones.
  const out = new Set(ids.slice(-Math.ceil(n / 2)));
  while (out.size < n) out.add(ids[Math.floor(random() * ids.length)]);
  return [...out];
}
