/**
 * Writes openapi/openapi.json (the service) and openapi/annotate.json (the annotation tool) from
 * the routes' zod schemas. Run `npm run openapi` after changing a
 * schema; test/openapi.test.ts fails while a committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { ANNOTATE_OPENAPI_FILE, OPENAPI_FILE, renderAnnotateOpenApi, renderOpenApi } from '../support/openapi-documents.js';

writeFileSync(OPENAPI_FILE, await renderOpenApi());
process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
writeFileSync(ANNOTATE_OPENAPI_FILE, await renderAnnotateOpenApi());
process.stdout.write(`wrote ${ANNOTATE_OPENAPI_FILE}\n`);
