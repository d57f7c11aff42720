import pino from 'pino';
import type { Config } from '../config.js';
import type { CommandContext } from './command.js';
import { createServices, type Services } from '../services.js';

/** Commands report through stdout/stderr; their logs stay quiet unless LOG_LEVEL asks for more than info. */
export function cliLogLevel(config: Config): string {
  return config.logLevel === 'info' ? 'warn' : config.logLevel;
}

export function cliLogger(config: Config): pino.Logger {
  return pino({ level: cliLogLevel(config) }, pino.destination(2));
}

/** Runs `fn` with the services `config` describes, and closes them however it ends. */
export async function withServices<T>(config: Config, fn: (services: Services) => Promise<T>): Promise<T> {
  const services = await createServices(config, cliLogger(config));
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

/** Runs `fn` with the services and prints its summary, tagged with the embedding model, as one JSON line. */
export async function printSummary(context: CommandContext, fn: (services: Services) => Promise<object>): Promise<number> {
  return withServices(context.config, async (services) => {
    const summary = await fn(services);
    context.stdout.write(`${JSON.stringify({ ...summary, model: services.embedder.id })}\n`);
    return 0;
  });
}
