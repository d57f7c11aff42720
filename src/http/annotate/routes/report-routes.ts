import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors } from '../../schemas/problem-schema.js';
import { agreementQuery, agreementResponse, progressResponse } from '../schemas/report-schemas.js';
import type { AnnotateRouteOptions } from './annotate-route-options.js';

export const reportRoutes: FastifyPluginAsyncZod<AnnotateRouteOptions> = async (app, { service }) => {
  app.get(
    '/api/progress',
    {
      schema: {
        tags: ['annotate'],
        summary: 'Progress per task and per annotator, with accuracy on gold checks',
        response: { 200: progressResponse, ...commonErrors },
      },
    },
    async () => service.progress(),
  );

  app.get(
    '/api/agreement',
    {
      schema: {
        tags: ['annotate'],
        summary: "Inter-annotator agreement of a task: Fleiss' κ and pairwise Cohen's κ over items with ≥ 2 labels",
        querystring: agreementQuery,
        response: { 200: agreementResponse, ...commonErrors },
      },
    },
    async (request) => service.agreement(request.query.task),
  );
};
