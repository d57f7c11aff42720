import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rankStep, scoredAgainst, type StepCandidates } from '../../../src/align/scoring/step-ranking.js';
import { completeScoring } from '../../../src/align/scoring/scoring.js';
import { lexicalScale } from '../../../src/align/scoring/lexical-scale.js';
import type { LexicalMatch, ProductMatch, StoredText } from '../../../src/core/vector-store.js';

/** A unit vector in the plane at angle θ from the query (1, 0): its cosine with the query is cos θ. */
function at(cos: number): Float32Array {
  return new Float32Array([cos, Math.sqrt(1 - cos * cos)]);
}
const query = new Float32Array([1, 0]);

function texts(...cosines: number[]): StoredText[] {
  return cosines.map((c, i) => ({ kind: 'intention', text: `t${i} ${c}`, vector: at(c) }));
}

/** Every candidate's texts with their cosines against the query, as the retriever hands them over. */
function scored(stored: Map<string, StoredText[]>) {
  return new Map([...stored].map(([id, t]) => [id, scoredAgainst(query, t)]));
}

function semanticHit(productId: string, score: number, text: string): ProductMatch {
  return { productId, title: productId.toUpperCase(), category: null, score, matched: { kind: 'intention', text } };
}

// "lucky": one intention at 0.9, three unrelated. "steady": four intentions at 0.6, 0.55, 0.5, 0.5.
const stored = new Map<string, StoredText[]>([
  ['lucky', texts(0.9, 0.1, 0.2, 0.0)],
  ['steady', texts(0.6, 0.55, 0.5, 0.5)],
]);
const semantic = [semanticHit('lucky', 0.9, 't0 0.9'), semanticHit('steady', 0.6, 't0 0.6')];

function near(a: number, b: number): boolean {
  return Math.abs(a - b) < 1e-6;
}

