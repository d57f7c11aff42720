/**
 * The concept features and the word table on the real WordNet database (loaded once for this file,
 * a few seconds); the table is built for a handful of lemmas only.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { dot } from '../../../src/core/vector-math.js';
import { emitConceptFeatures, type FeatureContext } from '../../../src/embedding/wordnet/concept-features.js';
import { DEFAULT_WORDNET_PARAMS, paramsHash, type WordNetParams } from '../../../src/embedding/wordnet/params.js';
import { ADJ, NOUN, VERB, type Pos } from '../../../src/embedding/wordnet/pos.js';
import { buildWordTable, featureContext } from '../../../src/embedding/wordnet/table-build.js';
import { deserializeWordTable, serializeWordTable } from '../../../src/embedding/wordnet/table-file.js';
import { loadWordNet, type WordNet } from '../../../src/embedding/wordnet/wordnet-db.js';

let wn: WordNet;
let ctx: FeatureContext;

interface Features {
  synsets: Map<number, number>;
  words: Map<string, number>;
}

function features(lemma: string, pos: Pos, params: Partial<WordNetParams> = {}): Features {
  const f: Features = { synsets: new Map(), words: new Map() };
  emitConceptFeatures({ ...ctx, params: { ...DEFAULT_WORDNET_PARAMS, ...params } }, lemma, pos, {
    synset: (s, w) => f.synsets.set(s, (f.synsets.get(s) ?? 0) + w),
    word: (word, w) => f.words.set(word, (f.words.get(word) ?? 0) + w),
  });
  return f;
}

/** Index of the synset whose words include all of `words` (and has part of speech `pos`). */
function synsetWith(pos: Pos, ...words: string[]): number {
  for (let s = 0; s < wn.synsetCount; s++) {
    if (wn.synsetPos[s] === pos && words.every((w) => wn.synsetWords[s].includes(w))) return s;
  }
  throw new Error(`no synset with ${words.join(', ')}`);
}

