import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** The annotation API's OpenAPI document, from the routes' zod schemas, served at /openapi.json. */
export const annotateOpenApiPlugin = fp(
  async (app: FastifyInstance, opts: { version: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'ecomalign annotate',
          version: opts.version,
          description:
            'Human labelling of a benchmark candidate set written by `ecomalign build-benchmark`: one item at a time per annotator, ' +
            'labels stored durably, progress with gold-check accuracy, agreement (Fleiss and Cohen κ) and a majority-vote export.',
        },
        tags: [{ name: 'annotate', description: 'Items, labels, progress, agreement and export' }],
      },
      transform: jsonSchemaTransform,
    });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'annotate-openapi' },
);
