/**
 * Builds the embedder evaluation sets in data/eval from the hand-written sources in
 * data/eval/source (deterministic: same sources, same files). Run `npx tsx scripts/build-eval-sets.ts`.
 *
 * The "overlap" sets (steps written from product titles; most share a word with their product):
 *   fourway-heldout.jsonl           four-way questions, products whose number is not a multiple of 6
 *   fourway-tuning.jsonl            four-way questions, products whose number is a multiple of 6 (tuning only)
 *   retrieval-heldout.jsonl         steps with their sets of relevant products
 * The "no shared word" sets (steps that share no content word with any right/relevant product's title
 * and intentions; checked here, the build fails naming every offending item):
 *   noshare-fourway-heldout.jsonl   as above, same split rule
 *   noshare-fourway-tuning.jsonl    tuning only
 *   noshare-retrieval-heldout.jsonl steps with their sets of relevant products
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ContentWords } from '../support/eval-overlap.js';
import {
  buildFourWay,
  isTuningProduct,
  parseProductSteps,
  parseRetrievalSteps,
  readCatalog,
  repoPath,
  type CatalogProduct,
  type ProductStep,
  type RetrievalQuery,
} from '../support/eval-sets.js';

const catalog = readCatalog();
const byId = new Map(catalog.map((p) => [p.id, p]));
const check = (id: string, where: string) => {
  if (!byId.has(id)) throw new Error(`${where}: unknown product ${id}`);
};
const source = (name: string) => readFileSync(repoPath(`data/eval/source/${name}`), 'utf8');

function productSteps(name: string): ProductStep[] {
  const steps = parseProductSteps(source(name));
  for (const s of steps) [s.product, ...s.also].forEach((id) => check(id, s.step));
  const missing = catalog.filter((p) => !steps.some((s) => s.product === p.id)).map((p) => p.id);
  if (missing.length > 0) throw new Error(`${name}: products without a step: ${missing.join(', ')}`);
  return steps;
}

function retrievalQueries(name: string, prefix: string): RetrievalQuery[] {
  return parseRetrievalSteps(source(name)).map((q, i) => {
    q.relevant.forEach((id) => check(id, q.step));
    return { id: `${prefix}-${String(i + 1).padStart(3, '0')}`, ...q };
  });
}

// The original "overlap" sets (seeds unchanged since they were first built).
const steps = productSteps('product-steps.txt');
const heldOut = buildFourWay(
  steps.filter((s) => !isTuningProduct(s)),
  catalog,
  20_240_601,
  'fw',
);
const tuning = buildFourWay(steps.filter(isTuningProduct), catalog, 20_240_602, 'tune');
const retrieval = retrievalQueries('retrieval-steps.txt', 'rt');

// The "no shared word" sets.
const texts = (p: CatalogProduct) => [p.title, ...p.intentions];
const words = new ContentWords();
const problems: string[] = [];
const noShare = (step: string, ids: string[], where: string) => {
  for (const id of ids) {
    const shared = words.shared(step, texts(byId.get(id)!));
    if (shared.length > 0) problems.push(`${where}: "${step}" shares ${shared.join(', ')} with ${id}`);
  }
};
const nsSteps = productSteps('noshare-product-steps.txt');
for (const s of nsSteps) noShare(s.step, [s.product], 'noshare-product-steps.txt');
const nsRetrieval = retrievalQueries('noshare-retrieval-steps.txt', 'nsrt');
for (const q of nsRetrieval) noShare(q.step, q.relevant, 'noshare-retrieval-steps.txt');
const seen = new Map<string, string>();
for (const step of [
  ...steps.map((s) => s.step),
  ...retrieval.map((q) => q.step),
  ...nsSteps.map((s) => s.step),
  ...nsRetrieval.map((q) => q.step),
]) {
  const key = step.toLowerCase();
  if (seen.has(key) && !problems.includes(`duplicate step "${step}"`)) problems.push(`duplicate step "${step}"`);
  seen.set(key, step);
}
if (problems.length > 0) throw new Error(`${problems.length} problem(s):\n${problems.join('\n')}`);
const nsHeldOut = buildFourWay(
  nsSteps.filter((s) => !isTuningProduct(s)),
  catalog,
  20_241_101,
  'nsfw',
);
const nsTuning = buildFourWay(nsSteps.filter(isTuningProduct), catalog, 20_241_102, 'nstune');

const write = (name: string, rows: unknown[]) =>
  writeFileSync(repoPath(`data/eval/${name}`), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
write('fourway-heldout.jsonl', heldOut);
write('fourway-tuning.jsonl', tuning);
write('retrieval-heldout.jsonl', retrieval);
write('noshare-fourway-heldout.jsonl', nsHeldOut);
write('noshare-fourway-tuning.jsonl', nsTuning);
write('noshare-retrieval-heldout.jsonl', nsRetrieval);
console.log(`overlap: four-way ${heldOut.length} held out, ${tuning.length} tuning; retrieval ${retrieval.length} steps`);
console.log(`no shared word: four-way ${nsHeldOut.length} held out, ${nsTuning.length} tuning; retrieval ${nsRetrieval.length} steps`);
