import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { problem, PROBLEM_CONTENT_TYPE } from '../support/problem.js';
import { isOperationalRoute } from '../support/operational-routes.js';
import { RETRY_AFTER_SECONDS } from '../../core/errors.js';

export interface HeapSheddingOptions {
  /** V8 heap in use (bytes) above which requests are shed; 0 disables the check. */
  maxHeapUsedBytes: number;
  /** Seconds clients are told to wait. */
  retryAfterSeconds?: number;
}

/**
 * Answers 503 + Retry-After to everything while the heap is over its limit, instead of accepting
 * work that would push the process into an out-of-memory crash; clients retry elsewhere or later.
 * Event-loop lag is handled in proportion by lag-shedding.ts.
 */
export const heapSheddingPlugin = fp(
  async (app: FastifyInstance, opts: HeapSheddingOptions) => {
    const retryAfter = opts.retryAfterSeconds ?? RETRY_AFTER_SECONDS.memoryPressure;
    await app.register(underPressure, {
      maxHeapUsedBytes: opts.maxHeapUsedBytes,
      // A short sampling interval reacts to a spike within a fraction of a second.
      // (under-pressure's own event-loop check stays off: lag-shedding.ts does that better.)
      sampleInterval: 200,
      exposeStatusRoute: false,
      pressureHandler: (request, reply, type, value) => {
        if (isOperationalRoute(request.url)) return undefined; // continue to the route
        app.metrics.shedRequests.inc({ reason: type });
        request.log.warn({ type, value }, 'shedding load');
        reply.code(503).type(PROBLEM_CONTENT_TYPE).header('Retry-After', String(retryAfter));
        return problem(503, `The service is overloaded (${type}); retry after ${retryAfter} s.`) as unknown as void;
      },
    });
  },
  { name: 'heap-shedding', dependencies: ['metrics'] },
);
