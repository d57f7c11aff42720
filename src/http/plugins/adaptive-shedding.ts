import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from '../problem.js';

/**
 * Sheds a share of requests, sized to the overload, while the event loop lags behind.
 *
 * An all-or-nothing switch (shed everything while lag is over a limit) measured badly here: at
 * twice the sustainable rate it flips between shedding everything and accepting everything, and
 * the served requests still wait seconds. Instead the drop probability rises while the lag is
 * over the target and decays while it is under, so it settles at the share of requests the
 * process cannot serve, and the ones it accepts are served with about the target's delay. (The
 * idea is the one behind CoDel and TCP's AIMD: react to queueing delay, in proportion.)
 */

export interface AdaptiveSheddingOptions {
  /** Event-loop lag (ms) the controller steers towards; 0 disables shedding. */
  targetLagMs: number;
  retryAfterSeconds?: number;
  /** Milliseconds between controller updates. */
  intervalMs?: number;
  /** Test seams: where lag readings and random draws come from. */
  lagSource?: () => number;
  random?: () => number;
}

/** Probes and metrics must answer under load (see load-shedding.ts). */
const NEVER_SHED = new Set(['/healthz', '/readyz', '/metrics']);
const MAX_DROP = 0.95;

/** One controller step: raise the drop share in proportion to the excess lag, decay it when calm. */
export function nextDropProbability(current: number, lagMs: number, targetMs: number): number {
  if (lagMs > targetMs) return Math.min(MAX_DROP, current + 0.05 * Math.min(4, lagMs / targetMs));
  if (lagMs < targetMs / 2) return Math.max(0, current - 0.02);
  return current;
}

export const adaptiveSheddingPlugin = fp(async (app: FastifyInstance, opts: AdaptiveSheddingOptions) => {
  if (opts.targetLagMs <= 0) return;
  const retryAfter = String(opts.retryAfterSeconds ?? 1);
  const random = opts.random ?? Math.random;
  let lagSource = opts.lagSource;
  let histogram: ReturnType<typeof monitorEventLoopDelay> | undefined;
  if (!lagSource) {
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    histogram = h;
    lagSource = () => {
      // The mean delay of the 10 ms probe timer over the interval, less its own period.
      const lag = Number.isNaN(h.mean) ? 0 : Math.max(0, h.mean / 1e6 - 10);
      h.reset();
      return lag;
    };
  }
  let drop = 0;
  const timer = setInterval(() => {
    drop = nextDropProbability(drop, lagSource!(), opts.targetLagMs);
  }, opts.intervalMs ?? 100);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    histogram?.disable();
  });

  app.addHook('onRequest', async (request, reply) => {
    if (drop === 0 || NEVER_SHED.has(request.url.split('?')[0]) || random() >= drop) return;
    app.metrics?.shedRequests.inc({ reason: 'eventLoopDelay' });
    reply.header('Retry-After', retryAfter);
    return sendProblem(reply, 503, `The service is overloaded (event-loop lag over ${opts.targetLagMs} ms); retry after ${retryAfter} s.`);
  });
});
