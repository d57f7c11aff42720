/**
 * How the default thresholds of mean, top-m, BM25 and weighted hybrid were set for the offline
 * embedders: each is the threshold at which a step gets, on average, as many products as under
 * max at the embedder's calibrated threshold, on the sample data (data/sample, every script step,
 * match intentions), through the real Aligner on a real embedded store. Equal selectivity, not
 * equal meaning: a mean of 0.30 and a max of 0.30 say different things, and the number of products
 * a user gets is what the default has to keep. The labelled alternative (F1 on IntentionQA's
 * right and wrong products) is in bench/results/quality.md; it is a relative cut on a 1 : 3 mix and
 * lands near 0.1 for every mode, which would return most of a real catalog.
 *
 * The shipped MiniLM's defaults were set the same way on IntentionQA instead (bench/results/quality.md,
 * section (e)); its table here shows what they give on script-shaped steps.
 *
 * `npx tsx scripts/aggregate-thresholds.ts`; prints one table per embedder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Aligner } from '../src/align/aligner.js';
import type { Scoring } from '../src/align/scoring/scoring.js';
import { CatalogService } from '../src/catalog/catalog-service.js';
import type { Embedder } from '../src/core/embedder.js';
import type { Product } from '../src/core/product.js';
import { BUNDLED_MODEL_ID, bundledModelsRoot } from '../src/embedding/bundled-model.js';
import { LexicalEmbedder } from '../src/embedding/lexical/lexical-embedder.js';
import { TransformersEmbedder } from '../src/embedding/transformers-embedder.js';
import { WordNetEmbedder } from '../src/embedding/wordnet/wordnet-embedder.js';
import { exactIndexFactory } from '../src/store/ann/exact-index.js';
import { EmbeddedStore } from '../src/store/embedded/embedded-store.js';

const read = <T>(name: string): T[] =>
  readFileSync(fileURLToPath(new URL(`../data/sample/${name}`, import.meta.url)), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as T);

const products = read<Product>('catalog.jsonl');
const steps = [...new Set(read<{ steps: string[] }>('scripts.jsonl').flatMap((s) => s.steps))];

const SCORINGS: [string, Partial<Scoring>, number | undefined][] = [
  ['max (semantic)', {}, -1],
  ['mean (semantic)', { aggregate: 'mean' }, -1],
  ['top-m, m = 3 (semantic)', { aggregate: 'topm', m: 3 }, -1],
  ['lexical, max', { retrieval: 'lexical' }, 0],
  ['lexical, mean', { retrieval: 'lexical', aggregate: 'mean' }, 0],
  ['lexical, top-m', { retrieval: 'lexical', aggregate: 'topm', m: 3 }, 0],
  ['hybrid weighted α 0.5, max', { retrieval: 'hybrid' }, 0],
  ['hybrid weighted α 0.5, mean', { retrieval: 'hybrid', aggregate: 'mean' }, 0],
];

async function profile(embedder: Embedder): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-thresholds-'));
  const store = await EmbeddedStore.open({
    dataDir: dir,
    modelId: embedder.id,
    dimension: embedder.dimension,
    annFactory: exactIndexFactory,
  });
  try {
    await new CatalogService(embedder, store).upsert(products);
    const aligner = new Aligner(embedder, store);
    // Every product scored for every step (k and pool cover the whole catalog), so counts are exact.
    const all = async (scoring: Partial<Scoring>, threshold?: number) => {
      const result = await aligner.align([{ steps }], { k: 100, threshold, match: 'intentions', scoring, pool: products.length });
      return result.scripts[0].flatMap((s) => s.products.map((p) => p.score));
    };
    const maxScores = await all({}, -1);
    const target = maxScores.filter((s) => s >= embedder.defaultThreshold).length;
    console.log(
      `\n${embedder.id}: ${steps.length} steps × ${products.length} products; under max at ${embedder.defaultThreshold}, ${(target / steps.length).toFixed(2)} products per step`,
    );
    console.log('| scoring | threshold with the same products per step | default today |');
    console.log('| --- | ---: | ---: |');
    for (const [name, scoring, bottom] of SCORINGS) {
      const scores = (await all(scoring, bottom)).sort((a, b) => b - a);
      const matched = target > 0 && scores.length >= target ? scores[target - 1] : Number.NaN;
      console.log(`| ${name} | ${matched.toFixed(3)} | ${aligner.thresholdFor(scoring)} |`);
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const minilm = await TransformersEmbedder.load({ modelId: BUNDLED_MODEL_ID, modelDir: bundledModelsRoot(), allowRemoteModels: false });
try {
  await profile(minilm);
} finally {
  await minilm.close();
}
await profile(new LexicalEmbedder());
const cacheDir = mkdtempSync(join(tmpdir(), 'ecomalign-wordnet-'));
try {
  await profile(WordNetEmbedder.create({ cacheDir }));
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
