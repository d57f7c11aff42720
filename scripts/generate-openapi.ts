/**
 * Writes openapi/openapi.json from the routes' zod schemas. Run `npm run openapi` after changing a
 * schema; test/openapi.test.ts fails while the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { buildApp } from '../src/http/app.js';

export async function renderOpenApi(): Promise<string> {
  // The document depends only on the routes, not on a loaded model or store; API_KEY is set so the
  // bearer scheme is documented on write endpoints.
  const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent', API_KEY: 'documentation-only' }), {});
  try {
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
  }
}

export const OPENAPI_FILE = fileURLToPath(new URL('../openapi/openapi.json', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OPENAPI_FILE, await renderOpenApi());
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}
