/**
 * The WordNet embedder's evaluation (`npm run bench -- --only wordnet`, also part of the full
 * bench): lexical vs WordNet on both held-out evaluation sets in data/eval (the "overlap" set, whose steps
 * mostly share a word with their product, and the "no shared word" set, whose steps share none), the issue's
 * three example pairs, plus the table's build time, size, load time, resident memory and embedding rate.
 * Writes bench/results/wordnet-eval.{json,md}.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Embedder } from '../../src/core/embedder.js';
import { LexicalEmbedder } from '../../src/embedding/lexical/lexical-embedder.js';
import { cacheFileName } from '../../src/embedding/wordnet/table-cache.js';
import { WordNetEmbedder } from '../../src/embedding/wordnet/wordnet-embedder.js';
import { embedCatalog, fourWay, retrieval, type ProductVectors, type RetrievalResult } from '../../support/eval-metrics.js';
import { ISSUE_PAIRS, readCatalog, readJsonl, type FourWayQuestion, type RetrievalQuery } from '../../support/eval-sets.js';
import { dot } from '../../src/core/vector-math.js';
import { writeResult } from '../harness/results.js';
import { runMetaLines, type RunMeta } from '../harness/run-meta.js';

export interface EmbedderScores {
  id: string;
  fourWayAccuracy: number;
  retrieval: RetrievalResult;
  /** The four-way steps as retrieval over the whole catalog (one relevant product each). */
  fourWayStepsOverCatalog: RetrievalResult;
}

export interface SetScores {
  name: string;
  description: string;
  questions: number;
  retrievalQueries: number;
  lexical: EmbedderScores;
  wordnet: EmbedderScores;
}

export interface WordnetEvalResult {
  sets: SetScores[];
  /** Cosine of the issue's example pairs, per embedder. */
  pairs: { a: string; b: string; lexical: number; wordnet: number }[];
  table: { buildMillis: number; fileBytes: number; loadMillis: number; residentBytes: number; rows: number };
  speed: { textsPerSecond: number; meanWordsPerText: number };
  targets: { fourWayGainPoints: number; recallAt10NoWorse: boolean; textsPerSecond: number; residentBytes: number };
}

async function score(
  embedder: Embedder,
  vectors: ProductVectors,
  questions: FourWayQuestion[],
  queries: RetrievalQuery[],
): Promise<EmbedderScores> {
  const fw = await fourWay(embedder, vectors, questions);
  const asQueries = questions.map((q) => ({ id: q.id, step: q.step, relevant: [q.answer] }));
  return {
    id: embedder.id,
    fourWayAccuracy: fw.accuracy,
    retrieval: await retrieval(embedder, vectors, queries),
    fourWayStepsOverCatalog: await retrieval(embedder, vectors, asQueries),
  };
}

/** The held-out sets (never read by a tuning or calibration script). */
const EVAL_SETS = [
  {
    name: 'overlap',
    description: "steps written from product titles; nearly all share a word with their right product's intentions",
    fourWay: 'data/eval/fourway-heldout.jsonl',
    retrieval: 'data/eval/retrieval-heldout.jsonl',
  },
  {
    name: 'no shared word',
    description:
      'steps that share no content word (stemmed, WordNet-normalised, stop words dropped) with the title and intentions of any right or relevant product',
    fourWay: 'data/eval/noshare-fourway-heldout.jsonl',
    retrieval: 'data/eval/noshare-retrieval-heldout.jsonl',
  },
];

