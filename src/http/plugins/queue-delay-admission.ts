import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.js';
import type { Priority } from '../../core/priority.js';
import { AdmissionGate, AdmissionRejectedError, type Release } from '../../util/admission-gate.js';
import { CostGate } from '../../util/cost-gate.js';
import { sendProblem } from '../support/problem.js';
import { isOperationalRoute } from '../support/operational-routes.js';

/**
 * Admission, in three classes, each with a gate of its own so none waits behind another:
 * - `read`: interactive alignment (`/align`, and batches of fewer than `bulkMinSteps` steps), by
 *   queueing delay (src/util/admission-gate.ts: CoDel over a concurrency limit);
 * - `bulk`: batches of `bulkMinSteps` steps or more, by cost (src/util/cost-gate.ts): refused at
 *   arrival when the bulk work ahead is too large, so excess learns it in milliseconds. Admitted
 *   bulk requests are served in slices behind interactive ones (align/aligner.ts), and the request
 *   carries its priority to the route (`request.priority`);
 * - `write`: catalog writes, by queueing delay.
 * Event-loop lag (lag-shedding.ts) stays as a last resort for a main thread stalled by
 * something these queues cannot see.
 *
 * The gate is taken in preHandler, once the body has arrived and passed validation: a slot is
 * never held by a client still uploading (issue 21: twenty clients that sent headers and 10 bytes
 * of a 100 KB body took every read slot for up to the 30 s request timeout), and a bulk request's
 * cost is known. Slow uploads are bounded by their own deadline (body-deadline.ts).
 */

export type AdmissionClass = 'read' | 'bulk' | 'write';

export type AdmissionOptions = Config['admission'] & {
  retryAfterSeconds?: number;
  /** Test seams: the gates' clock, and how often waiters past their deadline are swept. */
  now?: () => number;
  sweepEveryMs?: number;
};

