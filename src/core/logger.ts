/**
 * The logging port: what adapters and the composition root need of a logger (pino's shape, so
 * the app's logger passes as it is). Adapters log through it and never import pino.
 */
export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** A logger that drops everything: the default of adapters whose caller gave none. */
export const silentLogger: Logger = { info() {}, warn() {} };