export async function runWordnetEval(opts: { log: (line: string) => void; cacheDir?: string }): Promise<WordnetEvalResult> {
  const cacheDir = opts.cacheDir ?? join(tmpdir(), 'ecomalign-bench-wordnet');

  // Build from scratch so the build time is measured, then score.
  rmSync(cacheDir, { recursive: true, force: true });
  const wordnet = WordNetEmbedder.create({ cacheDir });
  opts.log(`wordnet: table built in ${(wordnet.source.millis / 1000).toFixed(1)} s`);
  const lexicalEmbedder = new LexicalEmbedder();
  const catalog = readCatalog();
  const lexicalVectors = await embedCatalog(lexicalEmbedder, catalog);
  const wordnetVectors = await embedCatalog(wordnet, catalog);
  const sets: SetScores[] = [];
  for (const def of EVAL_SETS) {
    const questions = readJsonl<FourWayQuestion>(def.fourWay);
    const queries = readJsonl<RetrievalQuery>(def.retrieval);
    const lexical = await score(lexicalEmbedder, lexicalVectors, questions, queries);
    const wn = await score(wordnet, wordnetVectors, questions, queries);
    sets.push({
      name: def.name,
      description: def.description,
      questions: questions.length,
      retrievalQueries: queries.length,
      lexical,
      wordnet: wn,
    });
    opts.log(
      `${def.name}: four-way accuracy lexical ${(lexical.fourWayAccuracy * 100).toFixed(1)}%, wordnet ${(wn.fourWayAccuracy * 100).toFixed(1)}%`,
    );
  }
  const cos = async (e: Embedder, a: string, b: string) => {
    const [x, y] = await e.embed([a, b]);
    return dot(x, y);
  };
  const pairs = [];
  for (const [a, b] of ISSUE_PAIRS) pairs.push({ a, b, lexical: await cos(lexicalEmbedder, a, b), wordnet: await cos(wordnet, a, b) });

  const footprint = JSON.parse(
    execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./wordnet-footprint.ts', import.meta.url)), cacheDir],
      {
        encoding: 'utf8',
      },
    ),
  ) as { loadMillis: number; tableResidentBytes: number; textsPerSecond: number; meanWordsPerText: number; rows: number };
  opts.log(`wordnet: ${Math.round(footprint.textsPerSecond)} texts/s on one thread, table load ${Math.round(footprint.loadMillis)} ms`);

  return {
    sets,
    pairs,
    table: {
      buildMillis: wordnet.source.millis,
      fileBytes: statSync(join(cacheDir, cacheFileName(wordnet.id, wordnet.params))).size,
      loadMillis: footprint.loadMillis,
      residentBytes: footprint.tableResidentBytes,
      rows: footprint.rows,
    },
    speed: { textsPerSecond: footprint.textsPerSecond, meanWordsPerText: footprint.meanWordsPerText },
    targets: { fourWayGainPoints: 15, recallAt10NoWorse: true, textsPerSecond: 20_000, residentBytes: 150 * 2 ** 20 },
  };
}

export function renderWordnetReport(r: WordnetEvalResult): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
  const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
  const row = (name: string, s: EmbedderScores) =>
    `| ${name} (\`${s.id}\`) | ${pct(s.fourWayAccuracy)} | ${s.retrieval.recallAt5.toFixed(3)} | ${s.retrieval.recallAt10.toFixed(3)} | ${s.retrieval.mrr.toFixed(3)} | ${s.fourWayStepsOverCatalog.mrr.toFixed(3)} | ${s.fourWayStepsOverCatalog.recallAt10.toFixed(3)} |`;
  const lines = [
    '## Offline embedders: lexical vs WordNet',
    '',
    'Two held-out sets in data/eval (never used for tuning or calibration), over the 369-product sample catalog; four-way = right product + 2 same-category + 1 neighbouring-category distractor; a product scores its best intention.',
    '',
  ];
  for (const set of r.sets) {
    const gain = (set.wordnet.fourWayAccuracy - set.lexical.fourWayAccuracy) * 100;
    lines.push(
      `### ${set.name} (${set.questions} four-way questions, ${set.retrievalQueries} retrieval steps)`,
      '',
      `${set.description[0].toUpperCase()}${set.description.slice(1)}.`,
      '',
      '| embedder | four-way accuracy | recall@5 | recall@10 | MRR | four-way steps: MRR over catalog | recall@10 over catalog |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
      row('lexical', set.lexical),
      row('wordnet', set.wordnet),
      '',
      `Four-way gain ${gain.toFixed(1)} points (target ≥ ${r.targets.fourWayGainPoints}: ${yes(gain >= r.targets.fourWayGainPoints)}); recall@10 no worse: ${yes(set.wordnet.retrieval.recallAt10 >= set.lexical.retrieval.recallAt10)}.`,
      '',
    );
  }
  lines.push(
    "### The issue's example pairs (cosine)",
    '',
    '| text | text | lexical | wordnet |',
    '| --- | --- | ---: | ---: |',
    ...r.pairs.map((p) => `| ${p.a} | ${p.b} | ${p.lexical.toFixed(2)} | ${p.wordnet.toFixed(2)} |`),
    '',
    `WordNet table: ${r.table.rows.toLocaleString('en-US')} rows, built in ${(r.table.buildMillis / 1000).toFixed(1)} s, ${mb(r.table.fileBytes)} on disk, loaded from the cache in ${Math.round(r.table.loadMillis)} ms adding ${mb(r.table.residentBytes)} resident (target ≤ 150 MB: ${yes(r.table.residentBytes <= r.targets.residentBytes)}). ` +
      `Embedding: ${Math.round(r.speed.textsPerSecond).toLocaleString('en-US')} texts/s on one thread (intentions, ${r.speed.meanWordsPerText.toFixed(1)} words on average; target ≥ 20,000: ${yes(r.speed.textsPerSecond >= r.targets.textsPerSecond)}).`,
    '',
  );
  return lines.join('\n');
}

export function writeWordnetReport(r: WordnetEvalResult, meta: RunMeta): string[] {
  return writeResult('wordnet-eval', { meta, ...r }, `# WordNet embedder evaluation\n\n${runMetaLines(meta)}\n\n${renderWordnetReport(r)}`);
}
