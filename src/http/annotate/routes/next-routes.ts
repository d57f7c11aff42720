import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors } from '../../schemas/problem-schema.js';
import { itemViewSchema } from '../schemas/annotate-common-schemas.js';
import { nextQuery } from '../schemas/label-schemas.js';
import type { AnnotateRouteOptions } from './annotate-route-options.js';

export const nextRoutes: FastifyPluginAsyncZod<AnnotateRouteOptions> = async (app, { service }) => {
  app.get(
    '/api/next',
    {
      schema: {
        tags: ['annotate'],
        summary: 'The next item for this annotator',
        description:
          "The item already on this annotator's screen if any (a reload resumes it), else the next one: never one they have seen, never one that has its votes. " +
          'Gold checks are mixed in at the configured rate. 204 when nothing is left.',
        querystring: nextQuery,
        response: { 200: itemViewSchema, 204: z.null().describe('Nothing left for this annotator in this task'), ...commonErrors },
      },
    },
    async (request, reply) => {
      const item = service.next(request.query.annotator, request.query.task);
      return item ?? reply.code(204).send(null);
    },
  );
};
