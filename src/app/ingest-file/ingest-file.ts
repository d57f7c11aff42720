import type { CatalogService } from '../../catalog/catalog-service.js';
import { productInputSchema } from '../../catalog/product-schema.js';
import type { Product } from '../../core/product.js';
import { parseLine, readLines } from '../../util/jsonl.js';
import { Progress } from '../../util/progress.js';
import { LineBatches } from '../shared/line-batches.js';
import { UseCaseFailure } from '../shared/use-case-failure.js';

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

export class StrictIngestError extends UseCaseFailure {}

/**
 * The ingest use case: streams products from a JSONL file into the catalog in batches. Bad lines are reported by line
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
  const batches = new LineBatches<Product>(options.batchSize, progress, async (batch) => {
    const result = await catalog.upsert(batch);
    summary.upserted += result.upserted;
    summary.unchanged += result.unchanged;
    summary.intentionsIndexed += result.intentionsIndexed;
  });
  for await (const line of readLines(options.file)) {
    summary.lines++;
    batches.read(line.bytes);
    const parsed = parseLine(productInputSchema, line);
    if (!parsed.ok) {
      summary.badLines++;
      options.stderr.write(`skipped ${parsed.error}\n`);
      continue;
    }
    summary.products++;
    await batches.add(parsed.value);
  }
  await batches.flush();
  progress.finish();
  const seconds = (performance.now() - started) / 1000;
  return { ...summary, seconds, intentionsPerSecond: seconds > 0 ? summary.intentionsIndexed / seconds : 0 };
}
