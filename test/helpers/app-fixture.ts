import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../src/config.js';
import { buildApp } from '../../src/http/app.js';
import { createServices, type AdapterOverrides, type Services } from '../../src/services.js';
import { tempDir } from './store-fixture.js';

export const API_KEY = 'test-key-123456';

export interface BuildOptions {
  /** Settings over the test defaults (lexical embedder, a fresh temp DATA_DIR, silent logs, no event-loop shedding). */
  env?: Record<string, string>;
  /** Adapters to substitute, e.g. a fault-injecting ANN index. */
  overrides?: AdapterOverrides;
  /**
   * false: the app as it is while the model loads, serving nothing until the test calls
   * app.services.serve() or .fail(). Default true.
   */
  services?: boolean;
}

/**
 * The service's app, driven through inject(), closed when `t` ends (the app, then its services,
 * then the temp dir), as fastify/demo's build(t) does. A test that shares one app across subtests
 * builds it in the parent test; one that restarts the app builds each in its own subtest.
 */
export async function build(t: Pick<TestContext, 'after'>, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { app, close } = await open(options);
  t.after(close);
  return app;
}

interface OpenApp {
  app: FastifyInstance;
  close: () => Promise<void>;
}

async function open({ env = {}, overrides = {}, services: serve = true }: BuildOptions): Promise<OpenApp> {
  // A caller that passes DATA_DIR owns it (to reopen the same store after a restart).
  const { dir, cleanup } = env.DATA_DIR ? { dir: env.DATA_DIR, cleanup: () => undefined } : tempDir('ecomalign-http-');
  // Load shedding off unless a test turns it on: a busy CI machine's event-loop lag must not turn
  // functional tests into 503s (test/http/protection.test.ts covers shedding itself).
  const config = loadConfig({
    EMBEDDER: 'lexical',
    DATA_DIR: dir,
    LOG_LEVEL: 'silent',
    SNAPSHOT_INTERVAL_S: '0',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    ...env,
  });
  let services: Services | undefined;
  try {
    services = serve ? await createServices(config, pino({ level: config.logLevel }), overrides) : undefined;
    const app = await buildApp(config, { services });
    const close = async () => {
      await app.close();
      await services?.close();
      cleanup();
    };
    return { app, close };
  } catch (err) {
    await services?.close();
    cleanup();
    throw err;
  }
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
  {
    id: 'tent-1',
    title: 'Four Person Dome Tent',
    category: 'camping',
    intentions: ['because they want to sleep outdoors on a camping trip'],
  },
];
