import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import type { AppState } from '../../src/http/app-state.js';
import { createServices, type AdapterOverrides } from '../../src/services.js';
import { tempDir } from '../store/embedded/store-fixture.js';

export const API_KEY = 'test-key-123456';

/** An app on the lexical embedder and a fresh temp store, driven through inject(). */
export async function testApp(
  env: Record<string, string> = {},
  overrides: AdapterOverrides = {},
): Promise<{ app: FastifyInstance; state: AppState; close: () => Promise<void> }> {
  // A caller that passes DATA_DIR owns it (to reopen the same store after a restart).
  const { dir, cleanup } = env.DATA_DIR ? { dir: env.DATA_DIR, cleanup: () => undefined } : tempDir('ecomalign-http-');
  // Load shedding off unless a test turns it on: a busy CI machine's event-loop lag must not turn
  // functional tests into 503s (test/http/protection.test.ts covers shedding itself).
  const config = loadConfig({ EMBEDDER: 'lexical', DATA_DIR: dir, LOG_LEVEL: 'silent', SNAPSHOT_INTERVAL_S: '0', MAX_EVENT_LOOP_DELAY_MS: '0', ...env });
  const state: AppState = {};
  const app = await buildApp(config, state);
  state.services = await createServices(config, app.log, overrides);
  return {
    app,
    state,
    async close() {
      await app.close();
      await state.services?.close();
      cleanup();
    },
  };
}

export const sampleProducts = [
  {
    id: 'grill-1',
    title: 'Kettle Charcoal Grill 22 inch',
    category: 'grilling',
    intentions: ['because they want to grill burgers in the backyard', 'because they want smoky charcoal flavour'],
    attributes: { brand: 'Emberline', price: 169 },
  },
  {
    id: 'chimney-1',
    title: 'Chimney Starter',
    category: 'grilling',
    intentions: ['because they want to light charcoal quickly without lighter fluid'],
  },
  {
    id: 'cooler-1',
    title: 'Rolling Cooler 60 qt',
    category: 'camping',
    intentions: ['because they want to keep drinks cold at the beach', 'because they need ice for a camping trip'],
  },
  { id: 'tent-1', title: 'Four Person Dome Tent', category: 'camping', intentions: ['because they want to sleep outdoors on a camping trip'] },
];
