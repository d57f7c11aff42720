import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { Random } from '../../src/evalset/random.js';
import type { Product } from '../../src/core/product.js';
import { generatedScripts } from './generated-scripts.js';
import { readSample } from './scaled-catalog.js';

/**
 * Products shaped like the sample catalog but with a fixed number of intentions each (10 by
 * default, where the sample has ~5), for benchmarks that count intentions written per second.
 * Each intention is a sample intention of the same product plus a qualifier and an occasion, so
 * the texts read like the catalog and embed to distinct vectors (near-identical vectors would make
 * HNSW insertion unrepresentatively cheap or expensive). Ids carry a prefix so a preload and a
 * writer, or two writer batches, never upsert the same product.
 */

const QUALIFIERS = [
  'for a family of four',
  'on a tight budget',
  'for a small apartment',
  'as a gift for a friend',
  'for the first time',
  'for a weekend trip',
  'for everyday use',
  'for their parents',
  'in a hurry',
  'for a new home',
  'for a big group',
  'while travelling',
  'at the office',
  'with young kids',
  'to replace an old one',
  'as a backup',
  'for a beginner',
  'like a professional',
  'for a college dorm',
  'for a rental',
  'for a party',
  'to save time',
  'for a small budget',
];
const OCCASIONS = [
  'before the holidays',
  'this summer',
  'for the winter',
  'next month',
  'after moving in',
  'for a birthday',
  'before guests arrive',
  'on the weekend',
  'for the new school year',
  'after the old one broke',
  'for spring cleaning',
  'for a camping trip',
  'for a long drive',
  'for the garden',
  'for the garage',
  'for the patio',
  'for the kitchen',
];

export interface IntentionProductOptions {
  count: number;
  intentionsPerProduct?: number;
  /** Prefix of every id; distinct prefixes never collide. */
  idPrefix: string;
  /** Index of the first product: batches of one stream continue where the previous one ended. */
  start?: number;
  seed?: number;
}

// Read once: a writer asks for a batch every few hundred ms while a probe shares its event loop.
let sampleCatalog: Product[] | undefined;

export function* intentionProducts(o: IntentionProductOptions): Generator<Product> {
  const sample = (sampleCatalog ??= readSample('catalog.jsonl'));
  const per = o.intentionsPerProduct ?? 10;
  const start = o.start ?? 0;
  const random = Random.for(o.seed ?? 1, 'intention-products', o.idPrefix, start);
  for (let i = start; i < start + o.count; i++) {
    const base = sample[i % sample.length];
    const intentions = new Set<string>();
    // Distinct within the product: the store indexes each distinct intention once, and the rates count them.
    for (let j = 0; intentions.size < per; j++) {
      intentions.add(`${base.intentions[j % base.intentions.length]} ${random.pick(QUALIFIERS)} ${random.pick(OCCASIONS)}`);
    }
    yield {
      id: `${o.idPrefix}-${i}`,
      title: `${base.title} (${o.idPrefix} ${i})`,
      category: base.category,
      intentions: [...intentions],
      attributes: base.attributes,
    };
  }
}

/**
 * Batches of new products for a writer, `size` at a time, whose ids never repeat across the calls
 * of one source (an upsert of an existing id would be a different workload).
 */
export function productBatches(idPrefix: string): (size: number) => Product[] {
  let next = 0;
  return (size) => {
    const batch = [...intentionProducts({ count: size, idPrefix, start: next })];
    next += size;
    return batch;
  };
}

/** Writes products as JSONL (the `ecomalign ingest` format), with back-pressure; counts what it wrote. */
export async function writeProductsJsonl(file: string, products: Iterable<Product>): Promise<{ products: number; intentions: number }> {
  const out = createWriteStream(file);
  let count = 0;
  let intentions = 0;
  for (const p of products) {
    count++;
    intentions += p.intentions.length;
    if (!out.write(`${JSON.stringify(p)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { products: count, intentions };
}

/** `count` distinct step texts as scripts phrase them (generated from the sample scripts), for probe queries. */
export function probeSteps(count: number, seed: number): string[] {
  const steps = new Set<string>();
  for (const script of generatedScripts(count, seed)) {
    for (const step of script.steps) steps.add(step);
    if (steps.size >= count) break;
  }
  return [...steps].slice(0, count);
}
