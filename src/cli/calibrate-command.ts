import { z } from 'zod';
import { AGGREGATIONS } from '../align/scoring/aggregate.js';
import { alignOptionsShape, scoringOf } from '../align/script-schema.js';
import { sweptAggregations } from '../app/calibrate/aggregate-choice.js';
import { calibrate } from '../app/calibrate/calibrate.js';
import { executableSearchPath } from '../config.js';
import { defineCommand } from './command.js';
import { rankFusionProblem, scoringOptions, scoringProblems, storeOptions } from './common-options.js';
import { readLabelFile } from './label-file.js';
import { choice, existing, numeric, text } from './options.js';
import { printSummary } from './with-services.js';

/**
 * `ecomalign calibrate`: the threshold sweep report of labelled step–product pairs (JSONL or CSV).
 * The command reads its options and the labels file, and prints the summary; the use case is
 * app/calibrate/calibrate.ts.
 */
export const calibrateCommand = defineCommand({
  name: 'calibrate',
  summary: 'threshold sweep report from labelled pairs (JSONL or CSV)',
  options: {
    labels: existing('labelled pairs: JSONL, or CSV with step, productId and label columns', 'LABELS.jsonl'),
    out: text('directory the report and its plots are written to', 'DIR', 'calibration'),
    'min-precision': numeric('also report the lowest threshold that reaches this precision', z.number().min(0).max(1).optional(), 'P'),
    k: numeric('products per step counted for the products-per-step curve', alignOptionsShape.k.unwrap().default(50)),
    ...scoringOptions,
    aggregate: choice(
      "how a product's intentions make its score: its best one, the mean of all, the mean of its m best, or all three swept side by side (one folder each)",
      z.enum([...AGGREGATIONS, 'all']).default('max'),
      'HOW',
    ),
    m: numeric('the m of --aggregate topm (default 3); only with topm or all', alignOptionsShape.m, 'M'),
    ...storeOptions,
  },
  refine: (o) => {
    const swept = sweptAggregations(o.aggregate);
    return [
      // --m is topm's: it is allowed when topm is among the aggregations swept.
      ...scoringProblems({ ...o, aggregate: swept.includes('topm') ? 'topm' : swept[0] }),
      ...rankFusionProblem(o, 'calibrate sweeps thresholds: there is none to calibrate'),
    ];
  },
  run: (o, context) =>
    printSummary(context, async (services) =>
      calibrate(services.embedder, services.store, await readLabelFile(o.labels), {
        outDir: o.out,
        minPrecision: o['min-precision'],
        perStepK: o.k,
        // The aggregate is the use case's to apply, one swept aggregation at a time.
        scoring: scoringOf({ ...o, aggregate: sweptAggregations(o.aggregate)[0] }),
        aggregate: o.aggregate,
        currentThreshold: (scoring) => services.aligner.thresholdFor(scoring),
        stderr: context.stderr,
        pathEnv: executableSearchPath(),
      }),
    ),
});
