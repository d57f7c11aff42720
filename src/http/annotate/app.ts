import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AnnotationService } from '../../app/annotation/annotation-service.js';
import { VERSION } from '../../version.js';
import { baseFastifyOptions } from '../support/fastify-options.js';
import { errorHandlerPlugin } from '../plugins/error-handler.js';
import { annotateOpenApiPlugin } from './plugins/annotate-openapi.js';
import { annotateSecurityPlugin } from './plugins/annotate-security.js';
import { exportRoutes } from './routes/export-routes.js';
import { labelRoutes } from './routes/label-routes.js';
import { nextRoutes } from './routes/next-routes.js';
import { pageRoutes } from './routes/page-routes.js';
import { reportRoutes } from './routes/report-routes.js';

export interface AnnotateAppOptions {
  service: AnnotationService;
  logLevel: string;
}

/** Labels are a few dozen bytes; nothing legitimate comes near this. */
const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * The annotation tool's app (`ecomalign annotate`), without listening: the page and its JSON API
 * over one candidate set. Tests drive it with inject. Same order as the service's app: external
 * plugins, ours, then routes.
 */
export async function buildAnnotateApp(options: AnnotateAppOptions): Promise<FastifyInstance> {
  const app = Fastify(baseFastifyOptions(options.logLevel, BODY_LIMIT_BYTES)).withTypeProvider<ZodTypeProvider>();
  // The API speaks JSON only; anything else is a 415, not a confusing validation error.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorHandlerPlugin);
  await app.register(annotateOpenApiPlugin, { version: VERSION });
  await app.register(annotateSecurityPlugin);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const { service } = options;
  await app.register(pageRoutes, { setName: service.set.name });
  await app.register(nextRoutes, { service });
  await app.register(labelRoutes, { service });
  await app.register(reportRoutes, { service });
  await app.register(exportRoutes, { service });
  return app;
}
