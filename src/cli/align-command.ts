import { alignFile } from '../app/align-file/align-file.js';
import { alignOptionsShape, scoringOf } from '../align/script-schema.js';
import { defineCommand } from './command.js';
import { kOption, scoringOptions, scoringProblems, scriptBatchSize, storeOptions, thresholdOption } from './common-options.js';
import { choice, existing, flag, list, text } from './options.js';
import { printSummary } from './with-services.js';

/** `ecomalign align`: the bulk-alignment use case (app/align-file/) from the command line. */
export const alignCommand = defineCommand({
  name: 'align',
  summary: 'bulk-align scripts, resumable',
  operands: { scripts: existing('scripts, one JSON object per line', 'SCRIPTS.jsonl') },
  options: {
    out: text('results, one line per script; a rerun resumes after the scripts already there', 'OUT.jsonl'),
    k: kOption,
    threshold: thresholdOption,
    match: choice('product texts the steps are matched against', alignOptionsShape.match, 'MODE'),
    categories: list('only products in any of these categories', alignOptionsShape.filter.unwrap().shape.categories),
    ...scoringOptions,
    'batch-size': scriptBatchSize,
    strict: flag('stop at the first bad line instead of skipping it'),
    ...storeOptions,
  },
  refine: (o) => scoringProblems(o),
  run: (o, context) =>
    printSummary(context, (services) =>
      alignFile(services.aligner, {
        scripts: o.scripts,
        out: o.out,
        align: {
          k: o.k,
          threshold: o.threshold,
          match: o.match,
          filter: o.categories ? { categories: o.categories } : undefined,
          scoring: scoringOf(o),
        },
        batchSize: o['batch-size'],
        strict: o.strict,
        stderr: context.stderr,
      }),
    ),
});
