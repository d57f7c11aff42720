/**
 * Retrieval quality of every scoring on real data (issue 14; `npm run bench -- --only quality`):
 * for each offline embedder (lexical, WordNet) × aggregation (max, mean, top-m m=3) × retrieval
 * (semantic, lexical BM25, hybrid weighted α=0.5, hybrid rrf), through the real Aligner on a real
 * embedded store (SQLite + FTS5 + HNSW):
 *
 * (a) four-way accuracy on IntentionQA task2, products by their titles;
 * (b) recall@10 and MRR of a task1 pair's two products from its held-out "because …" clause over the
 *     whole 1,710-product catalog (match both);
 * (c) the F1-best threshold of each scoring on the four-way scores, and the BM25 of each query's
 *     best lexical text (what LEXICAL_HALF_SCORE in src/align/scoring/lexical-scale.ts rests on);
 * (d) the candidate pool's recall under mean and top-m against an exhaustive aggregation over every
 *     product of the sample catalog, and its cost per step.
 *
 * Writes bench/results/quality.{json,md}.
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGGREGATIONS, type Aggregation } from '../../src/align/scoring/aggregate.js';
import { LEXICAL_HALF_SCORE } from '../../src/align/scoring/lexical-scale.js';
import { LEXICAL_THRESHOLDS } from '../../src/align/scoring/thresholds.js';
import type { Embedder } from '../../src/core/embedder.js';
import type { Product } from '../../src/core/product.js';
import { LexicalEmbedder } from '../../src/embedding/lexical/lexical-embedder.js';
import { WordNetEmbedder } from '../../src/embedding/wordnet/wordnet-embedder.js';
import { readJsonl } from '../../support/eval-sets.js';
import { asProducts, readQaData } from '../../support/quality-data.js';
import {
  MODES,
  bestBm25,
  scoringOf,
  f1BestThreshold,
  fourWay,
  retrievalOverCatalog,
  type FourWayScores,
  type Mode,
  type RetrievalScores,
} from './quality-metrics.js';
import { poolRecall } from './quality-pool.js';
import { renderQualityReport } from './quality-report.js';
import { openBenchStore } from './quality-store.js';
import { writeResult } from '../harness/results.js';
import { runMeta } from '../harness/run-meta.js';
import { f1BestOverCatalog, pointAt, scoreEveryProduct, thresholdForSelectivity } from './threshold-meaning.js';
import { BUNDLED_MODEL_ID, MINILM_AGGREGATE_THRESHOLDS, bundledModelsRoot } from '../../src/embedding/bundled-model.js';
import { TransformersEmbedder } from '../../src/embedding/transformers-embedder.js';
import type { Cell, FourWayCell, QualityResult, ThresholdMeaning } from './quality-types.js';

const SWEEP = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];

const AGGS: readonly Aggregation[] = AGGREGATIONS;

export async function runQuality(opts: { log: (line: string) => void; command: string; note?: string }): Promise<QualityResult> {
  const meta = runMeta(opts.command);
  const t0 = performance.now();
  const sectionSeconds: Record<string, number> = {};
  const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const s = performance.now();
    const out = await fn();
    sectionSeconds[name] = (sectionSeconds[name] ?? 0) + (performance.now() - s) / 1000;
    return out;
  };

  const qa = readQaData();
  const lexical = new LexicalEmbedder();
  // The WordNet table is cached across runs here (its build time is wordnet-eval's business).
  const wordnet = await timed('wordnet table', async () =>
    WordNetEmbedder.create({ cacheDir: join(tmpdir(), 'ecomalign-bench-quality-wordnet') }),
  );
  // The shipped sentence model, as the service loads it (manifest checked, calibrated aggregate thresholds).
  const minilm = await timed('minilm load', () =>
    TransformersEmbedder.load({
      modelId: BUNDLED_MODEL_ID,
      modelDir: bundledModelsRoot(),
      allowRemoteModels: false,
      aggregateThresholds: MINILM_AGGREGATE_THRESHOLDS,
    }),
  );
  const embedders: { name: string; embedder: Embedder }[] = [
    { name: 'lexical', embedder: lexical },
    { name: 'wordnet', embedder: wordnet },
    { name: 'minilm', embedder: minilm },
  ];
  const thresholds: ThresholdMeaning[] = [];

  const fourWayTitles: FourWayCell[] = [];
  const fourWayHeldOutBoth: FourWayCell[] = [];
  const retrieval: Cell<RetrievalScores>[] = [];
  const bm25: QualityResult['bm25'] = [];
  const withThreshold = (s: FourWayScores, mode: Mode) => {
    const { positives, negatives, ...rest } = s;
    return mode === 'rrf' ? rest : { ...rest, threshold: f1BestThreshold(positives, negatives) };
  };

  for (const { name, embedder } of embedders) {
    // (a) one store holding every product's title only; products by their titles.
    const titles = await timed(`${name}: ingest titles`, () => openBenchStore(embedder, asProducts(qa.catalog, false)));
    await timed(`${name}: (a) four-way`, async () => {
      for (const aggregate of AGGS) {
        for (const mode of MODES) {
          const s = await fourWay(titles.aligner, qa.questions, 'titles', aggregate, mode);
          fourWayTitles.push({ embedder: name, aggregate, mode, value: withThreshold(s, mode) });
          opts.log(`${name} ${aggregate} ${mode}: four-way (titles) ${(s.accuracy * 100).toFixed(1)}%`);
        }
      }
    });
    if (name === 'lexical')
      bm25.push({
        store: 'titles only (a)',
        match: 'titles',
        texts: qa.catalog.length,
        summary: await bestBm25(
          titles.store,
          qa.questions.map((q) => q.clause),
          'titles',
        ),
      });
    await titles.close();

    // (b) the catalog with the query rows' clauses held out; match both.
    const held = await timed(`${name}: ingest held-out`, () => openBenchStore(embedder, asProducts(qa.heldOut, true)));
    await timed(`${name}: (b) retrieval`, async () => {
      for (const aggregate of AGGS) {
        for (const mode of MODES) {
          const r = await retrievalOverCatalog(held.aligner, qa.queries, 'both', aggregate, mode);
          retrieval.push({ embedder: name, aggregate, mode, value: r });
          opts.log(`${name} ${aggregate} ${mode}: recall@10 ${r.recallAt10.toFixed(3)} MRR ${r.mrr.toFixed(3)}`);
        }
      }
    });
    await timed(`${name}: (e) thresholds`, async () => {
      const n = qa.catalog.length;
      const max = await scoreEveryProduct(held.aligner, qa.queries, n, 'max', 'semantic');
      const atDefault = pointAt(max, embedder.defaultThreshold);
      const rows: ThresholdMeaning['rows'] = [];
      for (const aggregate of AGGS) {
        for (const mode of ['semantic', 'lexical', 'weighted'] as const) {
          const scored =
            aggregate === 'max' && mode === 'semantic' ? max : await scoreEveryProduct(held.aligner, qa.queries, n, aggregate, mode);
          const defaultThreshold = held.aligner.thresholdFor(scoringOf(aggregate, mode)) ?? Number.NaN;
          const equalSelectivity = thresholdForSelectivity(scored, atDefault.productsPerStep);
          rows.push({
            aggregate,
            mode,
            defaultThreshold,
            atDefault: pointAt(scored, defaultThreshold),
            equalSelectivity,
            atEqualSelectivity: pointAt(scored, equalSelectivity),
          });
          opts.log(`${name} ${aggregate} ${mode}: default ${defaultThreshold}, equal selectivity ${equalSelectivity.toFixed(3)}`);
        }
      }
      thresholds.push({ embedder: name, atDefault, curve: SWEEP.map((t) => pointAt(max, t)), f1Best: f1BestOverCatalog(max), rows });
    });
    await timed(`${name}: (c) four-way held-out both`, async () => {
      for (const aggregate of AGGS) {
        for (const mode of MODES) {
          const s = await fourWay(held.aligner, qa.heldOutQuestions, 'both', aggregate, mode);
          fourWayHeldOutBoth.push({ embedder: name, aggregate, mode, value: withThreshold(s, mode) });
        }
      }
    });
    if (name === 'lexical') {
      bm25.push({
        store: 'held-out (b)',
        match: 'both',
        texts: qa.heldOutStats.texts,
        summary: await bestBm25(
          held.store,
          qa.queries.map((q) => q.clause),
          'both',
        ),
      });
      bm25.push({
        store: 'held-out (b)',
        match: 'intentions',
        texts: qa.heldOutStats.texts,
        summary: await bestBm25(
          held.store,
          qa.queries.map((q) => q.clause),
          'intentions',
        ),
      });
    }
    await held.close();
  }

  // The full catalog (every clause present): what a query's best text scores when its own clause is indexed.
  const fullTexts = qa.catalog.reduce((n, p) => n + 1 + p.intentions.length, 0);
  await timed('full catalog bm25', async () => {
    const full = await openBenchStore(lexical, asProducts(qa.catalog, true));
    bm25.push({
      store: 'full catalog',
      match: 'both',
      texts: fullTexts,
      summary: await bestBm25(
        full.store,
        qa.questions.map((q) => q.clause),
        'both',
      ),
    });
    await full.close();
  });

  // (d) the candidate pool on the sample catalog, lexical embedder, the scripts' steps as queries.
  const pool = await timed('(d) pool recall', async () => {
    const sample = await openBenchStore(lexical, readJsonl<Product>('data/sample/catalog.jsonl'));
    const steps = [...new Set(readJsonl<{ steps: string[] }>('data/sample/scripts.jsonl').flatMap((s) => s.steps))];
    const out = await poolRecall(sample, lexical, steps, { k: 10, match: 'intentions', reps: 5 });
    await sample.close();
    return out;
  });
  for (const row of pool.rows)
    opts.log(
      `pool ${row.aggregate} t=${row.threshold} pool=${row.pool}: recall ${row.recall.toFixed(3)}, ${row.ratioToMax.toFixed(2)}× max`,
    );

  await lexical.close();
  await wordnet.close();
  await minilm.close();
  const strip = (q: (typeof qa.questions)[number]) => q.goldIsDistractor;
  return {
    meta: {
      ...meta,
      wallSeconds: (performance.now() - t0) / 1000,
      loadAverageEnd: loadavg().map((v) => Math.round(v * 100) / 100),
      note: opts.note,
    },
    data: {
      products: qa.catalog.length,
      questions: qa.questions.length,
      questionsWithoutClause: qa.questionsWithoutClause,
      goldAmongDistractors: qa.questions.filter(strip).length,
      queries: qa.queries.length,
      keptRows: qa.keptRows,
      heldOutQuestions: qa.heldOutQuestions.length,
      heldOut: qa.heldOutStats,
      fullTexts,
    },
    embedders: embedders.map(({ name, embedder }) => ({
      name,
      id: embedder.id,
      thresholds: {
        max: embedder.defaultThreshold,
        mean: embedder.aggregateThresholds?.mean ?? embedder.defaultThreshold,
        topm: embedder.aggregateThresholds?.topm ?? embedder.defaultThreshold,
      },
    })),
    fourWayTitles,
    fourWayHeldOutBoth,
    retrieval,
    bm25,
    lexicalHalfScore: LEXICAL_HALF_SCORE,
    lexicalThresholds: LEXICAL_THRESHOLDS,
    pool,
    thresholds,
    sectionSeconds,
  };
}

export function writeQualityReport(r: QualityResult): string[] {
  return writeResult('quality', r, renderQualityReport(r));
}
