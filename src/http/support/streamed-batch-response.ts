import type { Readable } from 'node:stream';
import { z } from 'zod';
import { alignBatchResponse, alignBatchResponseHead, scriptResultHead, stepResult } from '../schemas/align-schemas.js';
import { chunkedJsonStream, objectWithArrayLast, type ChunkedJsonOptions } from './chunked-json.js';

export type AlignBatchResponse = z.output<typeof alignBatchResponse>;

/**
 * Batch responses with more products than this are streamed; smaller ones are serialised in one
 * go as before. 1,024 products are ~250 KB and ~2 ms of validation and serialisation on the HTTP
 * thread (bench/response-stall.ts), the stall of a handful of chunks: below it streaming saves
 * nothing worth its extra turns; a 4,096-step request at k = 20 (~82K products, ~20 MB) held
 * the loop for ~200 ms in one piece.
 */
export const STREAM_ABOVE_PRODUCTS = 1024;

export function productCount(results: AlignBatchResponse['results']): number {
  let n = 0;
  for (const script of results) for (const step of script.steps) n += step.products.length;
  return n;
}

/**
 * The batch response as a chunked JSON stream, the same JSON value the zod serializer writes: each
 * part is checked and stripped by its schema (z.encode, as fastify-type-provider-zod does for the
 * whole), the head before any byte is sent, then one step at a time, so a chunk never has to wait
 * for a whole script (64 steps × k 100 is 6,400 products).
 */
export function streamedBatchResponse(response: AlignBatchResponse, options?: ChunkedJsonOptions): Readable {
  const { results, ...head } = response;
  const checkedHead = z.encode(alignBatchResponseHead, head);
  const pieces = objectWithArrayLast(checkedHead, 'results', results, (script) =>
    objectWithArrayLast(z.encode(scriptResultHead, { id: script.id }), 'steps', script.steps, (step) => [
      JSON.stringify(z.encode(stepResult, step)),
    ]),
  );
  return chunkedJsonStream(pieces, options);
}
