/**
 * The service's embedder runs the model on a thread of its own: same vectors as in-thread, the HTTP thread keeps
 * turning while a batch is embedded, and a crashed model thread is replaced on the next call.
 */
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import type { Embedder } from '../../src/core/embedder.js';
import { ServiceUnavailableError } from '../../src/core/errors.js';
import { BUNDLED_MODEL_ID, bundledModelsRoot } from '../../src/embedding/bundled-model.js';
import { ThreadedTransformersEmbedder } from '../../src/embedding/threaded-transformers-embedder.js';
import { TransformersEmbedder } from '../../src/embedding/transformers-embedder.js';

const options = { modelId: BUNDLED_MODEL_ID, modelDir: bundledModelsRoot(), allowRemoteModels: false, threads: 1 };
const texts = Array.from(
  { length: 96 },
  (_, i) => `step ${i}: keep the drinks cold at the backyard barbecue while the charcoal gets going`,
);

/** Event-loop turns this thread completes while `embedder` embeds `texts`. */
async function turnsDuring(embedder: Embedder): Promise<number> {
  let done = false;
  const work = embedder.embed(texts).finally(() => (done = true));
  let turns = 0;
  while (!done) {
    await turn();
    turns++;
  }
  await work;
  return turns;
}

describe('ThreadedTransformersEmbedder', () => {
  let threaded: ThreadedTransformersEmbedder;
  let inThread: TransformersEmbedder;

  before(async () => {
    [threaded, inThread] = await Promise.all([ThreadedTransformersEmbedder.load(options), TransformersEmbedder.load(options)]);
  });
  after(async () => {
    await threaded?.close();
    await inThread?.close();
  });

  it('names the same model and returns the same vectors as the in-thread embedder', async () => {
    assert.equal(threaded.id, inThread.id);
    assert.equal(threaded.dimension, 384);
    assert.equal(threaded.variant, inThread.variant);
    assert.ok(threaded.verified);
    const [a, b] = await Promise.all([threaded.embed(texts.slice(0, 8)), inThread.embed(texts.slice(0, 8))]);
    assert.deepEqual(a, b);
  });

  it('leaves the calling thread free while the model runs (the in-thread embedder, as control, holds it)', async () => {
    const free = await turnsDuring(threaded);
    const held = await turnsDuring(inThread);
    // Measured: thousands of turns against a handful; the control shows the check can fail.
    console.log(`event-loop turns while embedding ${texts.length} texts: threaded ${free}, in-thread ${held}`);
    assert.ok(free > 20 * Math.max(1, held), `turns while embedding: threaded ${free}, in-thread ${held}`);
  });

  it('fails calls in flight with a 503-mapped error, and replaces the crashed thread on the next call', async () => {
    const [before1] = await threaded.embed(['Light the charcoal']);
    const copy = Float32Array.from(before1);
    const inFlight = threaded.embed(texts);
    await threaded.crashForTest();
    await assert.rejects(
      inFlight,
      (err: unknown) => err instanceof ServiceUnavailableError && /restarts on the next request/.test(err.message),
    );
    const [after1] = await threaded.embed(['Light the charcoal']);
    assert.equal(threaded.restarts, 1);
    assert.deepEqual(after1, copy);
  });

  it('refuses to embed once closed', async () => {
    const e = await ThreadedTransformersEmbedder.load(options);
    await e.close();
    await e.close();
    await assert.rejects(e.embed(['x']), /is closed/);
  });
});
