import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { lagSheddingPlugin, nextDropProbability } from '../../src/http/plugins/lag-shedding.js';
import { metricsPlugin } from '../../src/http/plugins/metrics.js';

describe('lag shedding (adaptive, on event-loop lag)', () => {
  it('raises the drop share in proportion to the excess lag, caps it, and decays it when calm', () => {
    assert.equal(nextDropProbability(0, 10, 50), 0, 'no lag, nothing shed');
    assert.equal(nextDropProbability(0, 40, 50), 0, 'between half the target and the target: hold');
    assert.ok(Math.abs(nextDropProbability(0, 60, 50) - 0.06) < 1e-12, 'just over the target: a small step');
    assert.ok(Math.abs(nextDropProbability(0, 500, 50) - 0.2) < 1e-12, 'far over: the step is capped at 4x');
    let p = 0;
    for (let i = 0; i < 100; i++) p = nextDropProbability(p, 1000, 50);
    assert.equal(p, 0.95, 'never sheds everything: some requests keep measuring the service');
    assert.ok(Math.abs(nextDropProbability(0.5, 10, 50) - 0.48) < 1e-12);
    assert.equal(nextDropProbability(0.01, 0, 50), 0);
  });

  it('sheds with 503 + Retry-After while lagging, spares probes, and recovers when the lag goes', async () => {
    let lag = 0;
    const app = Fastify();
    await app.register(metricsPlugin);
    // random() = 0.5: a request is shed exactly while the drop share is above one half.
    await app.register(lagSheddingPlugin, { targetLagMs: 50, intervalMs: 5, lagSource: () => lag, random: () => 0.5 });
    app.get('/align', async () => ({ ok: true }));
    app.get('/healthz', async () => ({ status: 'ok' }));
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/align' })).statusCode, 200);
      lag = 1000;
      // Steps of +0.2 every 5 ms: the share passes one half within a few steps (polled, for slow CI).
      const shed = await until(
        () => app.inject({ method: 'GET', url: '/align' }),
        (r) => r.statusCode === 503,
      );
      assert.equal(shed.statusCode, 503);
      assert.equal(shed.headers['retry-after'], '1');
      assert.equal(shed.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.match(shed.json().detail, /event-loop lag over 50 ms/);
      assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'probes are never shed');
      lag = 0;
      // Decays 0.02 per step: below one half again after ~25 steps.
      const recovered = await until(
        () => app.inject({ method: 'GET', url: '/align' }),
        (r) => r.statusCode === 200,
      );
      assert.equal(recovered.statusCode, 200, 'recovered');
    } finally {
      await app.close();
    }
  });

  it('is off when the target is 0', async () => {
    const app = Fastify();
    await app.register(metricsPlugin);
    await app.register(lagSheddingPlugin, { targetLagMs: 0, lagSource: () => 10_000, random: () => 0 });
    app.get('/align', async () => ({ ok: true }));
    await new Promise((r) => setTimeout(r, 150));
    assert.equal((await app.inject({ method: 'GET', url: '/align' })).statusCode, 200);
    await app.close();
  });
});

/** Calls `probe` until `done` holds or 5 s pass; returns the last result either way. */
async function until<T>(probe: () => Promise<T>, done: (r: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const r = await probe();
    if (done(r) || Date.now() > deadline) return r;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
