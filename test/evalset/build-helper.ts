import { Writable } from 'node:stream';
import { join } from 'node:path';
import { buildBenchmark, type BuildBenchmarkOptions } from '../../src/app/build-benchmark/build-benchmark.js';
import type { T1Record, T2Record, T3Record } from '../../src/evalset/types.js';
import { readJsonl, sampleScriptsFile, type sampleStore } from './sample-store.js';

export const silent = () => new Writable({ write: (_c, _e, done) => done() });

export const DEFAULTS = {
  k: 5,
  threshold: 0.3,
  negativesPerPositive: 2,
  hardFraction: 0.5,
  hardMargin: 0.15,
  hardPool: 20,
  t3ProductsPerStep: 1,
  seed: 7,
  batchSize: 8,
};

/** Builds a benchmark in-process from the sample scripts and reads the three record files back. */
export async function build(s: Awaited<ReturnType<typeof sampleStore>>, name: string, overrides: Partial<BuildBenchmarkOptions> = {}) {
  const outDir = join(s.dir, name);
  const options: BuildBenchmarkOptions = { ...DEFAULTS, scripts: sampleScriptsFile, outDir, stderr: silent(), ...overrides };
  const summary = await buildBenchmark(s.embedder, s.store, options);
  return {
    options,
    summary,
    outDir,
    t1: readJsonl<T1Record>(join(outDir, 't1.jsonl')),
    t2: readJsonl<T2Record>(join(outDir, 't2.jsonl')),
    t3: readJsonl<T3Record>(join(outDir, 't3.jsonl')),
  };
}

export function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}
