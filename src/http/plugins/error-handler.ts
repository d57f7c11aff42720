import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  AlignOptionsError,
  RETRY_AFTER_SECONDS,
  ServiceUnavailableError,
  StorageFullError,
  UnsupportedRetrievalError,
} from '../../core/errors.js';
import { sendProblem } from '../support/problem.js';

/**
 * Every error becomes an RFC 9457 problem. Client mistakes keep their 4xx status and say what was
 * wrong with which field; anything else is a 500 whose body reveals nothing internal (the details
 * go to the log with the request id).
 */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = error.validationContext ?? 'body';
        const errors = error.validation.flatMap((issue) => {
          const base = fieldPath(where, issue.instancePath);
          const params = issue.params as { keys?: string[] };
          if (issue.keyword === 'unrecognized_keys' && params.keys?.length) {
            return params.keys.map((key) => ({ field: `${base}.${key}`, message: 'unknown field' }));
          }
          return [{ field: base, message: issue.message ?? 'invalid' }];
        });
        return sendProblem(reply, 400, `Invalid request ${where}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, errors);
      }
      if (error instanceof AlignOptionsError) {
        // Options that pass the schema one by one but cannot be honoured together (the schema's
        // refinement catches the known pairs first; this keeps any other the domain finds a 400).
        return sendProblem(reply, 400, error.message, [{ field: `body.${error.field}`, message: error.message }]);
      }
      if (error instanceof ServiceUnavailableError) {
        // Our own refusals (overload, a backend that is down): expected under stress, so a warning, and
        // their message says what happened without internals.
        request.log.warn({ err: error }, 'request refused: service unavailable');
        return sendProblem(reply.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds)))), 503, error.message);
      }
      if (error instanceof StorageFullError) {
        // The data volume cannot take the write (full, read-only, below the floor); nothing was stored.
        // 507, not 503: it lasts until an operator frees space, so clients must not retry it within
        // seconds as they would an overload, and a 503 alert on overload must not hide it.
        request.log.warn({ reason: error.reason, detail: error.message }, 'write refused: storage cannot take it');
        return sendProblem(reply, 507, storageDetail(error));
      }
      if (error instanceof UnsupportedRetrievalError) {
        // The deployment cannot do what was asked (e.g. BM25 on a Qdrant collection built without it):
        // 501 names the field, so a client can fall back to another retrieval.
        request.log.warn({ err: error }, 'retrieval not supported by this store');
        return sendProblem(reply, 501, error.message, [{ field: `body.${error.field}`, message: error.message }]);
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        return sendProblem(reply, status, clientMessage(error));
      }
      request.log.error({ err: error }, 'request failed');
      if (status === 503)
        return sendProblem(
          reply.header('Retry-After', String(RETRY_AFTER_SECONDS.unavailable)),
          503,
          'The service is temporarily unavailable.',
        );
      return sendProblem(reply, 500, 'An internal error occurred; it has been logged with this request id.');
    });

    // A path that exists under other methods is a 405 naming them in Allow (RFC 9110), not a 404. It is
    // answered before the body is read, so an unknown method with a body (QUERY) gets the same answer.
    const routes: { pattern: RegExp; method: string; catchAll: boolean }[] = [];
    app.addHook('onRoute', (route) => {
      const catchAll = route.url === '*' || route.url === '/*';
      for (const method of [route.method].flat()) routes.push({ pattern: routePattern(route.url), method, catchAll });
    });
    app.addHook('onRequest', async (request, reply) => {
      if (!request.is404) return;
      const path = request.url.split('?')[0];
      const matching = routes.filter((r) => r.pattern.test(path));
      // A catch-all (CORS preflight's OPTIONS *) does not make a path exist.
      if (!matching.some((r) => !r.catchAll)) return;
      const allowed = [...new Set(matching.map((r) => r.method))];
      return sendProblem(
        reply.header('Allow', allowed.join(', ')),
        405,
        `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}.`,
      );
    });
    app.setNotFoundHandler((request, reply) => sendProblem(reply, 404, `No route for ${request.method} ${request.url.split('?')[0]}.`));
  },
  { name: 'error-handler' },
);

/** What a client is told when storage refused its write: what happened, that nothing was stored, what still works. */
function storageDetail(error: StorageFullError): string {
  const cause =
    error.reason === 'read-only'
      ? 'Storage is read-only'
      : error.reason === 'below-floor'
        ? 'Storage is nearly full (below the configured free-space floor)'
        : 'Storage is full';
  return `${cause}: this write was refused and nothing of it was stored. Reads keep working; send the write again once space is freed (GET /readyz shows storage.writes).`;
}

/** A route's URL as a regular expression over request paths: `:param` is one segment, `*` anything. */
export function routePattern(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** "/steps/3" in body → "body.steps[3]". */
function fieldPath(where: string, instancePath: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  let out = where;
  for (const part of parts) out += /^\d+$/.test(part) ? `[${part}]` : `.${part}`;
  return out;
}

/** Fastify's own client-error messages, made a little friendlier where they are terse. */
function clientMessage(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'Request body is larger than this server accepts.';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'Unsupported Content-Type; send application/json.';
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'Request body is empty; send a JSON object.';
    default:
      if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return `Malformed JSON body: ${error.message}`;
      return error.message;
  }
}
