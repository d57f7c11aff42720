import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { it } from 'node:test';
import { ANNOTATE_OPENAPI_FILE, OPENAPI_FILE, renderAnnotateOpenApi, renderOpenApi } from '../support/openapi-documents.js';

it('openapi/openapi.json is up to date with the zod schemas (run `npm run openapi`)', async () => {
  const committed = readFileSync(OPENAPI_FILE, 'utf8');
  assert.equal(committed, await renderOpenApi(), 'openapi/openapi.json is stale: run `npm run openapi` and commit it');
});

it('openapi/annotate.json is up to date with the annotation API (run `npm run openapi`)', async () => {
  const committed = readFileSync(ANNOTATE_OPENAPI_FILE, 'utf8');
  assert.equal(committed, await renderAnnotateOpenApi(), 'openapi/annotate.json is stale: run `npm run openapi` and commit it');
});
