import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { productsPerStep, recommend, scoreHistogram, sweep, thresholdGrid } from '../../src/calibration/calibration.js';

/**
 * Six labelled pairs, worked out by hand:
 *   scores 0.9 (1), 0.7 (1), 0.6 (0), 0.5 (1), 0.4 (0), 0.2 (0)
 * t = 0.45: predicted 0.9, 0.7, 0.6, 0.5 → TP 3, FP 1, FN 0, TN 2; P = 3/4, R = 3/3, F1 = 2·0.75·1/1.75 = 6/7
 * t = 0.65: predicted 0.9, 0.7 → TP 2, FP 0, FN 1, TN 3; P = 1, R = 2/3, F1 = 2·(2/3)/(5/3) = 4/5
 * t = 0.95: nothing predicted → P undefined, R = 0, F1 = 0
 * t = 0.10: everything predicted → TP 3, FP 3; P = 1/2, R = 1, F1 = 2/3
 */
const items = [
  { score: 0.9, label: true },
  { score: 0.7, label: true },
  { score: 0.6, label: false },
  { score: 0.5, label: true },
  { score: 0.4, label: false },
  { score: 0.2, label: false },
];

describe('calibration arithmetic', () => {
  it('computes precision, recall and F1 per threshold', () => {
    const [a, b, c, d] = sweep(items, [0.45, 0.65, 0.95, 0.1]);
    assert.deepEqual({ tp: a.tp, fp: a.fp, fn: a.fn, tn: a.tn }, { tp: 3, fp: 1, fn: 0, tn: 2 });
    assert.equal(a.precision, 0.75);
    assert.equal(a.recall, 1);
    assert.ok(Math.abs(a.f1! - 6 / 7) < 1e-12);
    assert.deepEqual({ tp: b.tp, fp: b.fp, fn: b.fn, tn: b.tn }, { tp: 2, fp: 0, fn: 1, tn: 3 });
    assert.equal(b.precision, 1);
    assert.ok(Math.abs(b.recall! - 2 / 3) < 1e-12);
    assert.ok(Math.abs(b.f1! - 0.8) < 1e-12);
    assert.equal(c.precision, null);
    assert.equal(c.recall, 0);
    assert.equal(c.f1, 0);
    assert.equal(d.precision, 0.5);
    assert.ok(Math.abs(d.f1! - 2 / 3) < 1e-12);
  });

  it('counts a score equal to the threshold as predicted useful', () => {
    const [row] = sweep([{ score: 0.5, label: true }], [0.5]);
    assert.equal(row.tp, 1);
  });

  it('recommends the best F1, breaking ties by precision, and the lowest threshold reaching a precision', () => {
    const rows = sweep(items, thresholdGrid(0.2, 0.8, 0.01));
    assert.equal(rows.length, 61);
    assert.equal(rows[10].threshold, 0.3);
    const r = recommend(rows, 0.9);
    // F1 is 6/7 on (0.40, 0.50]; every threshold there has precision 3/4, so the highest one wins.
    assert.equal(r.bestF1!.threshold, 0.5);
    assert.ok(Math.abs(r.bestF1!.f1! - 6 / 7) < 1e-12);
    // Precision reaches 1 once 0.6 is excluded: the first grid point above 0.6.
    assert.equal(r.atMinPrecision!.threshold, 0.61);
    const tie = recommend([
      { threshold: 0.3, tp: 2, fp: 2, fn: 0, tn: 0, precision: 0.5, recall: 1, f1: 2 / 3 },
      { threshold: 0.4, tp: 1, fp: 0, fn: 1, tn: 2, precision: 1, recall: 0.5, f1: 2 / 3 },
      { threshold: 0.5, tp: 1, fp: 0, fn: 1, tn: 2, precision: 1, recall: 0.5, f1: 2 / 3 },
    ]);
    assert.equal(tie.bestF1!.threshold, 0.5, 'equal F1: higher precision, then higher threshold');
    assert.equal(recommend(rows, 1.01).atMinPrecision, null);
    assert.equal(recommend(sweep([{ score: 0.5, label: false }], [0.3])).bestF1, null, 'no positives: nothing to recommend');
  });

  it('bins scores of positives and negatives', () => {
    const bins = scoreHistogram(items, 0.1);
    assert.equal(bins[0].from, 0.2);
    assert.equal(bins.at(-1)!.to, 1);
    assert.equal(
      bins.reduce((n, b) => n + b.positives, 0),
      3,
    );
    assert.equal(
      bins.reduce((n, b) => n + b.negatives, 0),
      3,
    );
    assert.equal(bins.find((b) => b.from === 0.9)!.positives, 1);
  });

  it('counts products per step at each threshold', () => {
    const [low, high] = productsPerStep([[0.9, 0.5, 0.3], [0.4], []], [0.3, 0.6]);
    assert.equal(low.mean, 4 / 3);
    assert.equal(low.median, 1);
    assert.equal(low.p90, 3);
    assert.equal(low.coverage, 2 / 3);
    assert.equal(high.mean, 1 / 3);
    assert.equal(high.coverage, 1 / 3);
  });
});