describe('rankStep', () => {
  it('mean ranks the steady product first and scores it by hand-computed averages', () => {
    const got = rankStep({ semantic, texts: scored(stored) }, completeScoring({ aggregate: 'mean' }), 10, -1);
    assert.deepEqual(
      got.map((m) => m.productId),
      ['steady', 'lucky'],
    );
    assert.ok(near(got[0].score, (0.6 + 0.55 + 0.5 + 0.5) / 4));
    assert.ok(near(got[1].score, (0.9 + 0.1 + 0.2 + 0.0) / 4));
    // The explanation is still the product's best text.
    assert.equal(got[1].matched.text, 't0 0.9');
    assert.deepEqual(got[1].matched.by, ['semantic']);
  });

  it('topm (m = 2) scores by the two best texts; the threshold applies to the aggregated score', () => {
    const got = rankStep({ semantic, texts: scored(stored) }, completeScoring({ aggregate: 'topm', m: 2 }), 10, 0.56);
    // lucky: (0.9 + 0.2) / 2 = 0.55 < 0.56 is dropped; steady: (0.6 + 0.55) / 2 = 0.575 stays.
    assert.deepEqual(
      got.map((m) => [m.productId, Math.round(m.score * 1000) / 1000]),
      [['steady', 0.575]],
    );
  });

  it('drops a candidate whose texts are gone (deleted between the search and the read)', () => {
    const got = rankStep(
      { semantic, texts: scored(new Map([['steady', stored.get('steady')!]])) },
      completeScoring({ aggregate: 'mean' }),
      10,
      -1,
    );
    assert.deepEqual(
      got.map((m) => m.productId),
      ['steady'],
    );
  });

  describe('hybrid, where the two sides disagree', () => {
    // Semantic prefers "lucky"; BM25 found only "cable" (a product semantic did not return) and "steady".
    const cable: StoredText[] = [
      { kind: 'title', text: 'USB-C cable 6 ft', vector: at(0.2) },
      { kind: 'intention', text: 'because they need a longer cable', vector: at(0.3) },
    ];
    const withCable = new Map(stored).set('cable', cable);
    const lexical: LexicalMatch[] = [
      { productId: 'cable', title: 'CABLE', category: null, texts: [{ kind: 'title', text: 'USB-C cable 6 ft', score: 24 }] },
      { productId: 'steady', title: 'STEADY', category: null, texts: [{ kind: 'intention', text: 't1 0.55', score: 8 }] },
    ];
    const c: StepCandidates = { semantic, lexical, texts: scored(withCable) };

    it('weighted fusion: alpha·max(0, cos) + (1−alpha)·saturated BM25, by hand', () => {
      const got = rankStep(c, completeScoring({ retrieval: 'hybrid', fusion: 'weighted', alpha: 0.5 }), 10, 0);
      const want = new Map([
        ['lucky', 0.5 * 0.9 + 0.5 * 0],
        ['steady', 0.5 * 0.6 + 0.5 * lexicalScale(8)], // 0.3 + 0.25
        ['cable', 0.5 * 0.3 + 0.5 * lexicalScale(24)], // 0.15 + 0.375
      ]);
      assert.deepEqual(
        got.map((m) => m.productId),
        ['steady', 'cable', 'lucky'],
      );
      for (const m of got) assert.ok(near(m.score, want.get(m.productId)!), `${m.productId} ${m.score}`);
      const byId = new Map(got.map((m) => [m.productId, m]));
      assert.deepEqual(byId.get('steady')!.matched.by, ['semantic', 'lexical']);
      assert.deepEqual(byId.get('lucky')!.matched.by, ['semantic']);
      assert.deepEqual(byId.get('cable')!.matched.by, ['lexical']);
      // A product only BM25 found is explained by its BM25 text, and its semantic side is still exact.
      assert.deepEqual(byId.get('cable')!.matched.text, 'USB-C cable 6 ft');
      assert.ok(near(byId.get('cable')!.sides!.semantic!, 0.3));
      assert.equal(byId.get('lucky')!.sides!.lexical, 0);
    });

    it('alpha = 1 is semantic only, alpha = 0 lexical only', () => {
      const semOnly = rankStep(c, completeScoring({ retrieval: 'hybrid', alpha: 1 }), 10, 0);
      assert.deepEqual(
        semOnly.map((m) => m.productId),
        ['lucky', 'steady', 'cable'],
      );
      const lexOnly = rankStep(c, completeScoring({ retrieval: 'hybrid', alpha: 0 }), 2, 0.01);
      assert.deepEqual(
        lexOnly.map((m) => m.productId),
        ['cable', 'steady'],
      );
    });

    it('rrf: 1/(60 + rank) per side, no threshold', () => {
      const got = rankStep(c, completeScoring({ retrieval: 'hybrid', fusion: 'rrf' }), 10, null);
      // semantic ranks (by exact max): lucky 1, steady 2, cable 3 (cable is scored exactly even though only BM25 found it,
      // but it is ranked on the semantic side only if that side returned it: it did not).
      const want = new Map([
        ['lucky', 1 / 61],
        ['steady', 1 / 62 + 1 / 62],
        ['cable', 1 / 61],
      ]);
      for (const m of got) assert.ok(near(m.score, want.get(m.productId)!), `${m.productId} ${m.score}`);
      assert.deepEqual(
        got.map((m) => m.productId),
        ['steady', 'cable', 'lucky'], // cable and lucky tie at 1/61: product id decides
      );
    });
  });

  it('lexical under mean counts the texts BM25 did not match as 0', () => {
    const lexical: LexicalMatch[] = [
      { productId: 'steady', title: 'STEADY', category: null, texts: [{ kind: 'intention', text: 't1 0.55', score: 8 }] },
    ];
    const got = rankStep({ lexical, texts: scored(stored) }, completeScoring({ retrieval: 'lexical', aggregate: 'mean' }), 10, 0);
    assert.ok(near(got[0].score, lexicalScale(8) / 4));
    assert.deepEqual(got[0].matched, { kind: 'intention', text: 't1 0.55', by: ['lexical'] });
  });
});
