import assert from 'node:assert/strict';
import { connect, type AddressInfo } from 'node:net';
import { describe, it, type TestContext } from 'node:test';
import { Aligner } from '../../src/align/aligner.js';
import type { Embedder } from '../../src/core/embedder.js';
import { EmbeddingQueue, type EmbeddingQueueOptions } from '../../src/embedding/embedding-queue.js';
import { API_KEY, build, sampleProducts } from '../helpers/app-fixture.js';
import { until } from '../helpers/loop-turns.js';

/** An embedder whose calls finish one at a time when the test says so, recording each call's texts. */
function steppedEmbedder(inner: Embedder) {
  const calls: { texts: readonly string[]; go: () => void }[] = [];
  const embedder: Embedder = {
    id: inner.id,
    dimension: inner.dimension,
    defaultThreshold: inner.defaultThreshold,
    embed: async (texts) => {
      await new Promise<void>((go) => calls.push({ texts, go }));
      return inner.embed(texts);
    },
    close: async () => {},
  };
  return { embedder, calls };
}

/** The app with the sample products, its aligner behind an embedding queue over a stepped model. */
async function steppedApp(t: TestContext, env: Record<string, string>, queueOptions: Partial<EmbeddingQueueOptions> = {}) {
  const app = await build(t, { env: { API_KEY, ...env } });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
  assert.equal((await app.inject({ method: 'POST', url: '/products', headers, payload: { products: sampleProducts } })).statusCode, 200);
  const services = app.services.get();
  const { embedder, calls } = steppedEmbedder(services.embedder);
  const queue = new EmbeddingQueue(embedder, { maxDepth: 16, timeoutMs: 60_000, maxBatchTexts: 64, ...queueOptions });
  app.services.serve({ ...services, aligner: new Aligner(queue, services.store) });
  return { app, headers, calls, queue };
}

describe('interactive before bulk, through the real server', () => {
  it('answers a live /align that arrives behind a running bulk batch after one bulk slice, long before the batch', async (t) => {
    // One text of bulk work per model call, so each call is one slice of the batch.
    const { app, headers, calls, queue } = await steppedApp(t, { ADMISSION_BULK_MIN_STEPS: '3' }, { bulkSliceTexts: 1 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const finished: string[] = [];
    const post = (path: string, body: unknown, name: string) =>
      fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) }).then(async (res) => {
        finished.push(name);
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      });

    const bulkSteps = ['light the charcoal', 'grill the burgers', 'chill the drinks', 'set the table'];
    const batch = post('/align/batch', { scripts: [{ id: 'bbq', steps: bulkSteps }] }, 'batch');
    await until(() => calls.length === 1, 'the batch holds the model with its first slice', 10_000);
    assert.deepEqual(calls[0].texts, [bulkSteps[0]]);
    assert.equal(app.admission.bulk.stats().inFlight, 1, 'the batch went through the bulk gate');

    const live = post('/align', { steps: ['keep the drinks cold'] }, 'live');
    await until(
      () => queue.depth === 1,
      'the live request waits for the model (the batch is out of its lane while its slice runs)',
      10_000,
    );
    calls[0].go();
    await until(() => calls.length === 2, 'the next model call starts', 10_000);
    assert.deepEqual(calls[1].texts, ['keep the drinks cold'], 'the live request overtook the three queued bulk slices');
    calls[1].go();
    const answered = await live;
    assert.equal(answered.status, 200);
    assert.deepEqual(finished, ['live'], 'the live request was answered while the batch was still running');

    for (let i = 2; i < 2 + bulkSteps.length - 1; i++) {
      await until(() => calls.length === i + 1, `bulk slice ${i} starts`, 10_000);
      calls[i].go();
    }
    const done = await batch;
    assert.equal(done.status, 200);
    const steps = (done.body.results as { steps: { text: string }[] }[])[0].steps.map((s) => s.text);
    assert.deepEqual(steps, bulkSteps, 'the sliced batch is answered whole, in order');
    assert.deepEqual(finished, ['live', 'batch']);
  });

  it('refuses a bulk batch at once, with Retry-After, when the bulk work ahead of it is too large', async (t) => {
    const { app, headers, calls, queue } = await steppedApp(t, { ADMISSION_BULK_MIN_STEPS: '2', ADMISSION_BULK_BACKLOG_RATIO: '1' });

    const big = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => `step ${x}`);
    const running = app.inject({ method: 'POST', url: '/align/batch', headers, payload: { scripts: [{ id: 'big', steps: big }] } });
    await until(() => calls.length === 1, 'the big batch is running', 10_000);
    const refused = await app.inject({
      method: 'POST',
      url: '/align/batch',
      headers,
      payload: { scripts: [{ id: 'small', steps: ['x', 'y'] }] },
    });
    assert.equal(refused.statusCode, 503);
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.match(refused.json().detail, /bulk work ahead of this request \(6 steps\) exceeds 1× its own \(2 steps\)/);
    assert.equal(calls.length, 1, 'the refused batch did no work');
    const live = app.inject({ method: 'POST', url: '/align', headers, payload: { steps: ['x'] } });
    await until(() => queue.depth === 1, 'a live request is admitted beside the bulk work, and waits for the model', 10_000);
    calls[0].go();
    await until(() => calls.length === 2, 'the next call', 10_000);
    calls[1].go();
    assert.equal((await live).statusCode, 200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /ecomalign_shed_requests_total\{reason="bulkBacklog",class="bulk"\} 1\n/);
    assert.equal((await running).statusCode, 200);
    assert.equal(calls.length, 2, 'the big batch was one model call (no slice size set), the live request the other');
  });

  it('refuses a bulk batch before reading its body when its declared size bounds it past the backlog rule', async (t) => {
    const { app, headers, calls } = await steppedApp(t, { ADMISSION_BULK_MIN_STEPS: '2', ADMISSION_BULK_BACKLOG_RATIO: '1' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;

    const forty = Array.from({ length: 40 }, (_, i) => `grill burger number ${i}`);
    const running = fetch(`http://127.0.0.1:${port}/align/batch`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ scripts: [{ id: 'big', steps: forty }] }),
    });
    await until(() => calls.length === 1, 'the 40-step batch is running', 10_000);

    // A 6-step batch of the same text lengths: at most 12 steps by its size, and 40 > 1 × 12.
    const body = JSON.stringify({ scripts: [{ id: 'next', steps: forty.slice(0, 6) }] });
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => undefined);
    socket.write(
      `POST /align/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    await until(() => answer.includes('\r\n\r\n'), 'the refusal arrives though the body has not', 10_000);
    assert.match(answer, /^HTTP\/1\.1 503 /);
    assert.match(answer, /retry-after: \d+/i);
    assert.match(answer, /bounded by its declared size/);
    socket.destroy();
    assert.equal(calls.length, 1, 'the refused batch did no work');

    // The 40 steps run as a few slices: let every model call through until the batch is answered.
    let answered = false;
    const done = running.finally(() => (answered = true));
    for (let i = 0; !answered; i++) {
      await until(() => calls.length > i || answered, `model call ${i}`, 10_000);
      calls[i]?.go();
    }
    assert.equal((await done).status, 200);
  });
});
