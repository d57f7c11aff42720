/**
 * How a threshold behaves on the sample data for the lexical embedder: per threshold, how many
 * products per step score above it and the share of steps that get at least one. This is how the
 * lexical default threshold (0.30) was chosen; run `npx tsx scripts/threshold-profile.ts`.
 * (Calibration from human labels is a separate command planned in the benchmark tooling.)
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dot } from '../src/core/vector-math.js';
import { LexicalEmbedder } from '../src/embedding/lexical/lexical-embedder.js';

const read = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../data/sample/${name}`, import.meta.url)), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));

const embedder = new LexicalEmbedder();
const products: { intentions: string[] }[] = read('catalog.jsonl');
const steps: string[] = read('scripts.jsonl').flatMap((s: { steps: string[] }) => s.steps);
const stepVectors = await embedder.embed(steps);
const productVectors = await Promise.all(products.map((p) => embedder.embed(p.intentions)));

const all: number[] = [];
const best: number[] = [];
for (const s of stepVectors) {
  const perProduct = productVectors.map((vs) => Math.max(...vs.map((v) => dot(s, v))));
  all.push(...perProduct);
  best.push(Math.max(...perProduct));
}
all.sort((a, b) => a - b);
const quantile = (q: number) => all[Math.floor(q * (all.length - 1))].toFixed(3);
console.log(`${steps.length} steps × ${products.length} products (best intention per product)`);
console.log(`score quantiles p50 ${quantile(0.5)}  p90 ${quantile(0.9)}  p99 ${quantile(0.99)}  p99.9 ${quantile(0.999)}`);
console.log('threshold  products/step  steps with ≥1 product');
for (const t of [0.2, 0.25, 0.3, 0.35, 0.4, 0.45]) {
  const perStep = all.filter((x) => x >= t).length / steps.length;
  const covered = best.filter((x) => x >= t).length / steps.length;
  console.log(`${t.toFixed(2).padStart(9)}  ${perStep.toFixed(2).padStart(13)}  ${(covered * 100).toFixed(1).padStart(20)}%`);
}
