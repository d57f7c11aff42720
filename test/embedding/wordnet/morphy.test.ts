import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { morphy } from '../../../src/embedding/wordnet/morphy.js';
import { ADJ, NOUN, VERB, type Pos } from '../../../src/embedding/wordnet/pos.js';

// A hand-made lexicon so these tests check the rules, not the database.
const LEMMAS: Record<Pos, string[]> = {
  [NOUN]: ['tent', 'box', 'church', 'knife', 'glass', 'glasses', 'battery', 'sleeping_bag', 'child', 'dish'],
  [VERB]: ['run', 'bake', 'grill', 'pitch', 'find', 'found', 'leave', 'carry', 'wash'],
  [ADJ]: ['big', 'fine', 'good', 'cold'],
  3: [],
};
const isLemma = (l: string, p: Pos) => LEMMAS[p].includes(l);

describe('morphy', () => {
  it("applies WordNet's noun detachment rules", () => {
    assert.deepEqual(morphy('tents', NOUN, isLemma), ['tent']);
    assert.deepEqual(morphy('boxes', NOUN, isLemma), ['box']);
    assert.deepEqual(morphy('churches', NOUN, isLemma), ['church']);
    assert.deepEqual(morphy('batteries', NOUN, isLemma), ['battery']);
    assert.deepEqual(morphy('dishes', NOUN, isLemma), ['dish']);
  });

  it("applies WordNet's verb and adjective rules, undoubling a final consonant", () => {
    assert.deepEqual(morphy('baked', VERB, isLemma), ['bake']);
    assert.deepEqual(morphy('baking', VERB, isLemma), ['bake']);
    assert.deepEqual(morphy('grilling', VERB, isLemma), ['grill']);
    assert.deepEqual(morphy('pitches', VERB, isLemma), ['pitch']);
    assert.deepEqual(morphy('carried', VERB, isLemma), ['carry']);
    assert.deepEqual(morphy('running', VERB, isLemma), ['run']);
    assert.deepEqual(morphy('bigger', ADJ, isLemma), ['big']);
    assert.deepEqual(morphy('finest', ADJ, isLemma), ['fine']);
  });

  it('uses the irregular-form lists before the rules', () => {
    assert.deepEqual(morphy('knives', NOUN, isLemma), ['knife']);
    assert.deepEqual(morphy('children', NOUN, isLemma), ['child']);
    assert.deepEqual(morphy('ran', VERB, isLemma), ['run']);
    assert.deepEqual(morphy('left', VERB, isLemma), ['leave']);
    assert.deepEqual(morphy('better', ADJ, isLemma), ['good']);
    // "found" is both the past of "find" (exception) and a verb of its own.
    assert.deepEqual(morphy('found', VERB, isLemma), ['find', 'found']);
  });

  it('keeps the word itself when it is a lemma, before rule-derived bases', () => {
    assert.deepEqual(morphy('glasses', NOUN, isLemma), ['glasses', 'glass']);
    assert.deepEqual(morphy('cold', ADJ, isLemma), ['cold']);
  });

  it('inflects only the last word of a collocation', () => {
    assert.deepEqual(morphy('sleeping_bags', NOUN, isLemma), ['sleeping_bag']);
  });

  it('returns nothing for words the lexicon does not know or the wrong part of speech', () => {
    assert.deepEqual(morphy('emberline', NOUN, isLemma), []);
    assert.deepEqual(morphy('tents', VERB, isLemma), []);
    assert.deepEqual(morphy('s', NOUN, isLemma), []);
  });
});
