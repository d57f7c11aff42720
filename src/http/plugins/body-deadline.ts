import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * A request body must arrive within `timeoutMs` of the route starting to read it, or the request is
 * answered 408 and its connection closed, with nothing written.
 *
 * Why a deadline of its own: the server's request timeout (30 s) covers a whole exchange, so a
 * client that sends headers and a few bytes of a declared 100 KB body holds its socket and parser
 * for 30 s (OWASP API4, slow POST). Admission no longer waits for the body (queue-delay-admission.ts), so such
 * clients hold no slot; this bounds how long they hold anything at all. The body is read through a
 * pass-through stream that fails with a 408 at the deadline: fastify answers a failing body stream
 * with the error's status (the error handler writes the problem document), and `Connection: close`
 * makes Node close the socket instead of waiting for the rest of the body.
 */
export class BodyTimeoutError extends Error {
  readonly statusCode = 408;
  readonly code = 'ECOMALIGN_BODY_TIMEOUT';
  constructor(timeoutMs: number) {
    super(`The request body did not arrive within ${timeoutMs} ms; send it in one go, or retry on a faster connection.`);
    this.name = 'BodyTimeoutError';
  }
}

export interface BodyDeadlineOptions {
  timeoutMs: number;
  /** Test seam: arms the deadline and returns its cancel (default: an unref'd setTimeout). */
  schedule?: (fire: () => void, ms: number) => () => void;
}

function timerSchedule(fire: () => void, ms: number): () => void {
  const timer = setTimeout(fire, ms);
  timer.unref();
  return () => clearTimeout(timer);
}

export const bodyDeadlinePlugin = fp(
  async (app: FastifyInstance, opts: BodyDeadlineOptions) => {
    app.addHook('preParsing', async (request, reply, payload) => {
      // Only a request that declares a body has one to wait for; nobody reads the stream of one that does not.
      const { headers } = request;
      if (!headers['transfer-encoding'] && !(Number(headers['content-length']) > 0)) return payload;
      const guarded = new PassThrough();
      const done = (opts.schedule ?? timerSchedule)(() => {
        if (reply.sent || guarded.writableFinished) return;
        payload.unpipe(guarded);
        reply.header('Connection', 'close');
        guarded.destroy(new BodyTimeoutError(opts.timeoutMs));
      }, opts.timeoutMs);
      payload.once('end', done);
      payload.once('close', done);
      reply.raw.once('close', done);
      payload.on('error', (err) => guarded.destroy(err));
      return payload.pipe(guarded);
    });
  },
  { name: 'body-deadline' },
);
