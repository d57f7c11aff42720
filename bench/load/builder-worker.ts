/**
 * Worker-thread entry of bench/load/builder-pool.ts: runs `clients` builder loops and posts their
 * results. Builders live off the main thread because parsing a 4,096-step answer (~23 MB of JSON)
 * blocks an event loop for a good part of a second, and the probe on the main thread would count
 * that as server latency.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runBuilderLoop, type BuilderLoopOptions, type BuilderLoopResult } from './builder-loop.js';

export interface BuilderWorkerData {
  clients: number;
  loop: BuilderLoopOptions;
}

export type BuilderWorkerMessage = { results: BuilderLoopResult[] } | { error: string };

const data = workerData as BuilderWorkerData;
try {
  const results = await Promise.all(
    Array.from({ length: data.clients }, (_, i) => runBuilderLoop({ ...data.loop, tagPrefix: `${data.loop.tagPrefix}c${i}` })),
  );
  parentPort!.postMessage({ results } satisfies BuilderWorkerMessage);
} catch (err) {
  parentPort!.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies BuilderWorkerMessage);
}
