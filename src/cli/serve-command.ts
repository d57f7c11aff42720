import type { Config } from '../config.js';
import { closeOnSignals, startServer } from '../http/server.js';
import { createServices, type Services } from '../services.js';
import { startStallWatchdog } from '../util/stall-watchdog.js';
import { defineCommand } from './command.js';
import { portOption, storeOptions } from './common-options.js';

/** Serves until a signal closes the server; `preloaded` services (the demo's) are served instead of new ones. */
export async function serve(config: Config, stderr: NodeJS.WritableStream, preloaded?: Services): Promise<number> {
  // Started before anything that could block: a stuck native call ends the process instead of hanging it.
  if (config.eventLoopStallExitMs > 0) startStallWatchdog(config.eventLoopStallExitMs);
  const server = await startServer(config, async (log) => preloaded ?? createServices(config, log));
  closeOnSignals(server, config.shutdownTimeoutMs);
  try {
    await server.ready;
  } catch (err) {
    // No usable model or store: refuse to run rather than serve 503s forever.
    server.app.log.fatal({ err }, 'start-up failed');
    stderr.write(`\nstart-up failed: ${(err as Error).message}\n`);
    await server.close();
    return 1;
  }
  return new Promise<number>(() => {}); // runs until a signal closes it
}

export const serveOptions = { ...storeOptions, port: portOption };

export const serveCommand = defineCommand({
  name: 'serve',
  summary: 'run the HTTP server',
  options: serveOptions,
  run: (_o, { config, stderr }) => serve(config, stderr),
});
