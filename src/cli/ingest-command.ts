import { ingestFile } from '../app/ingest-file/ingest-file.js';
import { defineCommand } from './command.js';
import { productBatchSize, storeOptions } from './common-options.js';
import { existing, flag } from './options.js';
import { printSummary } from './with-services.js';

/** `ecomalign ingest`: the ingest use case (app/ingest-file/) from the command line. */
export const ingestCommand = defineCommand({
  name: 'ingest',
  summary: 'load products (one JSON object per line)',
  operands: { file: existing('products, one JSON object per line', 'FILE.jsonl') },
  options: {
    strict: flag('validate the whole file first; write nothing if any line is bad'),
    'batch-size': productBatchSize,
    ...storeOptions,
  },
  run: ({ file, strict, 'batch-size': batchSize }, context) =>
    printSummary(context, async (services) => {
      const summary = await ingestFile(services.catalog, { file, strict, batchSize, stderr: context.stderr });
      return { ...summary, store: await services.store.stats() };
    }),
});
