import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Embedder } from '../../src/core/embedder.js';
import { EmbedderOverloadedError, EmbeddingQueue } from '../../src/embedding/embedding-queue.js';
import { ServiceUnavailableError } from '../../src/core/errors.js';
import { countLoopTurns } from '../helpers/loop-turns.js';

/** An embedder whose calls finish only when the test says so; vector[0] encodes the text's length. */
function gatedEmbedder() {
  const calls: { texts: readonly string[]; finish: () => void; fail: (e: Error) => void }[] = [];
  const embedder: Embedder = {
    id: 'gated',
    dimension: 2,
    defaultThreshold: 0.5,
    embed(texts) {
      return new Promise((resolve, reject) => {
        calls.push({
          texts,
          finish: () => resolve(texts.map((t) => Float32Array.from([t.length, 0]))),
          fail: reject,
        });
      });
    },
    async close() {},
  };
  return { embedder, calls };
}

const tick = () => new Promise((r) => setImmediate(r));
/** After a bulk slice the queue starts its next call a macrotask later: two turns of the loop. */
const turn = async () => {
  await tick();
  await tick();
};

describe('EmbeddingQueue', () => {
  it('runs one model call at a time and merges waiting callers into the next call, results in order', async () => {
    const { embedder, calls } = gatedEmbedder();
    const queue = new EmbeddingQueue(embedder, { maxDepth: 10, timeoutMs: 10_000, maxBatchTexts: 100 });
    const first = queue.embed(['a']);
    const second = queue.embed(['bb', 'ccc']);
    const third = queue.embed(['dddd']);
    await tick();
    assert.equal(calls.length, 1, 'only the first call runs while the model is busy');
    assert.deepEqual(calls[0].texts, ['a']);
    assert.equal(queue.depth, 2);
    calls[0].finish();
    await tick();
    assert.equal(calls.length, 2);
    assert.deepEqual(calls[1].texts, ['bb', 'ccc', 'dddd'], 'waiting callers share one batch');
    calls[1].finish();
    assert.deepEqual(
      (await first).map((v) => v[0]),
      [1],
    );
    assert.deepEqual(
      (await second).map((v) => v[0]),
      [2, 3],
    );
    assert.deepEqual(
      (await third).map((v) => v[0]),
      [4],
    );
  });

  it('never merges past the batch budget, but always runs a single oversized caller', async () => {
    const { embedder, calls } = gatedEmbedder();
    const queue = new EmbeddingQueue(embedder, { maxDepth: 10, timeoutMs: 10_000, maxBatchTexts: 3 });
    const blocker = queue.embed(['x']);
    const big = queue.embed(['1', '2', '3', '4', '5']);
    const small = queue.embed(['6']);
    await tick();
    calls[0].finish();
    await tick();
    assert.deepEqual(calls[1].texts, ['1', '2', '3', '4', '5']);
    calls[1].finish();
    await tick();
    assert.deepEqual(calls[2].texts, ['6']);
    calls[2].finish();
    await Promise.all([blocker, big, small]);
  });

  it('refuses callers beyond the maximum depth at once with a 503-mapped error', async () => {
    const { embedder, calls } = gatedEmbedder();
    const queue = new EmbeddingQueue(embedder, { maxDepth: 2, timeoutMs: 10_000, maxBatchTexts: 100, retryAfterSeconds: 3 });
    const running = queue.embed(['a']);
    await tick();
    const waiting = [queue.embed(['b']), queue.embed(['c'])];
    await assert.rejects(queue.embed(['d']), (err: unknown) => {
      assert.ok(err instanceof EmbedderOverloadedError);
      assert.ok(err instanceof ServiceUnavailableError, 'the HTTP layer answers it 503 by its class');
      assert.equal(err.retryAfterSeconds, 3);
      assert.match(err.message, /queue is full \(2 requests waiting\)/);
      return true;
    });
    calls[0].finish();
    await tick();
    calls[1].finish();
    await Promise.all([running, ...waiting]);
  });

  it('refuses a caller that waited past its deadline, and still finishes the call already running', async () => {
    const { embedder, calls } = gatedEmbedder();
    const queue = new EmbeddingQueue(embedder, { maxDepth: 10, timeoutMs: 30, maxBatchTexts: 100 });
    const running = queue.embed(['slow']);
    const starved = queue.embed(['late']);
    await assert.rejects(starved, /Waited 30 ms/);
    assert.equal(queue.depth, 0, 'the timed-out caller left the queue');
    calls[0].finish();
    assert.deepEqual(
      (await running).map((v) => v[0]),
      [4],
      'work already running is not abandoned',
    );
    await tick();
    assert.equal(calls.length, 1, 'the timed-out texts were never embedded');
  });

  it('passes a model failure to every caller of that batch and keeps serving afterwards', async () => {
    const { embedder, calls } = gatedEmbedder();
    const queue = new EmbeddingQueue(embedder, { maxDepth: 10, timeoutMs: 10_000, maxBatchTexts: 100 });
    const blocker = queue.embed(['a']);
    await tick();
    const p1 = queue.embed(['b']);
    const p2 = queue.embed(['c']);
    calls[0].finish();
    await tick();
    calls[1].fail(new Error('onnx exploded'));
    await assert.rejects(p1, /onnx exploded/);
    await assert.rejects(p2, /onnx exploded/);
    await blocker;
    const after = queue.embed(['dd']);
    await tick();
    calls[2].finish();
    assert.deepEqual(
      (await after).map((v) => v[0]),
      [2],
    );
  });

  it('rejects waiting callers on close and answers an empty batch without a model call', async () => {
    const { embedder, calls } = gatedEmbedder();
    const queue = new EmbeddingQueue(embedder, { maxDepth: 10, timeoutMs: 10_000, maxBatchTexts: 100 });
    assert.deepEqual(await queue.embed([]), []);
    assert.equal(calls.length, 0);
    const running = queue.embed(['a']);
    await tick();
    const waiting = queue.embed(['b']);
    await queue.close();
    await assert.rejects(waiting, /shutting down/);
    calls[0].finish();
    await running;
  });

  describe('interactive and bulk lanes', () => {
    const bulk = { priority: 'bulk' as const };
    /** Runs queued model calls to the end, finishing each as it starts; returns the texts of each call. */
    async function drain(calls: ReturnType<typeof gatedEmbedder>['calls'], from: number): Promise<string[][]> {
      const seen: string[][] = [];
      for (let i = from; ; i++) {
        await turn();
        if (i >= calls.length) return seen;
        seen.push([...calls[i].texts]);
        calls[i].finish();
      }
    }

    it("cuts a bulk caller into slices and answers it whole, in order, with every vector its own text's", async () => {
      const { embedder, calls } = gatedEmbedder();
      const queue = new EmbeddingQueue(embedder, { maxDepth: 10, timeoutMs: 10_000, maxBatchTexts: 100, bulkSliceTexts: 2 });
      const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
      const done = queue.embed(texts, bulk);
      const seen = await drain(calls, 0);
      assert.deepEqual(seen, [['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
      assert.deepEqual(
        (await done).map((v) => v[0]),
        texts.map((t) => t.length),
      );
    });

    it('lets an interactive caller that arrives mid-bulk run after the current slice, ahead of the rest', async () => {
      const { embedder, calls } = gatedEmbedder();
      const queue = new EmbeddingQueue(embedder, { maxDepth: 10, timeoutMs: 10_000, maxBatchTexts: 100, bulkSliceTexts: 2 });
      const big = queue.embed(['1', '2', '3', '4', '5', '6'], bulk);
      await turn();
      assert.deepEqual(calls[0].texts, ['1', '2'], 'bulk starts with one slice');
      const live = queue.embed(['live'], { priority: 'interactive' });
      const later = queue.embed(['also live']);
      calls[0].finish();
      const seen = await drain(calls, 1);
      assert.deepEqual(seen[0], ['live', 'also live'], 'interactive callers waited one slice, merged into one call');
      assert.deepEqual(seen.slice(1), [
        ['3', '4'],
        ['5', '6'],
      ]);
      assert.deepEqual(
        (await live).map((v) => v[0]),
        [4],
      );
      assert.equal((await later)[0][0], 9);
      assert.equal((await big).length, 6);
    });

    it('lets bulk callers take turns a slice at a time, so one big caller does not hold back a small one', async () => {
      const { embedder, calls } = gatedEmbedder();
      const queue = new EmbeddingQueue(embedder, { maxDepth: 10, timeoutMs: 10_000, maxBatchTexts: 100, bulkSliceTexts: 2 });
      const big = queue.embed(['a1', 'a2', 'a3', 'a4', 'a5', 'a6'], bulk);
      const small = queue.embed(['b1'], bulk);
      const seen = await drain(calls, 0);
      assert.deepEqual(seen, [['a1', 'a2'], ['b1'], ['a3', 'a4'], ['a5', 'a6']]);
      await Promise.all([big, small]);
    });

    it('fails a sliced caller once on a model failure, drops its remaining slices, and serves the others', async () => {
      const { embedder, calls } = gatedEmbedder();
      const queue = new EmbeddingQueue(embedder, { maxDepth: 10, timeoutMs: 10_000, maxBatchTexts: 100, bulkSliceTexts: 2 });
      const doomed = queue.embed(['a1', 'a2', 'a3', 'a4'], bulk);
      const other = queue.embed(['b1'], bulk);
      await turn();
      calls[0].fail(new Error('onnx exploded'));
      await assert.rejects(doomed, /onnx exploded/);
      const seen = await drain(calls, 1);
      assert.deepEqual(seen, [['b1']], 'nothing more of the failed caller was embedded');
      await other;
      assert.equal(queue.depth, 0);
    });

    it('never times out a bulk caller whose first slice has run', async () => {
      const { embedder, calls } = gatedEmbedder();
      const queue = new EmbeddingQueue(embedder, { maxDepth: 10, timeoutMs: 20, maxBatchTexts: 100, bulkSliceTexts: 1 });
      const begun = queue.embed(['a', 'b'], bulk);
      await turn();
      await new Promise((r) => setTimeout(r, 40)); // past the deadline while its first slice runs
      calls[0].finish();
      await turn();
      calls[1].finish();
      assert.equal((await begun).length, 2);
    });

    it('gives the event loop a turn between bulk slices, even when the model answers at once', async () => {
      const loop = countLoopTurns();
      const seenAt: number[] = [];
      const instant: Embedder = {
        id: 'instant',
        dimension: 1,
        defaultThreshold: 0.5,
        embed: async (texts) => {
          seenAt.push(loop.turns);
          return texts.map(() => Float32Array.from([1]));
        },
        close: async () => {},
      };
      try {
        const queue = new EmbeddingQueue(instant, { maxDepth: 10, timeoutMs: 10_000, maxBatchTexts: 100, bulkSliceTexts: 1 });
        await queue.embed(['a', 'b', 'c', 'd'], bulk);
      } finally {
        loop.stop();
      }
      assert.equal(seenAt.length, 4);
      for (let i = 1; i < seenAt.length; i++)
        assert.ok(seenAt[i] > seenAt[i - 1], `a timer ran between slice ${i - 1} and slice ${i}: ${seenAt.join(', ')}`);
    });
  });
});
