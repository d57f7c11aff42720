import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { healthResponse, readyResponse } from '../schemas/health-schemas.js';
import { RETRY_AFTER_SECONDS, ServiceUnavailableError } from '../../core/errors.js';

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/healthz',
    { schema: { tags: ['operations'], summary: 'Liveness: the process is up', response: { 200: healthResponse } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: model loaded and store open; the data volume and whether it takes writes',
        response: { 200: readyResponse, 503: readyResponse },
      },
    },
    async (_request, reply) => {
      const services = app.services.loaded;
      if (!services) {
        const { failure } = app.services;
        reply.code(503).header('Retry-After', String(RETRY_AFTER_SECONDS.unavailable));
        return failure ? { status: 'unavailable' as const, detail: failure } : { status: 'starting' as const };
      }
      const store = services.store.backend ?? 'embedded';
      let stats;
      try {
        // A remote store must be reachable for the service to be ready; ready again once it answers.
        await services.store.ping?.();
        stats = await services.store.stats();
      } catch (err) {
        const retryAfter = err instanceof ServiceUnavailableError ? err.retryAfterSeconds : RETRY_AFTER_SECONDS.unavailable;
        reply.code(503).header('Retry-After', String(retryAfter));
        return { status: 'unavailable' as const, store, detail: (err as Error).message };
      }
      return {
        status: 'ready' as const,
        model: services.embedder.id,
        ...(services.model ? { modelInfo: services.model } : {}),
        dimension: services.embedder.dimension,
        store,
        ...stats,
        ...(services.store.indexHealth ? { index: services.store.indexHealth() } : {}),
        // Ready even while writes are refused: reads keep their traffic; the component says so.
        ...(services.storage ? { storage: await services.storage.status() } : {}),
      };
    },
  );
};
