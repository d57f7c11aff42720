/**
 * The default run's report (bench/results/latest.*): the index and the service benchmark, and the
 * bulk alignment benchmark's own files (bulk-latest.*, bulk-minilm.*), one renderer for the three.
 */
import { embedderOf, positiveInt } from './harness/args.js';
import type { BenchContext } from './harness/bench-context.js';
import { writeResult } from './harness/results.js';
import { runMeta } from './harness/run-meta.js';
import { renderReport } from './latest-report.js';
import { runBulkAlignBench } from './service/bulk-align-bench.js';
import { runServiceBench } from './service/service-bench.js';
import { runIndexBench } from './store/index-bench.js';

export async function runLatest(ctx: BenchContext, parts: { index: boolean; service: boolean }): Promise<string[]> {
  const { args, quick, log } = ctx;
  const meta = runMeta(ctx.command);
  const index = parts.index
    ? await runIndexBench({ sizes: quick ? [100_000] : [100_000, 1_000_000], queries: 200, dimension: 384, seed: 42, log })
    : undefined;
  const service = parts.service
    ? await runServiceBench({
        copies: positiveInt(args.copies, 'copies', 30),
        durationSeconds: positiveInt(args.duration, 'duration', quick ? 5 : 10),
        connections: positiveInt(args.connections, 'connections', 32),
        log,
      })
    : undefined;
  return writeResult('latest', { meta, index, service }, renderReport(meta, index, service));
}

/**
 * Bulk alignment ingests ≥ 1M intentions (minutes): only on request. `--embedder minilm` runs the
 * shipped model on a smaller catalog (its ingest embeds every distinct intention), with scripts
 * enough for ≥ 100k steps; each embedder has its own result files.
 */
export async function runBulk(ctx: BenchContext): Promise<string[]> {
  const { args, quick, log } = ctx;
  const minilm = embedderOf(args) === 'minilm';
  const meta = runMeta(ctx.command);
  const bulk = await runBulkAlignBench({
    copies: positiveInt(args.copies, 'copies', minilm || quick ? 13 : 650),
    scripts: positiveInt(args.scripts, 'scripts', quick ? 2_000 : minilm ? 20_000 : 100_000),
    batchSize: positiveInt(args['batch-size'], 'batch-size', 256),
    minilmTextsPerSecond:
      args['minilm-texts-per-second'] === undefined
        ? undefined
        : positiveInt(args['minilm-texts-per-second'], 'minilm-texts-per-second', 1),
    ...(minilm ? { embedder: 'minilm' as const } : {}),
    log,
  });
  return writeResult(minilm ? 'bulk-minilm' : 'bulk-latest', { meta, bulk }, renderReport(meta, undefined, undefined, bulk));
}
