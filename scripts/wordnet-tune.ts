/**
 * Tuning loop for the WordNet embedder: four-way accuracy on the TUNING splits only
 * (data/eval/fourway-tuning.jsonl, the "overlap" split, and data/eval/noshare-fourway-tuning.jsonl,
 * the no-shared-word split) for parameter overrides given as JSON, plus the lexical baseline, and
 * the MRR / recall@10 of each tuning step's product among all catalog products. The held-out sets
 * are never read here.
 *   npx tsx scripts/wordnet-tune.ts '{"hypernym":0.7}' '{"gloss":1.5}'
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCatalog, readJsonl, type FourWayQuestion } from '../support/eval-sets.js';
import { embedCatalog, fourWay, retrieval } from '../support/eval-metrics.js';
import type { Embedder } from '../src/core/embedder.js';
import { ISSUE_PAIRS } from '../support/eval-sets.js';
import { dot } from '../src/core/vector-math.js';
import { LexicalEmbedder } from '../src/embedding/lexical/lexical-embedder.js';
import { WordNetEmbedder } from '../src/embedding/wordnet/wordnet-embedder.js';
import type { WordNetParams } from '../src/embedding/wordnet/params.js';

const catalog = readCatalog();
const splits = {
  overlap: readJsonl<FourWayQuestion>('data/eval/fourway-tuning.jsonl'),
  noshare: readJsonl<FourWayQuestion>('data/eval/noshare-fourway-tuning.jsonl'),
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function report(name: string, e: Embedder): Promise<void> {
  const vectors = await embedCatalog(e, catalog);
  const parts: string[] = [];
  for (const [split, questions] of Object.entries(splits)) {
    const r = await fourWay(e, vectors, questions);
    const rank = await retrieval(
      e,
      vectors,
      questions.map((q) => ({ id: q.id, step: q.step, relevant: [q.answer] })),
    );
    parts.push(
      `${split}: ${(r.accuracy * 100).toFixed(1)}% right ${mean(r.positives).toFixed(3)} distr ${mean(r.negatives).toFixed(3)} MRR ${rank.mrr.toFixed(3)} r@10 ${rank.recallAt10.toFixed(3)}`,
    );
  }
  const pairs = await Promise.all(
    ISSUE_PAIRS.map(async ([a, b]) => {
      const [x, y] = await e.embed([a, b]);
      return dot(x, y).toFixed(2);
    }),
  );
  console.log(`${name}  ${parts.join('  |  ')}  |  issue pairs ${pairs.join(' ')}`);
}

await report('lexical', new LexicalEmbedder());
const dir = mkdtempSync(join(tmpdir(), 'wn-tune-'));
for (const arg of process.argv.slice(2).length ? process.argv.slice(2) : ['{}']) {
  const params = JSON.parse(arg) as Partial<WordNetParams>;
  await report(arg, WordNetEmbedder.create({ params, cacheDir: dir }));
}
