import type { Readable } from 'node:stream';
import { z } from 'zod';
import { alignBatchResponse, alignBatchResponseHead, scriptResultHead, stepResult } from '../schemas/align-schemas.js';
import { chunkedJsonStream, objectWithArrayLast, type ChunkedJsonOptions } from './chunked-json.js';

export type AlignBatchResponse = z.output<typeof alignBatchResponse>;

/**
 * Batch responses with more products than this are streamed; smaller ones are serialised in one
 * go as before. Validating and serialising costs 2–6.7 µs and ~250 bytes per product
 * (bench/response-stall.ts, 2-core machine, idle to load 6), so 1,024 products hold the loop
 * ~2–7 ms, the machine's own noise floor: below that streaming saves nothing worth its extra
 * turns. A 4,096-step request at k = 20 (81,920 products, 23 MB) held it 0.4–1.4 s in one piece;
 * streamed, the worst stall was 11–35 ms in most runs (up to 173 ms at load 6 on 2 cores), the
 * size of the GC pauses `node --trace-gc` showed while the result was alive, not of a chunk.
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
