import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ResponseSerializationError, serializerCompiler } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { alignBatchResponse } from '../../../src/http/schemas/align-schemas.js';
import {
  STREAM_ABOVE_PRODUCTS,
  productCount,
  streamedBatchResponse,
  type AlignBatchResponse,
} from '../../../src/http/support/streamed-batch-response.js';

/** What the non-streamed path writes: fastify-type-provider-zod's serializer for the route's schema. */
const serialise = serializerCompiler({ schema: alignBatchResponse, method: 'POST', url: '/align/batch' }) as (data: unknown) => string;

async function text(stream: Readable): Promise<string> {
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}

/**
 * A batch result with every optional shape the schema allows (hybrid sides, null category, both
 * match kinds, quotes and non-ASCII text) and, as the aligner may add, fields the schema does not
 * know: both paths must strip them.
 */
function bigResponse(scripts: number, steps: number, k: number): AlignBatchResponse {
  return {
    model: 'lexical-hash-384-v1',
    threshold: null,
    scoring: { aggregate: 'topm', m: 3, retrieval: 'hybrid', fusion: 'rrf' },
    tookMs: 123.45,
    results: Array.from({ length: scripts }, (_, s) => ({
      id: `script-${s}`,
      steps: Array.from({ length: steps }, (_, i) => ({
        index: i,
        text: `Step ${i} of "script" ${s}: café`,
        products: Array.from({ length: k }, (_, j) => ({
          productId: `p-${s}-${i}-${j}`,
          title: `Product ${j}`,
          category: j % 3 === 0 ? null : 'kitchen',
          score: 0.5 - j / 1000,
          matched: {
            kind: j % 2 ? 'title' : 'intention',
            text: `because they want ${j}`,
            by: j % 2 ? ['lexical'] : ['semantic', 'lexical'],
          },
          ...(j % 4 ? { sides: { semantic: 0.4, lexical: 0.1 } } : {}),
          internalRank: j,
        })),
      })),
    })),
  };
}

describe('streamedBatchResponse', () => {
  it('streams the same JSON value, in the same order, as the non-streamed serialiser', async () => {
    const response = bigResponse(6, 64, 20);
    assert.ok(productCount(response.results) > STREAM_ABOVE_PRODUCTS);
    const streamed = await text(streamedBatchResponse(response));
    const serialised = serialise(response);
    assert.deepStrictEqual(JSON.parse(streamed), JSON.parse(serialised));
    assert.equal(streamed, serialised);
    assert.doesNotThrow(() => alignBatchResponse.parse(JSON.parse(streamed)));
    assert.ok(!streamed.includes('internalRank'), 'fields outside the schema are stripped');
  });

  it('writes empty step and product lists as the serialiser does', async () => {
    const response = bigResponse(2, 3, 0);
    response.results.push({ id: 'empty', steps: [] });
    assert.equal(await text(streamedBatchResponse(response)), serialise(response));
  });

  it('refuses a head outside the schema before any byte is written', () => {
    const response = { ...bigResponse(1, 1, 1), threshold: 'high' } as unknown as AlignBatchResponse;
    assert.throws(() => streamedBatchResponse(response), ZodError);
  });

  it('ends the stream with an error at a step outside the schema, as the serialiser would refuse it', async () => {
    const response = bigResponse(2, 64, 20);
    (response.results[1].steps[5] as { index: unknown }).index = 'five';
    assert.throws(() => serialise(response), ResponseSerializationError);
    await assert.rejects(text(streamedBatchResponse(response)), ZodError);
  });

  it('counts every product of every step of every script', () => {
    assert.equal(productCount(bigResponse(3, 5, 7).results), 3 * 5 * 7);
    assert.equal(productCount([]), 0);
  });
});
