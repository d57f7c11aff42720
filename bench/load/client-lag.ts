import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Runs `work` and returns its result with this process's event-loop delay p99 (ms) meanwhile: when
 * it is high, the load generator, not the server, was late (a busy machine, or its own JSON work).
 */
export async function withClientLag<T>(work: () => Promise<T>): Promise<[T, number]> {
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  try {
    const result = await work();
    return [result, Math.round(lag.percentile(99) / 1e5) / 10];
  } finally {
    lag.disable();
  }
}
