import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config.js';
import { VERSION } from '../version.js';
import { baseFastifyOptions } from './support/fastify-options.js';
import { bodyDeadlinePlugin } from './plugins/body-deadline.js';
import { drainPlugin } from './plugins/drain.js';
import { errorHandlerPlugin } from './plugins/error-handler.js';
import { heapSheddingPlugin } from './plugins/heap-shedding.js';
import { lagSheddingPlugin } from './plugins/lag-shedding.js';
import { metricsPlugin } from './plugins/metrics.js';
import { queueDelayAdmissionPlugin } from './plugins/queue-delay-admission.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { securityPlugin } from './plugins/security.js';
import { requireServices, servicesPlugin, type ServedServices } from './plugins/services.js';
import { storeMetricsPlugin } from './plugins/store-metrics.js';
import { swaggerPlugin } from './plugins/swagger.js';
import { alignRoutes } from './routes/align.js';
import { healthRoutes } from './routes/health.js';
import { productRoutes } from './routes/products.js';

export type BuildAppConfig = Pick<
  Config,
  | 'logLevel'
  | 'bodyLimitBytes'
  | 'apiKey'
  | 'rateLimit'
  | 'corsOrigins'
  | 'maxEventLoopDelayMs'
  | 'maxHeapUsedBytes'
  | 'admission'
  | 'bodyTimeoutMs'
>;

export interface BuildAppOptions {
  /**
   * Served from the start, for a caller that has them already. Without them the app answers as
   * while the model loads (/readyz "starting", the API 503) until `app.services.serve()`.
   */
  services?: ServedServices;
}

/**
 * Builds the fastify app without listening (tests drive it with inject; server.ts listens).
 * External plugins first, then ours, then routes, as in fastify's demo app.
 */
export async function buildApp(config: BuildAppConfig, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify(baseFastifyOptions(config.logLevel, config.bodyLimitBytes)).withTypeProvider<ZodTypeProvider>();

  // The API speaks JSON only; anything else is a 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // External plugins first (the fastify demo's order). Metrics and the error handler come with them
  // because shedding and rate limiting report through both.
  await app.register(errorHandlerPlugin);
  await app.register(metricsPlugin);
  await app.register(swaggerPlugin, { version: VERSION });
  await app.register(securityPlugin, { corsOrigins: config.corsOrigins });
  // Heap pressure is all-or-nothing (under-pressure). Event-loop lag is shed in proportion, but only
  // as a last resort (default 1 s): the service's own work causes lag, so admission is decided by
  // queueing delay instead (queue-delay-admission.ts).
  await app.register(heapSheddingPlugin, { maxHeapUsedBytes: config.maxHeapUsedBytes });
  await app.register(lagSheddingPlugin, { targetLagMs: config.maxEventLoopDelayMs });
  if (config.rateLimit) await app.register(rateLimitPlugin, config.rateLimit);
  await app.register(drainPlugin);
  await app.register(bodyDeadlinePlugin, { timeoutMs: config.bodyTimeoutMs });
  // After the rate limit and the drain, so requests they refuse never take a slot or a queue place.
  await app.register(queueDelayAdmissionPlugin, config.admission);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  // Our own plugins: the services behind their readiness gate, and the store's gauges read from them.
  await app.register(servicesPlugin, { services: options.services });
  await app.register(storeMetricsPlugin);

  await app.register(healthRoutes);
  // The API needs a loaded model and an open store; until then it answers 503, not a hang.
  await app.register(async (api) => {
    api.addHook('onRequest', requireServices);
    await api.register(productRoutes, { apiKey: config.apiKey });
    await api.register(alignRoutes);
  });

  return app;
}
