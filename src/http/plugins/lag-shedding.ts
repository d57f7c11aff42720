import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from '../support/problem.js';
import { isOperationalRoute } from '../support/operational-routes.js';
import { RETRY_AFTER_SECONDS } from '../../core/errors.js';

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

export interface LagSheddingOptions {
  /** Event-loop lag (ms) the controller steers towards; 0 disables shedding. */
  targetLagMs: number;
  retryAfterSeconds?: number;
  /** Milliseconds between controller updates (and the lag probe's period). */
  intervalMs?: number;
  /** Test seams: where lag readings and random draws come from. */
  lagSource?: () => number;
  random?: () => number;
}

const MAX_DROP = 0.95;

/** One controller step: raise the drop share in proportion to the excess lag, decay it when calm. */
export function nextDropProbability(current: number, lagMs: number, targetMs: number): number {
  if (lagMs > targetMs) return Math.min(MAX_DROP, current + 0.05 * Math.min(4, lagMs / targetMs));
  if (lagMs < targetMs / 2) return Math.max(0, current - 0.02);
  return current;
}

export const lagSheddingPlugin = fp(
  async (app: FastifyInstance, opts: LagSheddingOptions) => {
    if (opts.targetLagMs <= 0) return;
    const retryAfter = String(opts.retryAfterSeconds ?? RETRY_AFTER_SECONDS.overloaded);
    const random = opts.random ?? Math.random;
    const interval = opts.intervalMs ?? 50;
    const histogram = opts.lagSource ? undefined : monitorEventLoopDelay({ resolution: 10 });
    histogram?.enable();
    const lagSource = opts.lagSource ?? eventLoopLag(histogram!, interval);
    let drop = 0;
    const timer = setInterval(() => {
      drop = nextDropProbability(drop, lagSource(), opts.targetLagMs);
    }, interval);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      histogram?.disable();
    });

    app.addHook('onRequest', async (request, reply) => {
      if (drop === 0 || isOperationalRoute(request.url) || random() >= drop) return;
      app.metrics.shedRequests.inc({ reason: 'eventLoopDelay' });
      reply.header('Retry-After', retryAfter);
      return sendProblem(
        reply,
        503,
        `The service is overloaded (event-loop lag over ${opts.targetLagMs} ms); retry after ${retryAfter} s.`,
      );
    });
  },
  { name: 'lag-shedding', dependencies: ['metrics'] },
);

/**
 * Lag, two ways, taking the worse: the mean delay of a 10 ms probe timer over the interval (it
 * sees many short stalls), and how late the controller's own timer fired (it sees a stall longer
 * than the interval, for which the probe histogram has no samples at all).
 */
function eventLoopLag(histogram: ReturnType<typeof monitorEventLoopDelay>, intervalMs: number): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const drift = Math.max(0, now - last - intervalMs);
    last = now;
    const probe = Number.isNaN(histogram.mean) ? 0 : Math.max(0, histogram.mean / 1e6 - 10);
    histogram.reset();
    return Math.max(drift, probe);
  };
}