declare module 'fastify' {
  interface FastifyInstance {
    admission: { read: AdmissionGate; write: AdmissionGate; bulk: CostGate };
  }
  interface FastifyRequest {
    /** Set by admission: bulk requests are served behind interactive ones (core/priority.ts). */
    priority: Priority;
    /**
     * Gives the request's admission slot back before its response is written: a streamed answer
     * (src/http/support/chunked-json.ts) is paced by the client, and a slow reader must not hold capacity
     * that computing answers needs. Otherwise the slot is given back when the response ends.
     */
    releaseAdmission(): void;
  }
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Which gate a request goes through, by its route pattern and its steps; undefined: not gated.
 * `steps` counts every step of the body (alignSteps); a batch of at least `bulkMinSteps` is bulk.
 */
export function admissionClass(method: string, route: string | undefined, steps = 0, bulkMinSteps = Infinity): AdmissionClass | undefined {
  if (route === undefined) return undefined; // unmatched: a cheap 404
  if (route === '/align/batch') return steps >= bulkMinSteps ? 'bulk' : 'read';
  if (route.startsWith('/align')) return 'read'; // a single script is a live lookup, whatever its length
  if ((route === '/products' || route.startsWith('/products/')) && WRITE_METHODS.has(method)) return 'write';
  return undefined;
}

/** Steps in an alignment body (`steps`, or the steps of every script); 0 for anything else. */
export function alignSteps(body: unknown): number {
  if (typeof body !== 'object' || body === null) return 0;
  const { steps, scripts } = body as { steps?: unknown; scripts?: unknown };
  if (Array.isArray(steps)) return steps.length;
  if (!Array.isArray(scripts)) return 0;
  let n = 0;
  for (const script of scripts) {
    const inner = (script as { steps?: unknown } | null)?.steps;
    if (Array.isArray(inner)) n += inner.length;
  }
  return n;
}

interface Ticket {
  release?: Release;
  /** Aborted when the request ends before it was admitted: its waiter leaves the queue. */
  cancel: AbortController;
}

export const queueDelayAdmissionPlugin = fp(
  async (app: FastifyInstance, opts: AdmissionOptions) => {
    const common = {
      maxQueue: opts.maxQueue,
      targetMs: opts.targetMs,
      intervalMs: opts.intervalMs,
      retryAfterSeconds: opts.retryAfterSeconds,
      now: opts.now,
    };
    const gates = {
      read: new AdmissionGate({ ...common, limit: opts.readConcurrency }),
      write: new AdmissionGate({ ...common, limit: opts.writeConcurrency }),
      bulk: new CostGate({ limit: opts.bulkConcurrency, backlogRatio: opts.bulkBacklogRatio, maxQueue: opts.maxQueue, now: opts.now }),
    };
    app.decorate('admission', gates);
    app.decorateRequest('priority', 'interactive');
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

    /** Answers a refusal: 503 with Retry-After and the reason, counted as shed. */
    const refuse = (reply: FastifyReply, err: AdmissionRejectedError, cls: AdmissionClass, how = '') => {
      app.metrics.shedRequests.inc({ reason: err.reason, class: cls });
      reply.header('Retry-After', String(err.retryAfterSeconds));
      return sendProblem(reply, 503, `The service is overloaded: ${err.message}${how}; retry after ${err.retryAfterSeconds} s.`);
    };

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

    // Early refusal of bulk work, before its body is read: under overload, 64 clients sending 350 KB
    // batches kept the HTTP thread busy reading and validating bodies only to refuse them, and the
    // refusals took p99 0.9 s. A batch's steps are bounded from its declared size by the bytes per
    // step the bulk batches seen so far had, with a factor of 2 of slack either way: a batch refused
    // here is surely bulk (at least bulkMinSteps by the largest bytes per step) and surely refused
    // (the backlog rule fails even for the most steps it can hold by the smallest). Until a bulk
    // batch has been seen there is no bound, and every request is read.
    const perStep = { least: Infinity, most: 0 };
    app.addHook('onRequest', async (request, reply) => {
      if (perStep.most === 0 || request.method !== 'POST' || request.routeOptions.url !== '/align/batch') return;
      const declared = Number(request.headers['content-length']);
      if (!(declared > 0)) return;
      const leastSteps = Math.floor(declared / (2 * perStep.most));
      const mostSteps = Math.ceil(declared / Math.max(1, perStep.least / 2));
      if (leastSteps < opts.bulkMinSteps) return;
      const refusal = gates.bulk.refuseByBacklog(mostSteps);
      if (!refusal) return;
      // Node discards the unread body once the answer is written, so the connection stays usable.
      return refuse(reply, refusal, 'bulk', ', its steps bounded by its declared size');
    });

    app.decorateRequest('releaseAdmission', function (this: FastifyRequest) {
      finish(this);
    });

    app.addHook('preHandler', async (request, reply) => {
      if (isOperationalRoute(request.url)) return;
      const steps = alignSteps(request.body);
      const cls = admissionClass(request.method, request.routeOptions.url, steps, opts.bulkMinSteps);
      if (!cls) return;
      if (cls === 'bulk') {
        request.priority = 'bulk';
        const declared = Number(request.headers['content-length']);
        if (declared > 0) {
          perStep.least = Math.min(perStep.least, declared / steps);
          perStep.most = Math.max(perStep.most, declared / steps);
        }
      }
      const ticket: Ticket = { cancel: new AbortController() };
      tickets.set(request, ticket);
      // 'close' on the response fires however the exchange ends, including a client that hangs up
      // while its request waits (onResponse never runs then, and onRequestAbort only sometimes).
      reply.raw.once('close', () => finish(request));
      let release: Release;
      try {
        release = await (cls === 'bulk' ? gates.bulk.acquire(steps, ticket.cancel.signal) : gates[cls].acquire(ticket.cancel.signal));
      } catch (err) {
        if (ticket.cancel.signal.aborted) return reply.hijack(); // the client is gone; nobody to answer
        if (!(err instanceof AdmissionRejectedError)) throw err;
        return refuse(reply, err, cls);
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
  { name: 'queue-delay-admission', dependencies: ['metrics'] },
);
