/**
 * Calibrates the WordNet embedder's default threshold on the TUNING splits only
 * (data/eval/fourway-tuning.jsonl and data/eval/noshare-fourway-tuning.jsonl, pooled): the cosine that best separates each step's right product
 * (positives) from its distractors (negatives), by balanced accuracy; then shows how that
 * threshold behaves on the unlabelled sample scripts (products per step, steps with >= 1 product),
 * like scripts/threshold-profile.ts does for the lexical embedder.
 *   npx tsx scripts/wordnet-calibrate.ts [--cache-dir DIR]
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readCatalog, readJsonl, type FourWayQuestion } from '../support/eval-sets.js';
import { embedCatalog, fourWay, productScore } from '../support/eval-metrics.js';
import { WordNetEmbedder } from '../src/embedding/wordnet/wordnet-embedder.js';

const { values } = parseArgs({ options: { 'cache-dir': { type: 'string' } } });
const cacheDir = values['cache-dir'] ?? join(tmpdir(), 'ecomalign-wordnet');
const embedder = WordNetEmbedder.create({ cacheDir });
const catalog = readCatalog();
const vectors = await embedCatalog(embedder, catalog);
const { positives, negatives } = await fourWay(embedder, vectors, [
  ...readJsonl<FourWayQuestion>('data/eval/fourway-tuning.jsonl'),
  ...readJsonl<FourWayQuestion>('data/eval/noshare-fourway-tuning.jsonl'),
]);

// Unconstrained, the best balanced accuracy on the pooled splits sits very low (~0.13: no-shared-word steps score
// low, and 26 % of distractors pass), which returns dozens of products per sample-script step. The service needs
// precision, so the threshold is the best balanced accuracy among thresholds that let at most 5 % of distractors through.
const MAX_DISTRACTOR_RATE = 0.05;
let best = { t: 0, balanced: 0 };
let unconstrained = { t: 0, balanced: 0 };
for (let t = 0.05; t <= 0.8; t += 0.01) {
  const tpr = positives.filter((s) => s >= t).length / positives.length;
  const tnr = negatives.filter((s) => s < t).length / negatives.length;
  const rounded = Math.round(t * 100) / 100;
  if ((tpr + tnr) / 2 > unconstrained.balanced) unconstrained = { t: rounded, balanced: (tpr + tnr) / 2 };
  if (1 - tnr <= MAX_DISTRACTOR_RATE && (tpr + tnr) / 2 > best.balanced) best = { t: rounded, balanced: (tpr + tnr) / 2 };
}
console.log(`unconstrained best balanced accuracy ${(unconstrained.balanced * 100).toFixed(1)}% at ${unconstrained.t.toFixed(2)}`);
console.log(`tuning splits (overlap + no shared word): ${positives.length} right products, ${negatives.length} distractors`);
console.log(
  `best balanced accuracy with <= ${MAX_DISTRACTOR_RATE * 100}% distractors passing: ${(best.balanced * 100).toFixed(1)}% at threshold ${best.t.toFixed(2)}`,
);

const steps = readJsonl<{ steps: string[] }>('data/sample/scripts.jsonl').flatMap((s) => s.steps);
const stepVectors = await embedder.embed(steps);
const perStep = stepVectors.map((s) => vectors.vectors.map((v) => productScore(s, v)));
console.log('threshold  right>=t  distractor>=t  products/step (sample scripts)  steps with >=1');
for (const t of [0.1, 0.15, 0.2, 0.25, 0.3, 0.35, best.t]) {
  const tpr = positives.filter((s) => s >= t).length / positives.length;
  const fpr = negatives.filter((s) => s >= t).length / negatives.length;
  const count = perStep.reduce((a, scores) => a + scores.filter((x) => x >= t).length, 0) / steps.length;
  const covered = perStep.filter((scores) => Math.max(...scores) >= t).length / steps.length;
  console.log(
    `${t.toFixed(2).padStart(9)}  ${(tpr * 100).toFixed(0).padStart(7)}%  ${(fpr * 100).toFixed(0).padStart(12)}%  ${count.toFixed(2).padStart(30)}  ${(covered * 100).toFixed(0).padStart(13)}%`,
  );
}
