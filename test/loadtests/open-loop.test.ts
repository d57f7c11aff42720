import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { runOpenLoop } from '../../loadtests/local/open-loop.js';
import { summarize } from '../../loadtests/local/summarize.js';

describe('open-model load generator', () => {
  let server: http.Server;
  let url: string;
  let slow = false;
  before(async () => {
    // Answers 503 to every third request; in slow mode it holds each answer 150 ms.
    let n = 0;
    server = http.createServer((req, res) => {
      req.resume();
      const status = ++n % 3 === 0 ? 503 : 200;
      setTimeout(() => res.writeHead(status).end('{}'), slow ? 150 : 0);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('sends on schedule and tallies answers by status and scenario', async () => {
    slow = false;
    const run = await runOpenLoop({
      baseUrl: url,
      durationS: 1,
      rateAt: () => 200,
      next: () => ({ scenario: 'ping', method: 'GET', path: '/' }),
    });
    const tally = run.scenarios.ping;
    assert.ok(run.scheduled >= 190 && run.scheduled <= 201, `scheduled ${run.scheduled} at 200/s for 1 s`);
    assert.equal(tally.sent, run.scheduled);
    assert.equal((tally.statuses['200'] ?? 0) + (tally.statuses['503'] ?? 0), tally.sent);
    assert.equal(tally.statuses['503'], Math.floor(tally.sent / 3));
    const s = summarize('ping', 200, run);
    assert.equal(s.shed, tally.statuses['503']);
    assert.equal(s.errors, 0);
    assert.equal(s.served, tally.statuses['200']);
  });

  it('keeps sending while answers are slow (open model), and counts the wait in latency', async () => {
    slow = true;
    // At most 4 sockets: with 150 ms answers they serve ~27 req/s, far below the 100/s offered.
    const run = await runOpenLoop({
      baseUrl: url,
      durationS: 1,
      rateAt: () => 100,
      next: () => ({ scenario: 'ping', method: 'GET', path: '/' }),
      maxSockets: 4,
    });
    assert.ok(run.scheduled >= 95, `a closed-loop generator would have slowed down; scheduled ${run.scheduled}`);
    const s = summarize('ping', 100, run);
    assert.ok(s.latencyMs.p99 > 1000, `queued requests must show their wait (p99 ${s.latencyMs.p99} ms)`);
    assert.ok(s.latencyMs.p50 >= 150);
  });
});
