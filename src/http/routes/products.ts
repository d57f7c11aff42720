import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireApiKey } from '../support/auth.js';
import { sendProblem } from '../support/problem.js';
import { commonErrors, problemResponse, storageErrors } from '../schemas/problem-schema.js';
import { productParams, productResponse, upsertProductsBody, upsertProductsResponse } from '../schemas/product-schemas.js';

export interface ProductRoutesOptions {
  /** Required as a bearer token on writes when set. */
  apiKey?: string;
}

export const productRoutes: FastifyPluginAsyncZod<ProductRoutesOptions> = async (app, { apiKey }) => {
  const auth = requireApiKey(apiKey);
  const security = apiKey ? [{ bearerAuth: [] }] : undefined;

  app.post(
    '/products',
    {
      preHandler: auth,
      schema: {
        tags: ['catalog'],
        summary: 'Upsert products with their purchase intentions',
        description:
          'Embeds and indexes each changed product; unchanged products are not re-embedded. A rejected batch writes nothing. 507 when the data volume is full or read-only: nothing of the batch was stored, reads keep working.',
        security,
        body: upsertProductsBody,
        response: { 200: upsertProductsResponse, 401: problemResponse, ...commonErrors, ...storageErrors },
      },
    },
    async (request) => app.services.get().catalog.upsert(request.body.products),
  );

  app.get(
    '/products/:id',
    {
      schema: {
        tags: ['catalog'],
        summary: 'Get a product',
        params: productParams,
        response: { 200: productResponse, 404: problemResponse, 414: problemResponse, ...commonErrors },
      },
    },
    async (request, reply) => {
      const product = await app.services.get().catalog.get(request.params.id);
      if (!product) return sendProblem(reply, 404, `Product ${JSON.stringify(request.params.id)} does not exist.`);
      return product;
    },
  );

  app.delete(
    '/products/:id',
    {
      preHandler: auth,
      schema: {
        tags: ['catalog'],
        summary: 'Delete a product and all its indexed texts',
        security,
        params: productParams,
        response: {
          204: z.null().describe('Deleted'),
          401: problemResponse,
          404: problemResponse,
          414: problemResponse,
          ...commonErrors,
          ...storageErrors,
        },
      },
    },
    async (request, reply) => {
      const deleted = await app.services.get().catalog.delete(request.params.id);
      if (!deleted) return sendProblem(reply, 404, `Product ${JSON.stringify(request.params.id)} does not exist.`);
      return reply.code(204).send(null);
    },
  );
};