describe('WordNet concept features', () => {
  before(() => {
    wn = loadWordNet();
    ctx = featureContext(wn, DEFAULT_WORDNET_PARAMS);
  });

  it('reads senses in WordNet order with their tag counts from index.sense', () => {
    const tent = wn.senses.get('tent')?.[NOUN];
    assert.ok(tent);
    assert.deepEqual(Array.from(tent.tagCounts), [17, 0]);
    assert.ok(wn.synsetWords[tent.synsets[0]].includes('collapsible_shelter'));
    assert.ok(wn.definitions[tent.synsets[0]].startsWith('a portable shelter'));
  });

  it('weights senses by frequency: the common "tent" outweighs the spider-web sense', () => {
    const f = features('tent', NOUN);
    const [common, rare] = wn.senses.get('tent')![NOUN]!.synsets;
    assert.ok(f.synsets.get(common)! > 10 * f.synsets.get(rare)!);
  });

  it('follows hypernyms two levels with decay', () => {
    const f = features('tent', NOUN);
    const shelter = synsetWith(NOUN, 'shelter');
    assert.ok(f.synsets.has(shelter), 'tent -> shelter');
    // shelter's own hypernym (structure, construction) is reached at level 2 with less weight.
    const structure = synsetWith(NOUN, 'structure', 'construction');
    assert.ok(f.synsets.has(structure));
    assert.ok(f.synsets.get(structure)! < f.synsets.get(shelter)!);
  });

  it('follows derivations, part/whole relations and topic domains', () => {
    const campVerb = synsetWith(VERB, 'camp', 'encamp', 'tent');
    assert.ok(features('camping', NOUN).synsets.has(campVerb), 'camping -> camp (v) by derivation');
    assert.ok(features('tent', NOUN).synsets.has(campVerb), 'tent -> tent (v) by derivation');
    assert.ok(features('tent', NOUN).synsets.has(synsetWith(NOUN, 'guy', 'guy_wire')), 'tent has part guy wire');
    assert.ok(features('putt', VERB).synsets.has(synsetWith(NOUN, 'golf', 'golf_game')), 'putt is in the golf domain');
  });

  it('adds its own word, synonyms and IDF-weighted definition words', () => {
    const f = features('tent', NOUN);
    assert.ok(f.words.get('tent')! >= DEFAULT_WORDNET_PARAMS.selfWord, 'at least its self weight (it is also a related word)');
    assert.ok(f.words.has('collapsible_shelter'));
    assert.ok(f.words.has('canvas') && f.words.has('pole') && f.words.has('peg'), 'definition words, normalised by morphy');
    // The camping definition mentions tents: that is where "tent" and "camping" meet word for word.
    assert.ok(features('camping', NOUN).words.has('tent'));
    assert.ok(ctx.idf.idf('make') < ctx.idf.idf('canvas'), 'common gloss words weigh less');
  });

  it('indexes gloss back-links: the synsets whose definitions use a word', () => {
    const barbecue = synsetWith(NOUN, 'barbecue', 'barbeque'); // "a rack to hold meat for cooking over hot charcoal ..."
    assert.ok(ctx.backlinks.get('charcoal')!.includes(barbecue));
    assert.ok(ctx.backlinks.get('meat')!.includes(barbecue));
    assert.ok(!ctx.backlinks.get('tent')!.includes(barbecue));
  });

  it('follows gloss back-links (v2): "charcoal" carries the barbecue rack, weighted by the word\'s IDF', () => {
    const barbecue = synsetWith(NOUN, 'barbecue', 'barbeque');
    assert.ok(!features('charcoal', NOUN, { glossBacklink: 0 }).synsets.has(barbecue));
    const f = features('charcoal', NOUN);
    assert.ok(f.synsets.has(barbecue) && f.words.has('barbecue'));
    // A common gloss word ("hold", in 413 definitions vs 14 for "charcoal") spreads its block far thinner per synset.
    const hold = features('hold', VERB, { relatedGloss: 0 });
    assert.ok((hold.synsets.get(barbecue) ?? 0) < f.synsets.get(barbecue)! / 5);
  });

  it("adds second-order glosses (v2): what a sense's neighbours are defined with", () => {
    // grill (n) -> grill (v) by derivation, defined "cook over a grill": "cook" is not in grill (n)'s own definitions.
    const without = features('grill', NOUN, { relatedGloss: 0, glossBacklink: 0 });
    const withIt = features('grill', NOUN, { glossBacklink: 0 });
    const added = [...withIt.words.keys()].filter((w) => !without.words.has(w));
    assert.ok(added.includes('cook'), added.join(' '));
    assert.ok(!without.words.has('cook'));
  });

  it('v2 relations bring "grill" and "barbecue" closer without moving unrelated words', () => {
    const v1 = { relatedGloss: 0, glossBacklink: 0 };
    const lemmas = ['grill', 'barbecue', 'cake', 'laptop'];
    const t1 = buildWordTable({ ...DEFAULT_WORDNET_PARAMS, ...v1 }, { wordnet: wn, onlyLemmas: lemmas });
    const t2 = buildWordTable(DEFAULT_WORDNET_PARAMS, { wordnet: wn, onlyLemmas: lemmas });
    const cos = (t: typeof t1, a: string, b: string, p: Pos) => dot(t.rowVector(t.rowOf(a, p)), t.rowVector(t.rowOf(b, p)));
    assert.ok(cos(t2, 'grill', 'barbecue', NOUN) > cos(t1, 'grill', 'barbecue', NOUN) + 0.05);
    assert.ok(cos(t2, 'grill', 'barbecue', VERB) > cos(t1, 'grill', 'barbecue', VERB));
    assert.ok(Math.abs(cos(t2, 'grill', 'cake', NOUN)) < 0.1 && Math.abs(cos(t2, 'grill', 'laptop', NOUN)) < 0.1);
  });

  it('scales synset features by information content', () => {
    const entity = synsetWith(NOUN, 'entity');
    assert.ok(ctx.ic[entity] < 0.05);
    assert.equal(ctx.ic[synsetWith(NOUN, 'pup_tent', 'shelter_tent')], 1);
    assert.equal(ctx.ic[synsetWith(ADJ, 'cold')], 1);
  });

  it('builds rows that put related words closer than unrelated ones, and round-trips through the file format', () => {
    const table = buildWordTable(DEFAULT_WORDNET_PARAMS, {
      wordnet: wn,
      onlyLemmas: ['tent', 'camping', 'grill', 'barbecue', 'laptop', 'cake'],
    });
    const row = (l: string, p: Pos) => table.rowVector(table.rowOf(l, p));
    assert.ok(Math.abs(dot(row('tent', NOUN), row('tent', NOUN)) - 1) < 0.02, 'rows are unit length (up to int8 rounding)');
    assert.ok(dot(row('tent', NOUN), row('camping', NOUN)) > dot(row('tent', NOUN), row('cake', NOUN)) + 0.2);
    assert.ok(dot(row('grill', VERB), row('barbecue', VERB)) > dot(row('grill', VERB), row('laptop', NOUN)) + 0.1);

    const hash = paramsHash(DEFAULT_WORDNET_PARAMS, 1);
    const copy = deserializeWordTable(serializeWordTable(table, 'test-id', hash), { id: 'test-id', paramsHash: hash });
    assert.deepEqual(copy.data.lemmas, table.data.lemmas);
    assert.deepEqual(Array.from(copy.data.rows), Array.from(table.data.rows));
    assert.deepEqual(Array.from(copy.data.rowScale), Array.from(table.data.rowScale));
    assert.throws(
      () => deserializeWordTable(serializeWordTable(table, 'test-id', hash), { id: 'test-id', paramsHash: 'other' }),
      /expected/,
    );
  });
});
