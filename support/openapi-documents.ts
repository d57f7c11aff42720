/**
 * The OpenAPI documents of the service and of the annotation tool, rendered from the routes' zod
 * schemas. `npm run openapi` (scripts/generate-openapi.ts) writes them to openapi/; the tests
 * compare them with the committed files and read schemas from them, so they live here, where
 * scripts and tests may both import them.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { AnnotationService } from '../src/app/annotation/annotation-service.js';
import type { CandidateSet } from '../src/app/annotation/candidate-set.js';
import { LabelStore } from '../src/app/annotation/label-store.js';
import { buildAnnotateApp } from '../src/http/annotate/app.js';
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

/** The annotation API's document; it depends only on the routes, so an empty set and an in-memory store do. */
export async function renderAnnotateOpenApi(): Promise<string> {
  const empty = () => ({ records: [], ids: [], idSet: new Set<string>(), gold: new Map() });
  const set: CandidateSet = { dir: '', name: 'openapi', tasks: { t1: empty(), t2: empty(), t3: empty() }, byId: new Map() };
  const store = new LabelStore(':memory:');
  const app = await buildAnnotateApp({ service: new AnnotationService(set, store, { votes: 5, goldRate: 0.05 }), logLevel: 'silent' });
  try {
    await app.ready();
    return `${JSON.stringify(app.swagger(), null, 2)}\n`;
  } finally {
    await app.close();
    store.close();
  }
}

export const ANNOTATE_OPENAPI_FILE = fileURLToPath(new URL('../openapi/annotate.json', import.meta.url));
