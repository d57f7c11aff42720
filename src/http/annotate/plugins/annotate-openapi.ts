import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

/** The parts of an OpenAPI document the links are added to. */
interface Document {
  paths?: Record<string, Record<string, { responses?: Record<string, { links?: Record<string, unknown> }> }>>;
}

/**
 * OpenAPI links from the item an annotator is shown to what they can do with it (label, skip,
 * undo) and back to the next item: how the API is used, and what lets a stateful client or fuzzer
 * (schemathesis) chain real calls instead of guessing item ids.
 */
export const ANNOTATE_LINKS: Record<
  string,
  { from: [string, string, string]; to: [string, string]; parameters?: object; requestBody?: object }
> = {
  LabelThisItem: {
    from: ['/api/next', 'get', '200'],
    to: ['/api/labels', 'post'],
    requestBody: { annotator: '$request.query.annotator', id: '$response.body#/id', label: 1 },
  },
  SkipThisItem: {
    from: ['/api/next', 'get', '200'],
    to: ['/api/skips', 'post'],
    requestBody: { annotator: '$request.query.annotator', id: '$response.body#/id' },
  },
  NextAfterLabel: {
    from: ['/api/labels', 'post', '200'],
    to: ['/api/next', 'get'],
    parameters: { annotator: '$response.body#/annotator', task: '$response.body#/task' },
  },
  UndoLabel: {
    from: ['/api/labels', 'post', '200'],
    to: ['/api/undo', 'post'],
    requestBody: { annotator: '$response.body#/annotator', task: '$response.body#/task' },
  },
};

function withLinks(doc: Document): Document {
  for (const [name, link] of Object.entries(ANNOTATE_LINKS)) {
    const [path, method, status] = link.from;
    const response = doc.paths?.[path]?.[method]?.responses?.[status];
    if (!response) throw new Error(`annotate OpenAPI link ${name}: no ${method.toUpperCase()} ${path} ${status} response`);
    const operationRef = `#/paths/${link.to[0].replaceAll('/', '~1')}/${link.to[1]}`;
    response.links = { ...response.links, [name]: { operationRef, parameters: link.parameters, requestBody: link.requestBody } };
  }
  return doc;
}

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
      transformObject: (doc) => ('openapiObject' in doc ? withLinks(doc.openapiObject as Document) : doc.swaggerObject),
    });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'annotate-openapi' },
);
