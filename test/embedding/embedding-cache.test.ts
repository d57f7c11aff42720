import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EmbeddingCache } from '../../src/embedding/embedding-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'ecomalign-cache-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const vec = (...xs: number[]) => Float32Array.from(xs);

describe('EmbeddingCache', () => {
  it('stores by model and text, persists across reopen, and misses on another model or dimension', () => {
    const path = join(dir, 'a', 'embeddings.sqlite');
    let cache = new EmbeddingCache({ path, maxPending: 2 });
    cache.put('m1', ['a', 'b', 'c'], [vec(1, 0), vec(0, 1), vec(0.6, 0.8)]);
    const [a, x] = cache.get('m1', ['a', 'x'], 2);
    assert.deepEqual(a, vec(1, 0), 'pending and flushed entries are both found');
    assert.equal(x, undefined);
    cache.close();
    cache = new EmbeddingCache({ path });
    assert.deepEqual(cache.get('m1', ['c', 'b', 'a'], 2), [vec(0.6, 0.8), vec(0, 1), vec(1, 0)]);
    assert.deepEqual(cache.get('m2', ['a'], 2), [undefined], 'keyed by model id');
    assert.deepEqual(cache.get('m1', ['a'], 3), [undefined], 'a vector of another length is a miss');
    assert.equal(cache.size(), 3);
    cache.close();
  });

  it('looks up more keys than one SQL statement takes', () => {
    const cache = new EmbeddingCache({ path: join(dir, 'b.sqlite') });
    const texts = Array.from({ length: 1234 }, (_, i) => `text ${i}`);
    cache.put(
      'm',
      texts,
      texts.map((_, i) => vec(i, -i)),
    );
    cache.flush();
    const got = cache.get('m', texts, 2);
    assert.ok(got.every((v, i) => v && v[0] === i && v[1] === -i));
    cache.close();
  });

  it('is best effort on a full disk: a failed flush drops its entries, is counted, logged once per interval, and never thrown', () => {
    const path = join(dir, 'full', 'embeddings.sqlite');
    const warnings: object[] = [];
    let now = 0;
    const cache = new EmbeddingCache({
      path,
      maxPending: 4,
      logger: { warn: (o) => warnings.push(o) },
      warnEveryMs: 60_000,
      now: () => now,
    });
    cache.put('m1', ['seed'], [vec(1, 0)]);
    cache.flush();
    cache.capGrowth(true);
    const many = (from: number) => Array.from({ length: 400 }, (_, i) => `text ${from + i}`);
    const vectors = Array.from({ length: 400 }, () => vec(0, 1));
    assert.doesNotThrow(() => cache.put('m1', many(0), vectors));
    assert.doesNotThrow(() => cache.put('m1', many(400), vectors));
    assert.deepEqual(cache.failures, { writes: 2, droppedEntries: 800, reads: 0 });
    assert.equal(warnings.length, 1, 'the second failure within the interval is not logged');
    assert.match(JSON.stringify(warnings[0]), /"code":"SQLITE_FULL".*"storage":"full"/);
    assert.deepEqual(cache.get('m1', ['seed', 'text 0'], 2), [vec(1, 0), undefined], 'what was stored is read; what was dropped is a miss');
    now += 60_000;
    cache.put('m1', many(800), vectors);
    assert.equal(warnings.length, 2);
    assert.match(JSON.stringify(warnings[1]), /"suppressedSinceLast":1/);
    cache.capGrowth(false);
    cache.put('m1', many(1200), vectors);
    assert.equal(cache.failures.writes, 3, 'space is back: the flush succeeds');
    assert.equal(cache.size(), 401);
    assert.doesNotThrow(() => cache.close());
  });
});
