import type { CatalogService } from '../catalog/catalog-service.js';
import type { Product } from '../core/product.js';
import { productInputSchema } from '../catalog/product-schema.js';
import { CommandFailure, defineCommand } from './command.js';
import { productBatchSize, storeOptions } from './common-options.js';
import { parseLine, readLines } from '../util/jsonl.js';
import { existing, flag } from './options.js';
import { Progress } from '../util/progress.js';
import { printSummary } from './with-services.js';

export interface IngestOptions {
  file: string;
  strict: boolean;
  batchSize: number;
  /** Where progress and bad-line reports go. */
  stderr: NodeJS.WritableStream;
  plainIntervalMs?: number;
}

export interface IngestSummary {
  lines: number;
  products: number;
  upserted: number;
  unchanged: number;
  intentionsIndexed: number;
  badLines: number;
  seconds: number;
  intentionsPerSecond: number;
}

export class StrictIngestError extends CommandFailure {}

/**
 * Streams products from a JSONL file into the catalog in batches. Bad lines are reported by line
 * number and skipped; with `strict`, the file is validated completely first and nothing is written
 * when any line is bad.
 */
export async function ingestFile(catalog: CatalogService, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  if (options.strict) {
    const errors: string[] = [];
    for await (const line of readLines(options.file)) {
      const parsed = parseLine(productInputSchema, line);
      if (!parsed.ok) errors.push(parsed.error);
    }
    if (errors.length) {
      const shown = errors.slice(0, 20).join('\n  ');
      const more = errors.length > 20 ? `\n  … and ${errors.length - 20} more` : '';
      throw new StrictIngestError(`${errors.length} bad line(s) in ${options.file}; nothing was written (--strict):\n  ${shown}${more}`);
    }
  }
  const progress = Progress.overFile('ingest', options.file, 'products', options);
  const summary = { lines: 0, products: 0, upserted: 0, unchanged: 0, intentionsIndexed: 0, badLines: 0 };
  let batch: Product[] = [];
  let batchBytes = 0;
  const flush = async () => {
    if (!batch.length) return;
    const result = await catalog.upsert(batch);
    summary.upserted += result.upserted;
    summary.unchanged += result.unchanged;
    summary.intentionsIndexed += result.intentionsIndexed;
    progress.update(batchBytes, batch.length);
    batch = [];
    batchBytes = 0;
  };
  for await (const line of readLines(options.file)) {
    summary.lines++;
    batchBytes += line.bytes;
    const parsed = parseLine(productInputSchema, line);
    if (!parsed.ok) {
      summary.badLines++;
      options.stderr.write(`skipped ${parsed.error}\n`);
      continue;
    }
    summary.products++;
    batch.push(parsed.value);
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  return { ...summary, seconds, intentionsPerSecond: seconds > 0 ? summary.intentionsIndexed / seconds : 0 };
}

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
