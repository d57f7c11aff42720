import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dot } from '../../../src/core/vector-math.js';
import {
  LEXICAL_DEFAULT_THRESHOLD,
  LEXICAL_DIMENSION,
  LEXICAL_EMBEDDER_ID,
  LexicalEmbedder,
} from '../../../src/embedding/lexical/lexical-embedder.js';

const embedder = new LexicalEmbedder();

async function one(text: string): Promise<Float32Array> {
  const [v] = await embedder.embed([text]);
  return v;
}

async function sim(a: string, b: string): Promise<number> {
  const [x, y] = await embedder.embed([a, b]);
  return dot(x, y);
}

function norm(v: Float32Array): number {
  return Math.sqrt(dot(v, v));
}

describe('LexicalEmbedder', () => {
  it('exposes a stable id, 384 dimensions and the provisional threshold', () => {
    assert.equal(embedder.id, 'lexical-hash-384-v1');
    assert.equal(embedder.id, LEXICAL_EMBEDDER_ID);
    assert.equal(embedder.dimension, 384);
    assert.equal(LEXICAL_DIMENSION, 384);
    assert.equal(embedder.defaultThreshold, LEXICAL_DEFAULT_THRESHOLD);
    assert.ok(LEXICAL_DEFAULT_THRESHOLD > 0 && LEXICAL_DEFAULT_THRESHOLD < 1);
    assert.equal(new LexicalEmbedder({ defaultThreshold: 0.4 }).defaultThreshold, 0.4);
  });

  it('returns unit vectors of the declared dimension', async () => {
    const texts = ['Buy charcoal', 'because they want to grill outdoors', 'Light the grill and wait 20 minutes', 'x'];
    const vs = await embedder.embed(texts);
    assert.equal(vs.length, texts.length);
    for (const v of vs) {
      assert.ok(v instanceof Float32Array);
      assert.equal(v.length, 384);
      assert.ok(Math.abs(norm(v) - 1) < 1e-5, `norm ${norm(v)}`);
      assert.ok(v.every(Number.isFinite));
    }
  });

  it('returns views into one buffer for the batch', async () => {
    const vs = await embedder.embed(['a tent', 'a cooler', 'a kettle']);
    assert.ok(vs.every((v) => v.buffer === vs[0].buffer));
    assert.equal(vs[0].buffer.byteLength, 3 * 384 * 4);
    assert.deepEqual(
      vs.map((v) => v.byteOffset),
      [0, 384 * 4, 2 * 384 * 4],
    );
  });

  it('is deterministic across calls and instances', async () => {
    const text = 'because they want to keep their drinks cold at the beach';
    const a = await one(text);
    const b = await one(text);
    const c = (await new LexicalEmbedder().embed([text]))[0];
    assert.deepEqual(Array.from(a), Array.from(b));
    assert.deepEqual(Array.from(a), Array.from(c));
    // Same text embedded alone and inside a batch.
    const [, inBatch] = await embedder.embed(['something else entirely', text]);
    assert.deepEqual(Array.from(inBatch), Array.from(a));
  });

  it('preserves batch order', async () => {
    const texts = ['grill steaks', 'bake a cake', '', 'paint the fence', 'grill steaks', 'walk the dog'];
    const batch = await embedder.embed(texts);
    for (let i = 0; i < texts.length; i++) {
      assert.deepEqual(Array.from(batch[i]), Array.from(await one(texts[i])), `text ${i}`);
    }
    assert.deepEqual(Array.from(batch[0]), Array.from(batch[4]));
    assert.deepEqual(await embedder.embed([]), []);
  });

  it('scores morphological variants higher than unrelated texts', async () => {
    const variants = await sim('grilling steaks', 'grilled steak');
    const unrelated = await sim('grilling steaks', 'paint the fence');
    assert.ok(variants > 0.7, `variants ${variants}`);
    assert.ok(Math.abs(unrelated) < 0.2, `unrelated ${unrelated}`);
    assert.ok((await sim('grill', 'grills')) > 0.7);
    assert.ok((await sim('camping', 'camp')) > (await sim('camping', 'cake')));
  });

  it('puts intentions sharing a content word above the threshold and unrelated ones below it', async () => {
    const shared = await sim('because they want to grill outdoors', 'because they want to grill steaks');
    const unrelated = await sim('because they want to grill outdoors', 'because they want to bake a birthday cake');
    assert.ok(shared >= LEXICAL_DEFAULT_THRESHOLD, `shared ${shared}`);
    assert.ok(unrelated < LEXICAL_DEFAULT_THRESHOLD, `unrelated ${unrelated}`);
  });

  it('does not let the "because they want to" prefix make intentions similar', async () => {
    const pairs: Array<[string, string]> = [
      ['because they want to grill outdoors', 'because they want to paint the nursery'],
      ['because they want to bake cookies', 'because they want to fix a flat bike tire'],
      ['because they want to go camping', 'because they want to clean the bathroom'],
      ['because they need to charge their phone', 'because they want to plant tomatoes'],
    ];
    for (const [a, b] of pairs) {
      const s = await sim(a, b);
      assert.ok(Math.abs(s) < 0.2, `${a} / ${b}: ${s}`);
    }
    // The same content with and without the template is (nearly) identical.
    assert.ok((await sim('because they want to grill outdoors', 'grill outdoors')) > 0.99);
  });

  it('maps empty, whitespace and punctuation-only input to the zero vector', async () => {
    for (const text of ['', '   ', '\n\t', '?!...', '—']) {
      const v = await one(text);
      assert.equal(v.length, 384);
      assert.ok(
        v.every((x) => x === 0),
        JSON.stringify(text),
      );
    }
  });

  it('embeds a text made only of stop words from its stop words', async () => {
    const v = await one('because they want to');
    assert.ok(Math.abs(norm(v) - 1) < 1e-5);
  });

  it('handles Unicode: case, accents, non-Latin scripts, emoji and surrogate pairs', async () => {
    assert.ok((await sim('Crème Brûlée', 'creme brulee')) > 0.99);
    assert.ok((await sim('GRILL', 'grill')) > 0.99);
    assert.ok((await sim('ＧＲＩＬＬ', 'grill')) > 0.99, 'full-width forms fold to ASCII');
    assert.ok((await sim('𝒢𝓇𝒾𝓁𝓁', 'grill')) > 0.99, 'mathematical letters (surrogate pairs) fold to ASCII');
    assert.ok((await sim('İstanbul', 'istanbul')) > 0.99);
    for (const text of ['日本のお茶を買う', 'купить уголь', '🔥🔥 grill 🍖', '𝒢𝓇𝒾𝓁𝓁', 'naïve café', 'e\u0301']) {
      const v = await one(text);
      assert.ok(Math.abs(norm(v) - 1) < 1e-5, `${text}: ${norm(v)}`);
    }
    assert.ok((await sim('🔥🔥 grill 🍖', 'grill')) > 0.99, 'emoji are separators');
    assert.ok((await sim('купить уголь', 'уголь')) > 0.3);
  });

  it('is robust to odd input values and long texts', async () => {
    const long = 'because they want to grill '.repeat(500) + 'outdoors';
    const [v] = await embedder.embed([long]);
    assert.ok(Math.abs(norm(v) - 1) < 1e-5);
    const many = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
    const [w] = await embedder.embed([many]);
    assert.ok(Math.abs(norm(w) - 1) < 1e-5);
  });
});
