import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sendProblem } from '../../support/problem.js';
import { commonErrors, problemResponse } from '../../schemas/problem-schema.js';
import { itemViewSchema } from '../schemas/annotate-common-schemas.js';
import { labelBody, labelResponse, skipBody, skipResponse, undoBody } from '../schemas/label-schemas.js';
import type { AnnotateRouteOptions } from './annotate-route-options.js';

const unknownItem = (id: string) => `No item ${JSON.stringify(id)} in this candidate set (field body.id).`;

export const labelRoutes: FastifyPluginAsyncZod<AnnotateRouteOptions> = async (app, { service }) => {
  app.post(
    '/api/labels',
    {
      schema: {
        tags: ['annotate'],
        summary: 'Store a label',
        description: 'Answers 200 once the label is committed to disk. Labelling an item again replaces the earlier label.',
        body: labelBody,
        response: { 200: labelResponse, 404: problemResponse, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { annotator, id, label } = request.body;
      if (!service.label(annotator, id, label)) return sendProblem(reply, 404, unknownItem(id));
      return { annotator, id, task: service.set.byId.get(id)!.task, label };
    },
  );

  app.post(
    '/api/skips',
    {
      schema: {
        tags: ['annotate'],
        summary: 'Skip an item',
        description: 'The item is not shown to this annotator again (undo brings it back).',
        body: skipBody,
        response: { 200: skipResponse, 404: problemResponse, ...commonErrors },
      },
    },
    async (request, reply) => {
      const { annotator, id } = request.body;
      if (!service.skip(annotator, id)) return sendProblem(reply, 404, unknownItem(id));
      return { annotator, id, task: service.set.byId.get(id)!.task, skipped: true as const };
    },
  );

  app.post(
    '/api/undo',
    {
      schema: {
        tags: ['annotate'],
        summary: "Undo the annotator's latest label or skip in a task",
        description:
          'Removes that label (or skip) and returns the item, which is on screen again until it is labelled. 204 when there is nothing to undo.',
        body: undoBody,
        response: { 200: itemViewSchema, 204: z.null().describe('Nothing to undo'), ...commonErrors },
      },
    },
    async (request, reply) => service.undo(request.body.annotator, request.body.task) ?? reply.code(204).send(null),
  );
};
