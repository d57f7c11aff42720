import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isOperationalRoute } from '../support/operational-routes.js';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
}

/**
 * Per-client request quota, only when configured (RATE_LIMIT_MAX): the service usually sits behind
 * a gateway, and a bulk client sending thousands of sequential requests must not be throttled by
 * default. A client is its bearer token when it sends one (hashed, so keys never sit in memory in
 * clear), otherwise its address. Over quota: 429 with Retry-After, as an RFC 9457 problem.
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, opts: RateLimitOptions) => {
    await app.register(rateLimit, {
      global: true,
      max: opts.max,
      timeWindow: opts.windowMs,
      keyGenerator: clientKey,
      allowList: (request) => isOperationalRoute(request.url),
      errorResponseBuilder: (_request, context) => {
        const err = new Error(
          `Rate limit of ${context.max} requests per ${context.after} exceeded; retry after the Retry-After header's seconds.`,
        );
        return Object.assign(err, { statusCode: context.statusCode });
      },
    });
  },
  { name: 'rate-limit' },
);

export function clientKey(request: FastifyRequest): string {
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (match) return `key:${createHash('sha256').update(match[1].trim()).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}
