import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Aligner } from '../../src/align/aligner.js';
import { EmbeddingQueue } from '../../src/embedding/embedding-queue.js';
import { admissionClass, queueDelayAdmissionPlugin, alignSteps } from '../../src/http/plugins/queue-delay-admission.js';
import { errorHandlerPlugin } from '../../src/http/plugins/error-handler.js';
import { metricsPlugin } from '../../src/http/plugins/metrics.js';
import { build, sampleProducts } from '../helpers/app-fixture.js';
import { heldEmbedder } from '../helpers/held-embedder.js';
import { until } from '../helpers/loop-turns.js';

/**
 * An app with only the admission gate in front of routes whose handlers finish when the test says
 * so, on a fake clock. Sweeps are left to the test (the timer is set to an hour), so every
 * transition is the test's doing.
 */
async function gatedApp(opts: { read?: number; write?: number; maxQueue?: number } = {}) {
  const clock = { t: 0 };
  const holds: Array<() => void> = [];
  const app = Fastify();
  await app.register(errorHandlerPlugin);
  await app.register(metricsPlugin);
  await app.register(queueDelayAdmissionPlugin, {
    readConcurrency: opts.read ?? 1,
    writeConcurrency: opts.write ?? 1,
    targetMs: 10,
    intervalMs: 100,
    maxQueue: opts.maxQueue ?? 16,
    bulkMinSteps: 65,
    bulkConcurrency: 1,
    bulkBacklogRatio: 2,
    now: () => clock.t,
    sweepEveryMs: 3_600_000,
  });
  const held = async () => {
    await new Promise<void>((r) => holds.push(r));
    return { ok: true };
  };
  app.post('/align', held);
  app.post('/align/boom', async () => {
    throw new Error('handler failed');
  });
  app.post('/products', held);
  app.get('/products/:id', async () => ({ id: 'x' }));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async () => ({ status: 'ready' }));
  return { app, clock, holds, read: () => app.admission.read.stats(), write: () => app.admission.write.stats() };
}

const align = { method: 'POST' as const, url: '/align', payload: { steps: ['x'] } };

