import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { completeScoring, type Scoring } from '../../src/align/scoring/scoring.js';
import { CandidateSearch } from '../../src/evalset/candidate-search.js';
import { exactScores } from '../../src/evalset/exact-scores.js';
import type { T2Record } from '../../src/evalset/types.js';
import { build, DEFAULTS, groupBy } from './build-helper.js';
import { sampleScripts, sampleStore } from './sample-store.js';
import { scoringStore, STEP } from './scoring-catalog.js';

/** Benchmark candidates under other scorings than the default: the aligner's own retrieval and re-scoring. */

const order = (a: { score: number; productId: string }, b: { score: number; productId: string }) =>
  b.score - a.score || (a.productId < b.productId ? -1 : 1);

describe('benchmark candidates under a chosen scoring (sample catalog)', () => {
  let s: Awaited<ReturnType<typeof sampleStore>>;
  before(async () => (s = await sampleStore()));
  after(() => s.close());

  const cases: [string, Partial<Scoring>, number][] = [
    ['mean', { aggregate: 'mean' }, 0.15],
    ['topm, lexical', { aggregate: 'topm', m: 2, retrieval: 'lexical' }, 0.2],
    ['hybrid weighted', { retrieval: 'hybrid', alpha: 0.7 }, 0.3],
  ];
  for (const [name, scoring, threshold] of cases) {
    it(`${name}: positives are the aligner's top-k, negatives score below the threshold by the same scoring`, async () => {
      const { t2 } = await build(s, name.replace(/\W+/g, '-'), { scoring, threshold });
      const scripts = sampleScripts();
      const { k, hardMargin } = DEFAULTS;
      const aligned = await s.aligner.align(scripts, { k, threshold, match: 'intentions', scoring });
      assert.deepEqual(aligned.scoring, completeScoring(scoring));
      const steps = groupBy(t2, (r) => `${r.scriptId}|${r.stepIndex}`);
      let positives = 0;
      scripts.forEach((script, i) =>
        aligned.scripts[i].forEach((step) => {
          const records = steps.get(`${script.id}|${step.index}`) ?? [];
          const got = records.filter((r) => r.origin === 'positive').sort(order);
          positives += got.length;
          assert.deepEqual(
            got.map((p) => [p.productId, p.score]),
            [...step.products].sort(order).map((p) => [p.productId, p.score]),
            `${script.id} step ${step.index}`,
          );
        }),
      );
      assert.ok(positives > 0, 'some positives');
      const negatives = t2.filter((r) => r.silverLabel === 0);
      assert.ok(negatives.length > 0, 'some negatives');
      for (const r of negatives) assert.ok(r.score < threshold, `${r.productId} (${r.origin}) scores ${r.score} ≥ ${threshold}`);
      for (const r of negatives.filter((x) => x.negativeKind === 'ranked')) assert.ok(r.score >= threshold - hardMargin - 1e-9);
      // Every record's score is the product's exact score under the scoring, as the aligner computes it alone.
      for (const r of t2.filter((_, i) => i % 7 === 0)) await assertExact(r, scoring);
    });
  }

  async function assertExact(r: T2Record, scoring: Partial<Scoring>) {
    const [[match]] = (
      await s.aligner.align([{ steps: [r.step] }], {
        k: 1,
        threshold: -1,
        match: 'intentions',
        filter: { productIds: [r.productId] },
        scoring,
      })
    ).scripts;
    // BM25 does not return a product without a word of the step: it scores 0 (exact-scores.ts).
    const expected = match.products[0]?.score ?? 0;
    assert.ok(Math.abs(r.score - expected) < 1e-9, `${r.productId} for "${r.step}": ${r.score} vs ${expected}`);
  }

  it('refuses rank fusion, which has no threshold', async () => {
    assert.throws(
      () =>
        new CandidateSearch(s.embedder, s.store, {
          ...DEFAULTS,
          scoring: completeScoring({ retrieval: 'hybrid', fusion: 'rrf' }),
        }),
      /rank fusion \(rrf\) has none/,
    );
    await assert.rejects(build(s, 'rrf', { scoring: { retrieval: 'hybrid', fusion: 'rrf' } }), /rank fusion \(rrf\) has none/);
  });
});

describe('exact scores of given products under each aggregation', () => {
  let c: Awaited<ReturnType<typeof scoringStore>>;
  before(async () => (c = await scoringStore()));
  after(() => c.close());

  it('max favours the one lucky intention, mean the consistently good product; unmatched BM25 scores 0', async () => {
    const [vector] = await c.embedder.embed([STEP]);
    const step = { text: STEP, vector };
    const score = async (scoring: Partial<Scoring>) => {
      const m = await exactScores(c.store, step, ['lucky', 'steady', 'hose', 'no-such'], completeScoring(scoring));
      return Object.fromEntries([...m].map(([id, x]) => [id, x.score]));
    };
    const max = await score({});
    assert.ok(max.lucky > max.steady);
    assert.equal(max['no-such'], undefined, 'unknown products are absent');
    const mean = await score({ aggregate: 'mean' });
    assert.ok(mean.steady > mean.lucky);
    assert.ok(mean.lucky < max.lucky && mean.steady < max.steady, 'a mean is at most the max');
    const topm = await score({ aggregate: 'topm', m: 1 });
    assert.deepEqual(topm, max, 'top-1 is max');
    const lexical = await score({ retrieval: 'lexical', aggregate: 'mean' });
    assert.equal(lexical.hose, 0, 'a product without a word of the step is scored 0, not dropped');
    assert.ok(lexical.steady > 0);
  });
});
