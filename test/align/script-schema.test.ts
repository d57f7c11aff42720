import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { alignBatchBody, alignBody } from '../../src/http/schemas/align-schemas.js';
import { renderOpenApi } from '../../support/openapi-documents.js';

/**
 * The OpenAPI document states the scoring fields' cross-field rules (SCORING_FIELD_RULES), so a
 * client or a fuzzer reading it knows what the server accepts. Found by schemathesis: the document
 * said `{ steps, m: 6 }` was valid and the server answered 400 ("m: only allowed with aggregate
 * topm"). Here every combination of the fields is judged by both, and they must agree.
 */

const choices = {
  aggregate: [undefined, 'max', 'mean', 'topm'],
  m: [undefined, 3],
  retrieval: [undefined, 'semantic', 'lexical', 'hybrid'],
  fusion: [undefined, 'weighted', 'rrf'],
  alpha: [undefined, 0.6],
  threshold: [undefined, 0.3],
} as const;

function* combinations(): Generator<Record<string, unknown>> {
  const keys = Object.keys(choices) as (keyof typeof choices)[];
  const walk = function* (i: number, acc: Record<string, unknown>): Generator<Record<string, unknown>> {
    if (i === keys.length) return yield acc;
    for (const v of choices[keys[i]]) yield* walk(i + 1, v === undefined ? acc : { ...acc, [keys[i]]: v });
  };
  yield* walk(0, {});
}

describe('align body: the document and the server agree on the scoring fields', () => {
  it('for every combination of aggregate, m, retrieval, fusion, alpha and threshold', async () => {
    const doc = JSON.parse(await renderOpenApi());
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = {
      single: ajv.compile(doc.paths['/align'].post.requestBody.content['application/json'].schema),
      batch: ajv.compile(doc.paths['/align/batch'].post.requestBody.content['application/json'].schema),
    };
    let accepted = 0;
    let rejected = 0;
    for (const fields of combinations()) {
      const single = { steps: ['Light the charcoal'], ...fields };
      const server = alignBody.safeParse(single).success;
      assert.equal(validate.single(single), server, `POST /align ${JSON.stringify(fields)}: server ${server ? 'accepts' : 'rejects'}`);
      const batch = { scripts: [{ id: 's1', steps: ['Light the charcoal'] }], ...fields };
      assert.equal(validate.batch(batch), alignBatchBody.safeParse(batch).success, `POST /align/batch ${JSON.stringify(fields)}`);
      if (server) accepted++;
      else rejected++;
    }
    // Both outcomes are exercised (the rules are neither vacuous nor rejecting everything).
    assert.equal(accepted + rejected, 4 * 2 * 4 * 3 * 2 * 2);
    assert.ok(accepted > 50 && rejected > 50, `accepted ${accepted}, rejected ${rejected}`);
  });
});
