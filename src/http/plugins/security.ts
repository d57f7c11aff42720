import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface SecurityOptions {
  /** Allowed CORS origins, '*' for any, undefined for none (no CORS headers at all). */
  corsOrigins?: string[] | '*';
}

/**
 * Security headers on every response (helmet's defaults: nosniff, frame denial, a strict CSP that
 * the Swagger UI's static files satisfy, HSTS) and CORS only when origins are configured: a
 * browser app on another origin must be named explicitly.
 */
export const securityPlugin = fp(
  async (app: FastifyInstance, opts: SecurityOptions) => {
    await app.register(helmet, { global: true });
    if (opts.corsOrigins) {
      await app.register(cors, {
        origin: opts.corsOrigins === '*' ? '*' : opts.corsOrigins,
        methods: ['GET', 'POST', 'DELETE'],
        allowedHeaders: ['content-type', 'authorization', 'x-request-id'],
        exposedHeaders: ['x-request-id', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'],
        maxAge: 600,
      });
    }
  },
  { name: 'security' },
);
