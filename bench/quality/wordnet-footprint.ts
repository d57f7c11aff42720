/**
 * Run in a fresh process by bench/quality/wordnet-eval.ts: loads the WordNet embedder from an existing
 * table cache and prints JSON with the load time, the resident memory it added and the
 * single-thread embedding rate on short texts (the sample catalog's intentions, cycled).
 *   npx tsx bench/quality/wordnet-footprint.ts CACHE_DIR
 */
import { WordNetEmbedder } from '../../src/embedding/wordnet/wordnet-embedder.js';
import { readCatalog } from '../../support/eval-sets.js';

const cacheDir = process.argv[2];
const texts = readCatalog().flatMap((p) => p.intentions);
globalThis.gc?.();
const rssBefore = process.memoryUsage().rss;
const embedder = WordNetEmbedder.create({ cacheDir });
const loadMillis = embedder.source.millis;
globalThis.gc?.();
const rssAfter = process.memoryUsage().rss;

// Warm the per-word cache once (steady state of a running service), then time whole passes.
embedder.embedSync(texts);
let embedded = 0;
const started = performance.now();
while (performance.now() - started < 3000) {
  for (let i = 0; i < texts.length; i += 64) embedder.embedSync(texts.slice(i, i + 64));
  embedded += texts.length;
}
const seconds = (performance.now() - started) / 1000;
const meanWords = texts.reduce((a, t) => a + t.split(/\s+/).length, 0) / texts.length;
console.log(
  JSON.stringify({
    origin: embedder.source.origin,
    loadMillis,
    tableResidentBytes: rssAfter - rssBefore,
    textsPerSecond: embedded / seconds,
    meanWordsPerText: meanWords,
    rows: embedder.table.rowCount,
  }),
);
