import { z } from 'zod';
import { scoringOf } from '../align/script-schema.js';
import { buildBenchmark } from '../app/build-benchmark/build-benchmark.js';
import { defineCommand } from './command.js';
import {
  kOption,
  rankFusionProblem,
  scoringOptions,
  scoringProblems,
  scriptBatchSize,
  storeOptions,
  thresholdOption,
} from './common-options.js';
import { existing, numeric, text } from './options.js';
import { printSummary } from './with-services.js';

/**
 * `ecomalign build-benchmark`: T1/T2/T3 candidate sets, their annotation CSVs and stats.json. The
 * command reads its options and prints the summary; the use case is app/build-benchmark/.
 */
export const buildBenchmarkCommand = defineCommand({
  name: 'build-benchmark',
  summary: 'T1/T2/T3 candidate sets, CSVs, stats.json',
  options: {
    scripts: existing('scripts, one JSON object per line', 'S.jsonl'),
    out: text('directory the sets, the annotation CSVs and stats.json are written to', 'DIR'),
    k: kOption,
    threshold: thresholdOption,
    'negatives-per-positive': numeric('negatives drawn per positive', z.number().min(0).max(100).default(2)),
    'hard-fraction': numeric(
      'share of the negatives that are hard (scored just below the threshold)',
      z.number().min(0).max(1).default(0.5),
      'F',
    ),
    'hard-margin': numeric('how far below the threshold a hard negative may score', z.number().min(0).max(2).default(0.15), 'M'),
    'hard-pool': numeric('ranks searched beyond k for hard negatives', z.number().int().min(0).max(1000).default(20)),
    't3-products-per-step': numeric('products per step in a T3 set', z.number().int().min(1).max(100).default(1)),
    seed: numeric(
      'seed of every draw: the same inputs and seed give byte-identical files',
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 32 - 1)
        .default(1),
    ),
    ...scoringOptions,
    'batch-size': scriptBatchSize,
    ...storeOptions,
  },
  refine: (o) => [
    ...scoringProblems(o),
    ...rankFusionProblem(o, 'T1/T2/T3 need one: positives are the products at or above it, hard negatives those just below it'),
  ],
  run: (o, context) =>
    printSummary(context, (services) =>
      buildBenchmark(services.embedder, services.store, {
        scripts: o.scripts,
        outDir: o.out,
        k: o.k,
        threshold: o.threshold ?? services.aligner.thresholdFor(scoringOf(o))!,
        scoring: scoringOf(o),
        negativesPerPositive: o['negatives-per-positive'],
        hardFraction: o['hard-fraction'],
        hardMargin: o['hard-margin'],
        hardPool: o['hard-pool'],
        t3ProductsPerStep: o['t3-products-per-step'],
        seed: o.seed,
        batchSize: o['batch-size'],
        stderr: context.stderr,
      }),
    ),
});
