import { randomUUID } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';
import { logDestination } from '../../util/log-destination.js';
import { sendProblem } from './problem.js';

/**
 * The Fastify options every app of this project runs with (the service API and the annotation
 * tool): request ids, JSON that cannot poison prototypes, problem documents for errors raised
 * before routing, and timeouts against slow clients.
 */
export function baseFastifyOptions(logLevel: string, bodyLimitBytes: number): FastifyServerOptions {
  return {
    // stdout through a destination that drops (and counts) rather than blocks or throws: a full disk
    // or a pipe nobody reads under the log must not freeze the server (log-destination.ts).
    logger: { level: logLevel, redact: ['req.headers.authorization'], stream: logDestination(1) },
    bodyLimit: bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    // Reject prototype-pollution keys rather than silently strip them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // A path parameter as long as the longest id the API accepts (128 characters), each one
    // percent-encoded as up to 9 bytes of text, reaches the route and its validation (a 400 that
    // names the field) instead of the router's default limit of 100 (a 414 for valid ids).
    routerOptions: { maxParamLength: 2048 },
    // Errors raised before routing (a malformed URL, a bad media type) get the same problem format.
    // (A handler, not a hook: fastify ignores its return value, so it returns nothing.)
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      sendProblem(reply, status, error.code === 'FST_ERR_BAD_URL' ? 'The URL is malformed (invalid percent-encoding).' : error.message);
    },
    // A client that trickles its body (slowloris) cannot hold a connection and its buffers forever
    // (and its body has a deadline of its own: plugins/body-deadline.ts).
    requestTimeout: 30_000,
    // A socket silent this long is closed. A bulk batch is silent while it is computed, and with
    // MiniLM beside three other builders one took 57 s (p99), so at 60 s some were reset mid-work
    // (mixed bench); the cost gate bounds a batch's wait to about twice its own work, so 5 minutes
    // covers a batch of 16,384 steps with room, and a client that stops reading is still let go.
    connectionTimeout: 300_000,
  };
}
