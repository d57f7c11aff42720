import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { buildApp } from './app.js';
import type { ServedServices } from './plugins/services.js';

export interface RunningServer {
  app: FastifyInstance;
  /** Resolves once the model is loaded and the store open (rejects if that failed). */
  ready: Promise<void>;
  /** Stops accepting, lets in-flight requests finish, then flushes and closes the store. */
  close(): Promise<void>;
}

/**
 * Listens first and loads the model afterwards, so orchestrators see a live process whose /readyz
 * says "starting" instead of a port that is not open yet. `loadServices` is the composition root's
 * (the CLI passes createServices, or the demo's services it already has from ingesting); what it
 * returns is served, and closed with the server.
 */
export async function startServer(
  config: Config,
  loadServices: (log: FastifyBaseLogger) => Promise<ServedServices>,
): Promise<RunningServer> {
  const app = await buildApp(config);
  await app.listen({ port: config.port, host: config.host });
  const loading = loadServices(app.log);
  const ready = loading.then(
    (services) => {
      services.setEmbeddingObserver((seconds, _texts, model) => app.metrics.embedSeconds.observe({ model }, seconds));
      app.services.serve(services);
      app.log.info({ model: services.embedder.id, dimension: services.embedder.dimension }, 'ready');
    },
    (err: Error) => {
      app.services.fail(err.message);
      throw err;
    },
  );
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      if (!(await app.drain(config.shutdownTimeoutMs))) app.log.warn('shutdown: requests still in flight after the grace period');
      await app.close();
      await ready.catch(() => undefined);
      await app.services.loaded?.close();
    })());
  return { app, ready, close };
}

/** Wires SIGINT/SIGTERM to a graceful close bounded by `timeoutMs`. */
export function closeOnSignals(server: RunningServer, timeoutMs: number): void {
  const onSignal = (signal: NodeJS.Signals) => {
    server.app.log.info({ signal }, 'shutting down');
    // The drain itself gives up after timeoutMs; this is the backstop if closing then hangs.
    const force = setTimeout(() => {
      server.app.log.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs + 5000);
    force.unref();
    server.close().then(
      () => {
        process.exit(0);
      },
      (err) => {
        server.app.log.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}
