import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { commonErrors } from '../../schemas/problem-schema.js';
import { exportQuery } from '../schemas/report-schemas.js';
import type { AnnotateRouteOptions } from './annotate-route-options.js';

const CONTENT_TYPES = { jsonl: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

export const exportRoutes: FastifyPluginAsyncZod<AnnotateRouteOptions> = async (app, { service }) => {
  app.get(
    '/api/export',
    {
      schema: {
        tags: ['annotate'],
        summary: 'Majority-vote labels of the items with enough votes',
        description:
          "One record per item with at least minVotes labels: the item's own fields plus label (the majority), votes and agreement (share of votes agreeing with it). " +
          'JSONL leaves ties out (T2 JSONL is what `ecomalign calibrate --labels` reads); CSV keeps them with label "tie".',
        querystring: exportQuery,
        response: {
          200: {
            description: 'JSONL (format=jsonl) or CSV (format=csv), sent as an attachment',
            content: {
              'application/x-ndjson': { schema: z.string().describe('One JSON record per line') },
              'text/csv': { schema: z.string().describe('RFC 4180 CSV with a header row') },
            },
          },
          ...commonErrors,
        },
      },
    },
    async (request, reply) => {
      const { task, format, minVotes } = request.query;
      const body = service.export(task, format, minVotes);
      return reply
        .type(CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${task}-labels.${format}"`)
        .serializer((payload: unknown) => payload as string)
        .send(body);
    },
  );
};
