import assert from 'node:assert/strict';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { bodyDeadlinePlugin } from '../../../src/http/plugins/body-deadline.js';
import { errorHandlerPlugin } from '../../../src/http/plugins/error-handler.js';
import { API_KEY, build, sampleProducts } from '../../helpers/app-fixture.js';
import { until } from '../../helpers/loop-turns.js';

/** Sends headers that declare a 100 KB JSON body, and 10 bytes of it; resolves once the server has them. */
function slowUpload(
  port: number,
  path: string,
  extraHeaders = '',
): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', () => undefined); // the server may reset it; the assertions look at what arrived
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.once('connect', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n${extraHeaders}\r\n{"steps":[`,
        (err) => (err ? reject(err) : resolve({ socket, received: () => data, closed })),
      );
    });
  });
}

describe('body deadline', () => {
  it('answers 408 with a problem document and closes the connection when the body is late; the handler never runs', async () => {
    const armed: { fire: () => void; cancelled: boolean }[] = [];
    const app = Fastify();
    await app.register(errorHandlerPlugin);
    await app.register(bodyDeadlinePlugin, {
      timeoutMs: 1234,
      schedule: (fire) => {
        const entry = { fire, cancelled: false };
        armed.push(entry);
        return () => (entry.cancelled = true);
      },
    });
    let handled = 0;
    app.post('/echo', async (request) => {
      handled++;
      return request.body;
    });
    app.get('/ping', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = app.server.address() as AddressInfo;
      // A request with its whole body: its deadline is cancelled, it is served.
      const ok = await fetch(`http://127.0.0.1:${port}/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      assert.equal(ok.status, 200);
      assert.deepEqual(await ok.json(), { a: 1 });
      assert.equal(armed.length, 1);
      assert.ok(armed[0].cancelled, 'a body that arrived cancels its deadline');
      // No body, no deadline.
      assert.equal((await fetch(`http://127.0.0.1:${port}/ping`)).status, 200);
      assert.equal(armed.length, 1);

      const slow = await slowUpload(port, '/echo');
      await until(() => armed.length === 2, 'the slow request armed its deadline', 10_000);
      assert.equal(slow.received(), '', 'nothing is answered before the deadline');
      armed[1].fire();
      await slow.closed;
      const [head, body] = slow.received().split('\r\n\r\n');
      assert.match(head, /^HTTP\/1\.1 408 /);
      assert.match(head, /\r\nconnection: close/i);
      assert.match(head, /content-type: application\/problem\+json/i);
      const problem = JSON.parse(
        body
          .trim()
          .replace(/^[0-9a-f]+\r\n/, '')
          .replace(/\r\n0$/, ''),
      ) as { status: number; detail: string };
      assert.equal(problem.status, 408);
      assert.match(problem.detail, /did not arrive within 1234 ms/);
      assert.equal(handled, 1, 'the late request never reached its handler');
    } finally {
      await app.close();
    }
  });

  for (const slowClients of [20, 200]) {
    it(`serves /align and POST /products as usual while ${slowClients} slow uploads are open (they hold no admission slot)`, async (t) => {
      // Two read slots and one write slot with no queue: a slow upload holding a slot would turn the
      // normal requests below into 503s (it did, with the gate taken before the body arrived).
      const app = await build(t, {
        env: { ADMISSION_READ_CONCURRENCY: '2', ADMISSION_WRITE_CONCURRENCY: '1', ADMISSION_MAX_QUEUE: '0', API_KEY },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const auth = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };
      const uploads = await Promise.all(
        Array.from({ length: slowClients }, (_, i) =>
          i % 4 === 3 ? slowUpload(port, '/products', `Authorization: Bearer ${API_KEY}\r\n`) : slowUpload(port, '/align'),
        ),
      );
      try {
        const write = await fetch(`http://127.0.0.1:${port}/products`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ products: sampleProducts }),
        });
        assert.equal(write.status, 200, await write.text());
        for (let i = 0; i < 3; i++) {
          const read = await fetch(`http://127.0.0.1:${port}/align`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ steps: ['grill burgers'] }),
          });
          assert.equal(read.status, 200, await read.text());
        }
        assert.equal(app.admission.read.stats().inFlight, 0, 'no slow upload holds a read slot');
        assert.equal(app.admission.write.stats().inFlight, 0, 'no slow upload holds a write slot');
        assert.ok(
          uploads.every((u) => u.received() === ''),
          'the slow uploads are still waiting for their bodies, unanswered',
        );
      } finally {
        for (const u of uploads) u.socket.destroy();
      }
    });
  }
});
