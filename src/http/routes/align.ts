import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { scoringOf } from '../../align/script-schema.js';
import { alignBatchBody, alignBatchResponse, alignBody, alignResponse } from '../schemas/align-schemas.js';
import { commonErrors, problemResponse } from '../schemas/problem-schema.js';
import { sendStreamed } from '../support/chunked-json.js';
import { STREAM_ABOVE_PRODUCTS, productCount, streamedBatchResponse } from '../support/streamed-batch-response.js';

export const alignRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/align',
    {
      schema: {
        tags: ['align'],
        summary: 'Top-k products for each step of one script',
        description:
          'Embeds all steps in one batch and returns, per step, the k best products scoring at or above the threshold under the chosen aggregation and retrieval (default: best-matching text, semantic).',
        body: alignBody,
        response: { 200: alignResponse, ...commonErrors, 501: problemResponse },
      },
    },
    async (request) => {
      const started = performance.now();
      const { objective, steps, k, threshold, match, filter } = request.body;
      const scoring = scoringOf(request.body);
      const result = await app.services.get().aligner.align([{ objective, steps }], { k, threshold, match, filter, scoring });
      app.metrics.alignSteps.inc(
        { route: '/align', aggregate: result.scoring.aggregate, retrieval: result.scoring.retrieval },
        steps.length,
      );
      return {
        model: result.model,
        threshold: result.threshold,
        scoring: result.scoring,
        tookMs: elapsed(started),
        steps: result.scripts[0],
      };
    },
  );

  app.post(
    '/align/batch',
    {
      schema: {
        tags: ['align'],
        summary: 'Top-k products for each step of up to 256 scripts',
        body: alignBatchBody,
        response: { 200: alignBatchResponse, ...commonErrors, 501: problemResponse },
      },
    },
    async (request, reply) => {
      const started = performance.now();
      const { scripts, k, threshold, match, filter } = request.body;
      const scoring = scoringOf(request.body);
      // Admission (plugins/queue-delay-admission.ts) marks batches of many steps bulk: served in slices behind live lookups.
      const result = await app.services.get().aligner.align(scripts, { k, threshold, match, filter, scoring, priority: request.priority });
      app.metrics.alignSteps.inc(
        { route: '/align/batch', aggregate: result.scoring.aggregate, retrieval: result.scoring.retrieval },
        scripts.reduce((n, s) => n + s.steps.length, 0),
      );
      const response = {
        model: result.model,
        threshold: result.threshold,
        scoring: result.scoring,
        tookMs: elapsed(started),
        results: scripts.map((s, i) => ({ id: s.id, steps: result.scripts[i] })),
      };
      // A big result is written in chunks so its serialisation does not hold the HTTP thread.
      if (productCount(response.results) <= STREAM_ABOVE_PRODUCTS) return response;
      // The work is done: the client paces the rest, and a slow reader must hold no admission slot.
      request.releaseAdmission();
      return sendStreamed(reply, streamedBatchResponse(response));
    },
  );
};

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}
