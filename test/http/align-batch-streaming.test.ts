import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { test } from 'node:test';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { alignBatchResponse } from '../../src/http/schemas/align-schemas.js';
import { STREAM_ABOVE_PRODUCTS } from '../../src/http/support/streamed-batch-response.js';
import { build } from '../helpers/app-fixture.js';

const serialise = serializerCompiler({ schema: alignBatchResponse, method: 'POST', url: '/align/batch' }) as (data: unknown) => string;

/** 60 products: with threshold −1 every step gets its full k, so a batch's size is scripts × steps × k. */
const products = Array.from({ length: 60 }, (_, i) => ({
  id: `p-${i}`,
  title: `Product number ${i} for the kitchen`,
  category: i % 2 ? 'kitchen' : 'garden',
  intentions: [`because they want to cook dinner number ${i}`, `because they need a tool for task ${i}`],
}));

function batch(scripts: number, steps: number, k: number) {
  return {
    scripts: Array.from({ length: scripts }, (_, s) => ({
      id: `s${s}`,
      steps: Array.from({ length: steps }, (_, i) => `cook dinner ${i} with tool ${s}`),
    })),
    k,
    threshold: -1,
  };
}

test('POST /align/batch streams a big result', async (t) => {
  const app = await build(t);
  // The stream each streamed reply sends, caught on its way out.
  const sent: Readable[] = [];
  let errors = 0;
  app.addHook('onSend', async (_request, _reply, payload) => {
    if (payload && typeof (payload as Readable).pipe === 'function') sent.push(payload as Readable);
  });
  app.addHook('onError', async () => {
    errors++;
  });
  const seeded = await app.inject({ method: 'POST', url: '/products', payload: { products } });
  assert.equal(seeded.statusCode, 200, seeded.body);

  await t.test('as the same JSON value the serialised path writes', async () => {
    const body = batch(3, 64, 20);
    assert.ok(3 * 64 * 20 > STREAM_ABOVE_PRODUCTS);
    // The oracle: the very result the route aligned (ties make a second alignment order differently),
    // serialised in one go as the route did before streaming.
    const aligner = app.services.get().aligner;
    const align = aligner.align.bind(aligner);
    let result: Awaited<ReturnType<typeof align>> | undefined;
    t.after(() => {
      aligner.align = align;
    });
    aligner.align = async (...args) => (result = await align(...args));
    const res = await app.inject({ method: 'POST', url: '/align/batch', payload: body });
    aligner.align = align;
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(sent.length, 1, 'the reply was a stream');
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const streamed = res.json();
    assert.doesNotThrow(() => alignBatchResponse.parse(streamed));
    assert.ok(result);
    const aligned = result;
    const expected = JSON.parse(
      serialise({
        model: aligned.model,
        threshold: aligned.threshold,
        scoring: aligned.scoring,
        tookMs: streamed.tookMs,
        results: body.scripts.map((s, i) => ({ id: s.id, steps: aligned.scripts[i] })),
      }),
    );
    assert.deepStrictEqual(streamed, expected);
  });

  await t.test('and answers a small one in one piece, as before', async () => {
    const res = await app.inject({ method: 'POST', url: '/align/batch', payload: batch(2, 4, 5) });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(sent.length, 1, 'no new stream');
    assert.equal(res.json().results[1].steps[3].products.length, 5);
  });

  await t.test('and stops, with nothing logged as an error, when the client goes away mid-stream', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    // ~10K products, ~2.5 MB: dozens of chunks, far more than the client waits for.
    const payload = JSON.stringify(batch(8, 64, 20));
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/align/batch',
      headers: { 'content-type': 'application/json' },
    });
    req.on('error', () => {}); // the socket we destroy
    req.end(payload);
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    assert.equal(res.statusCode, 200);
    await once(res, 'data');
    res.pause(); // a client that stops reading: the rest of the document waits for it
    const stream = sent.at(-1)!;
    assert.equal(sent.length, 2);
    assert.equal(app.admission.bulk.stats().inFlight, 0, 'a bulk answer being read holds no admission slot');
    assert.equal(app.admission.bulk.stats().backlog, 0, 'nor any of the bulk backlog');
    assert.equal(stream.readableEnded, false, 'while its document is still being written');
    res.destroy();
    req.destroy();
    if (!stream.destroyed) await once(stream, 'close');
    assert.equal(stream.readableEnded, false, 'the document was not finished');
    assert.equal(stream.destroyed, true, 'production stopped');
    assert.equal(errors, 0, 'no error hook ran');

    const health = await app.inject({ method: 'POST', url: '/align/batch', payload: batch(1, 1, 1) });
    assert.equal(health.statusCode, 200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    assert.doesNotMatch(metrics.body, /status="5\d\d"/, 'no 5xx was recorded');
  });
});
