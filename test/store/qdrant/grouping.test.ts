import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schemas } from '@qdrant/js-client-rest';
import { groupQuery, matchesFromGroups } from '../../../src/store/qdrant/grouping.js';

describe('Qdrant grouping query', () => {
  const filter = { must: [{ key: 'kind', match: { value: 'intention' } }] };

  it('asks for the k best products, one best text each, at or above the threshold', () => {
    const body = groupQuery(new Float32Array([0.5, -0.25]), { k: 5, threshold: 0.45, filter, efSearch: 128, rescore: false });
    assert.deepEqual(body, {
      query: [0.5, -0.25],
      filter,
      params: { hnsw_ef: 128 },
      group_by: 'productId',
      group_size: 1,
      limit: 5,
      score_threshold: 0.45,
      with_payload: ['productId', 'kind', 'text', 'title', 'category'],
    });
  });

  it('rescores quantized candidates, searches exactly when asked, and never searches narrower than k', () => {
    const body = groupQuery(new Float32Array(2), { k: 500, threshold: 0, filter, efSearch: 128, rescore: true, exact: true });
    assert.deepEqual(body.params, { hnsw_ef: 500, exact: true, quantization: { rescore: true } });
  });

  it('turns groups into ProductMatch, best first, with null for a missing category', () => {
    const result: Schemas['GroupsResult'] = {
      groups: [
        {
          id: 'p2',
          hits: [
            { id: 'u2', version: 1, score: 0.6, payload: { productId: 'p2', kind: 'title', text: 'Tent', title: 'Tent', category: null } },
          ],
        },
        {
          id: 'p1',
          hits: [
            {
              id: 'u1',
              version: 1,
              score: 0.9,
              payload: { productId: 'p1', kind: 'intention', text: 'grill', title: 'Grill', category: 'bbq' },
            },
          ],
        },
        { id: 'p3', hits: [] },
      ],
    };
    assert.deepEqual(matchesFromGroups(result), [
      { productId: 'p1', title: 'Grill', category: 'bbq', score: 0.9, matched: { kind: 'intention', text: 'grill' } },
      { productId: 'p2', title: 'Tent', category: null, score: 0.6, matched: { kind: 'title', text: 'Tent' } },
    ]);
  });
});