describe('queue-delay admission plugin', () => {
  it('classes /align* as reads and catalog writes as writes; everything else passes ungated', () => {
    assert.equal(admissionClass('POST', '/align'), 'read');
    assert.equal(admissionClass('POST', '/align/batch'), 'read');
    assert.equal(admissionClass('POST', '/align/batch', 64, 65), 'read', 'a small batch is interactive');
    assert.equal(admissionClass('POST', '/align/batch', 65, 65), 'bulk', 'a batch of bulkMinSteps steps is bulk');
    assert.equal(admissionClass('POST', '/align', 64, 2), 'read', 'one script is a live lookup, however long');
    assert.equal(alignSteps({ steps: ['a', 'b'] }), 2);
    assert.equal(alignSteps({ scripts: [{ steps: ['a'] }, { steps: ['b', 'c'] }, null, { steps: 'x' }] }), 3);
    assert.equal(alignSteps({ products: [] }), 0);
    assert.equal(alignSteps(undefined), 0);
    assert.equal(admissionClass('POST', '/products'), 'write');
    assert.equal(admissionClass('DELETE', '/products/:id'), 'write');
    assert.equal(admissionClass('PUT', '/products/:id'), 'write');
    assert.equal(admissionClass('GET', '/products/:id'), undefined);
    assert.equal(admissionClass('GET', '/healthz'), undefined);
    assert.equal(admissionClass('POST', undefined), undefined, 'an unmatched URL is a cheap 404');
  });

  it('keeps probes, metrics and the other class answering while reads are saturated, and refuses the excess with 503', async () => {
    const { app, holds, read } = await gatedApp({ read: 1, maxQueue: 0 });
    try {
      const running = app.inject(align);
      await until(() => holds.length === 1, 'the first read runs');
      const refused = await app.inject(align);
      assert.equal(refused.statusCode, 503);
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(refused.json().status, 503);
      assert.match(refused.json().detail, /overloaded: admission queue full/);

      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
      assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
      assert.equal((await app.inject({ method: 'GET', url: '/products/x' })).statusCode, 200, 'a catalog read is not gated');
      const write = app.inject({ method: 'POST', url: '/products', payload: {} });
      await until(() => holds.length === 2, 'a write runs beside the saturated reads');
      assert.equal(read().inFlight, 1);

      const metrics = await app.inject({ method: 'GET', url: '/metrics' });
      assert.equal(metrics.statusCode, 200);
      assert.match(metrics.body, /ecomalign_shed_requests_total\{reason="queueFull",class="read"\} 1\n/);
      assert.match(metrics.body, /ecomalign_admission_in_flight\{class="read"\} 1\n/);
      assert.match(metrics.body, /ecomalign_admission_in_flight\{class="write"\} 1\n/);
      assert.match(metrics.body, /ecomalign_admission_queued\{class="read"\} 0\n/);
      assert.match(metrics.body, /ecomalign_admission_wait_seconds_count\{class="read"\} 1\n/);

      holds.forEach((h) => h());
      assert.equal((await running).statusCode, 200);
      assert.equal((await write).statusCode, 200);
      await until(() => read().inFlight === 0, 'the read slot is released');
      const retried = app.inject(align);
      await until(() => holds.length === 3, 'a retry is admitted');
      holds[2]();
      assert.equal((await retried).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  it('answers 503 naming the queueing delay once waits stay above the target for an interval', async () => {
    const { app, clock, holds, read } = await gatedApp({ read: 1 });
    try {
      // t = 0: A runs, B waits.
      const a = app.inject(align);
      await until(() => holds.length === 1, 'A runs');
      const b = app.inject(align);
      await until(() => read().queued === 1, 'B waits');
      // t = 20: A finishes; B starts after 20 ms (> 10 ms target): the 100 ms interval starts.
      clock.t = 20;
      holds[0]();
      await until(() => holds.length === 2, 'B runs');
      assert.equal(read().lastSojournMs, 20);
      // t = 100: C arrives; t = 120: B finishes, C has waited 20 ms and the delay has been above
      // target for the whole interval: C is refused, not served late.
      clock.t = 100;
      const c = app.inject(align);
      await until(() => read().queued === 1, 'C waits');
      clock.t = 120;
      holds[1]();
      const refused = await c;
      assert.equal(refused.statusCode, 503);
      assert.equal(refused.headers['retry-after'], '1');
      assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.match(refused.json().detail, /overloaded: requests waited more than 10 ms for admission for 100 ms/);
      assert.equal((await a).statusCode, 200);
      assert.equal((await b).statusCode, 200);

      const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      assert.match(metrics, /ecomalign_shed_requests_total\{reason="queueDelay",class="read"\} 1\n/);
      assert.match(metrics, /ecomalign_admission_wait_seconds_sum\{class="read"\} 0\.02\n/, 'A waited 0 s, B 0.02 s');

      // The queue drained, so the gate is calm again: the next request is served at once.
      await until(() => read().inFlight === 0, 'the slots are released');
      assert.equal(read().overloaded, false);
      const d = app.inject(align);
      await until(() => holds.length === 3, 'D runs');
      holds[2]();
      assert.equal((await d).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  it('answers a request that waited past the interval with 503 when swept', async () => {
    const { app, clock, holds, read } = await gatedApp({ read: 1 });
    try {
      const a = app.inject(align);
      await until(() => holds.length === 1, 'A runs');
      const b = app.inject(align);
      await until(() => read().queued === 1, 'B waits');
      clock.t = 101;
      app.admission.read.sweep();
      const refused = await b;
      assert.equal(refused.statusCode, 503);
      assert.equal(refused.headers['retry-after'], '1');
      assert.match(refused.json().detail, /waited more than 100 ms for admission/);
      holds[0]();
      assert.equal((await a).statusCode, 200);
    } finally {
      await app.close();
    }
  });

  it('releases the slot when a handler throws', async () => {
    const { app, read } = await gatedApp({ read: 1, maxQueue: 0 });
    try {
      for (let i = 0; i < 5; i++) {
        const res = await app.inject({ method: 'POST', url: '/align/boom', payload: {} });
        assert.equal(res.statusCode, 500, `request ${i}: the error, not a 503 from a leaked slot`);
        await until(() => read().inFlight === 0, `request ${i}'s slot is released`);
      }
      assert.equal(read().admitted, 5);
      assert.deepEqual(read().rejected, { queueFull: 0, queueDelay: 0 });
    } finally {
      await app.close();
    }
  });

  it('takes a client that hangs up while waiting out of the queue, and never gives it a slot', async () => {
    const { app, holds, read } = await gatedApp({ read: 1 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      const a = app.inject(align);
      await until(() => holds.length === 1, 'A runs');
      const body = JSON.stringify(align.payload);
      const client = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/align',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      });
      client.on('error', () => undefined); // the hang-up below
      client.end(body);
      await until(() => read().queued === 1, 'the socket request waits');
      client.destroy();
      await until(() => read().queued === 0, 'the waiter left the queue');
      holds[0]();
      assert.equal((await a).statusCode, 200);
      await until(() => read().inFlight === 0, 'the slot is free');
      assert.equal(holds.length, 1, 'the hung-up request never reached its handler');
      const c = app.inject(align);
      await until(() => holds.length === 2, 'the next request runs');
      holds[1]();
      assert.equal((await c).statusCode, 200);
    } finally {
      await app.close();
    }
  });
});

describe('admission in the built app', () => {
  it('gates /align by ADMISSION_* settings, names the reason, and leaves probes alone', async (t) => {
    const app = await build(t, { env: { ADMISSION_READ_CONCURRENCY: '1', ADMISSION_MAX_QUEUE: '0' } });
    await app.inject({ method: 'POST', url: '/products', payload: { products: sampleProducts } });
    const services = app.services.get();
    // A model that answers only when the test lets it, so one /align holds the only read slot.
    const { embedder: slow, release } = heldEmbedder(services.embedder);
    const queue = new EmbeddingQueue(slow, { maxDepth: 8, timeoutMs: 10_000, maxBatchTexts: 256 });
    app.services.serve({ ...services, aligner: new Aligner(queue, services.store) });

    const running = app.inject({ method: 'POST', url: '/align', payload: { steps: ['light the charcoal grill'] } });
    await until(() => app.admission.read.stats().inFlight === 1, 'the first /align holds the slot');
    const refused = await app.inject({
      method: 'POST',
      url: '/align/batch',
      payload: { scripts: [{ id: 's1', steps: ['keep the drinks cold'] }] },
    });
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.headers['retry-after'], '1');
    assert.match(refused.json().detail, /admission queue full/);
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
    const metrics = await app.inject({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /ecomalign_shed_requests_total\{reason="queueFull",class="read"\} 1\n/);
    release();
    assert.equal((await running).statusCode, 200);
  });
});
