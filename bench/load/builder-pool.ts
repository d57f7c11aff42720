import { spawnWorker } from '../../src/util/spawn-worker.js';
import type { BuilderLoopOptions, BuilderLoopResult } from './builder-loop.js';
import type { BuilderWorkerData, BuilderWorkerMessage } from './builder-worker.js';

/**
 * Builder clients spread over worker threads (see builder-worker.ts for why not on the main
 * thread): `clients` closed loops over `workers` threads, results of every loop once all are done.
 * Wall time runs from the start to the last answer, so the request each loop finishes after
 * `durationMs` is inside it.
 */

export interface BuilderPoolResult {
  loops: BuilderLoopResult[];
  wallSeconds: number;
}

export async function runBuilderPool(clients: number, workers: number, loop: BuilderLoopOptions): Promise<BuilderPoolResult> {
  const started = performance.now();
  const perWorker = Array.from({ length: Math.min(workers, clients) }, (_, w) => Math.floor((clients + w) / Math.min(workers, clients)));
  const runs = perWorker.map((count, w) => {
    const data: BuilderWorkerData = { clients: count, loop: { ...loop, tagPrefix: `${loop.tagPrefix}w${w}` } };
    const worker = spawnWorker(import.meta.url, 'builder-worker', data);
    return new Promise<BuilderLoopResult[]>((resolve, reject) => {
      worker.once('message', (m: BuilderWorkerMessage) => {
        void worker.terminate();
        if ('error' in m) reject(new Error(`builder worker: ${m.error}`));
        else resolve(m.results);
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`builder worker exited ${code} before reporting`)));
    });
  });
  const loops = (await Promise.all(runs)).flat();
  return { loops, wallSeconds: (performance.now() - started) / 1000 };
}
