import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Product } from '../../src/core/product.js';
import { mulberry32 } from '../../support/synthetic.js';

/**
 * A larger catalog made from the sample one, for benchmarks: copy c of each sample product gets
 * its own id and every intention a different qualifier, so copies embed to distinct vectors
 * (identical texts would make every query tie between copies, which real catalogs don't do).
 */
const QUALIFIERS = [
  'for a family of four',
  'on a tight budget',
  'for a small apartment',
  'as a gift for a friend',
  'for the first time',
  'before the holidays',
  'for a weekend trip',
  'for everyday use',
  'for their parents',
  'in a hurry',
  'for a new home',
  'for a big group',
  'while travelling',
  'for the summer',
  'for the winter',
  'at the office',
  'with young kids',
  'for a special occasion',
  'to replace an old one',
  'as a backup',
  'for outdoor use',
  'for a beginner',
  'like a professional',
  'for a college dorm',
  'for a road trip',
  'for the garage',
  'for a rental',
  'for a party',
  'for a long weekend',
  'to save time',
];

export function readSample<T = Product>(name: 'catalog.jsonl' | 'scripts.jsonl'): T[] {
  const path = fileURLToPath(new URL(`../../data/sample/${name}`, import.meta.url));
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);
}

/** Yields `copies` × the sample catalog, deterministic for a seed. */
export function* scaledCatalog(copies: number, seed = 1): Generator<Product> {
  const sample = readSample('catalog.jsonl');
  const random = mulberry32(seed);
  for (let c = 0; c < copies; c++) {
    for (const p of sample) {
      yield {
        ...p,
        id: c === 0 ? p.id : `${p.id}~${c}`,
        title: c === 0 ? p.title : `${p.title} (${c})`,
        intentions: c === 0 ? p.intentions : p.intentions.map((i) => `${i} ${QUALIFIERS[Math.floor(random() * QUALIFIERS.length)]}`),
      };
    }
  }
}

/** Writes the scaled catalog as JSONL (streaming, with back-pressure) and counts what it wrote. */
export async function writeScaledCatalog(file: string, copies: number): Promise<{ products: number; intentions: number }> {
  const out = createWriteStream(file);
  let products = 0;
  let intentions = 0;
  for (const p of scaledCatalog(copies)) {
    products++;
    intentions += p.intentions.length;
    if (!out.write(`${JSON.stringify(p)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { products, intentions };
}
