import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** OpenAPI generated from the routes' zod schemas, served at /openapi.json, with Swagger UI at /docs. */
export const swaggerPlugin = fp(
  async (app: FastifyInstance, opts: { version: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'ecomalign',
          version: opts.version,
          description:
            'Aligns the steps of a script (a plan for a task) to the products that help with each step, by matching steps against purchase intentions.',
        },
        tags: [
          { name: 'align', description: 'Steps → products' },
          { name: 'catalog', description: 'Products and their purchase intentions' },
          { name: 'operations', description: 'Health and readiness' },
        ],
        components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      },
      transform: jsonSchemaTransform,
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'swagger' },
);
