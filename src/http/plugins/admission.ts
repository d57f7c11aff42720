import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import { AdmissionGate, AdmissionRejectedError, type Release } from '../../util/admission-gate.js';
import { sendProblem } from '../support/problem.js';
import { isOperationalRoute } from '../support/operational-routes.js';

/**
 * Admission by queueing delay (see src/util/admission-gate.ts for the controller and why): one
 * gate for alignment reads, one for catalog writes, so a queue of slow writes cannot make searches
 * wait and the other way round. Event-loop lag (adaptive-shedding.ts) stays as a last resort for a
 * main thread stalled by something these queues cannot see.
 *
 * The gate is taken in onRequest, the first hook after routing: arrival is measured as early as
 * fastify allows, and a waiting request has not read its body yet, so the queue holds sockets
 * (TCP pushes back on the client) rather than up to BODY_LIMIT_BYTES of parsed JSON per waiter.
 * The price is that a slot also covers body upload; the server's request timeout bounds that.
 */

export type AdmissionClass = 'read' | 'write';

export type AdmissionOptions = Config['admission'] & {
  retryAfterSeconds?: number;
  /** Test seams: the gates' clock, and how often waiters past their deadline are swept. */
  now?: () => number;
  sweepEveryMs?: number;
};

declare module 'fastify' {
  interface FastifyInstance {
    admission: Record<AdmissionClass, AdmissionGate>;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Which gate a request goes through, by its route pattern; undefined: not gated. */
export function admissionClass(method: string, route: string | undefined): AdmissionClass | undefined {
  if (route === undefined) return undefined; // unmatched: a cheap 404
  if (route.startsWith('/align')) return 'read';
  if ((route === '/products' || route.startsWith('/products/')) && WRITE_METHODS.has(method)) return 'write';
  return undefined;
}

interface Ticket {
  release?: Release;
  /** Aborted when the request ends before it was admitted: its waiter leaves the queue. */
  cancel: AbortController;
}

export const admissionPlugin = fp(
  async (app: FastifyInstance, opts: AdmissionOptions) => {
    const common = {
      maxQueue: opts.maxQueue,
      targetMs: opts.targetMs,
      intervalMs: opts.intervalMs,
      retryAfterSeconds: opts.retryAfterSeconds,
      now: opts.now,
    };
    const gates: Record<AdmissionClass, AdmissionGate> = {
      read: new AdmissionGate({ ...common, limit: opts.readConcurrency }),
      write: new AdmissionGate({ ...common, limit: opts.writeConcurrency }),
    };
    app.decorate('admission', gates);
    for (const [cls, gate] of Object.entries(gates)) app.metrics.admissionGates.set(cls, () => gate.stats());

    // A waiter's deadline is the target while overloaded, the interval otherwise; sweeping as often
    // as the shorter one answers a refused waiter at most that much late (a sweep with nothing
    // expired looks at the head of each queue only).
    const every = opts.sweepEveryMs ?? Math.max(5, Math.min(opts.targetMs, Math.floor(opts.intervalMs / 2)));
    const timer = setInterval(() => {
      gates.read.sweep();
      gates.write.sweep();
    }, every);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));

    const tickets = new WeakMap<FastifyRequest, Ticket>();
    // Every way a request can end lands here, more than once is fine: the release is idempotent.
    const finish = (request: FastifyRequest) => {
      const ticket = tickets.get(request);
      if (!ticket) return;
      if (ticket.release) {
        tickets.delete(request);
        ticket.release();
      } else {
        ticket.cancel.abort();
      }
    };

    app.addHook('onRequest', async (request, reply) => {
      if (isOperationalRoute(request.url)) return;
      const cls = admissionClass(request.method, request.routeOptions.url);
      if (!cls) return;
      const ticket: Ticket = { cancel: new AbortController() };
      tickets.set(request, ticket);
      // 'close' on the response fires however the exchange ends, including a client that hangs up
      // while its request waits (onResponse never runs then, and onRequestAbort only sometimes).
      reply.raw.once('close', () => finish(request));
      let release: Release;
      try {
        release = await gates[cls].acquire(ticket.cancel.signal);
      } catch (err) {
        if (ticket.cancel.signal.aborted) return reply.hijack(); // the client is gone; nobody to answer
        if (!(err instanceof AdmissionRejectedError)) throw err;
        app.metrics.shedRequests.inc({ reason: err.reason, class: cls });
        reply.header('Retry-After', String(err.retryAfterSeconds));
        return sendProblem(reply, 503, `The service is overloaded: ${err.message}; retry after ${err.retryAfterSeconds} s.`);
      }
      ticket.release = release;
      app.metrics.admissionWait.observe({ class: cls }, release.sojournMs / 1000);
      // Admitted in the same tick the client hung up: give the slot straight back.
      if (ticket.cancel.signal.aborted) {
        finish(request);
        return reply.hijack();
      }
    });
    app.addHook('onResponse', async (request) => finish(request));
    app.addHook('onRequestAbort', async (request) => finish(request));
  },
  { name: 'admission', dependencies: ['metrics'] },
);
