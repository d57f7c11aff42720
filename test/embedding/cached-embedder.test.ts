import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CachedEmbedder } from '../../src/embedding/cached-embedder.js';
import type { Embedder } from '../../src/core/embedder.js';
import { EmbeddingCache } from '../../src/embedding/embedding-cache.js';
import { LexicalEmbedder } from '../../src/embedding/lexical/lexical-embedder.js';

const dir = mkdtempSync(join(tmpdir(), 'ecomalign-cached-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The lexical embedder under another id, counting what it is asked to embed. */
function counting(id = 'counting-model') {
  const inner = new LexicalEmbedder();
  const calls: string[][] = [];
  const embedder: Embedder & { calls: string[][]; closed: number } = {
    id,
    dimension: inner.dimension,
    defaultThreshold: 0.42,
    calls,
    closed: 0,
    async embed(texts) {
      calls.push([...texts]);
      return inner.embed(texts);
    },
    async close() {
      this.closed++;
    },
  };
  return embedder;
}

describe('CachedEmbedder', () => {
  const path = join(dir, 'cache', 'embeddings.sqlite');

  it('embeds only misses, each distinct text once, and returns bit-identical vectors', async () => {
    const inner = counting();
    const cached = new CachedEmbedder(inner, new EmbeddingCache({ path }));
    assert.equal(cached.id, inner.id);
    assert.equal(cached.dimension, inner.dimension);
    assert.equal(cached.defaultThreshold, 0.42);
    const first = await cached.embed(['light the grill', 'pack the tent', 'light the grill']);
    assert.deepEqual(inner.calls, [['light the grill', 'pack the tent']]);
    const second = await cached.embed(['pack the tent', 'bake a cake', 'light the grill']);
    assert.deepEqual(inner.calls[1], ['bake a cake'], 'hits are not embedded again');
    assert.deepEqual(
      Buffer.from(second[0].buffer, second[0].byteOffset, second[0].byteLength),
      Buffer.from(first[1].buffer, first[1].byteOffset, first[1].byteLength),
    );
    const direct = await new LexicalEmbedder().embed(['light the grill']);
    assert.deepEqual(second[2], direct[0]);
    assert.deepEqual(cached.counters, { hits: 2, misses: 3 }, 'hits: texts answered from the cache; misses: distinct texts embedded');
    await cached.close();
    assert.equal(inner.closed, 1);
  });

  it('answers from disk after a reopen, and misses for another model id', async () => {
    const inner = counting();
    const reopened = new CachedEmbedder(inner, new EmbeddingCache({ path }));
    const [v] = await reopened.embed(['bake a cake']);
    assert.deepEqual(inner.calls, [], 'persisted across reopen');
    assert.deepEqual(v, (await new LexicalEmbedder().embed(['bake a cake']))[0]);
    await reopened.close();

    const other = counting('another-model');
    const otherCached = new CachedEmbedder(other, new EmbeddingCache({ path }));
    await otherCached.embed(['bake a cake']);
    assert.deepEqual(other.calls, [['bake a cake']], 'keyed by model id');
    await otherCached.close();
  });
});
