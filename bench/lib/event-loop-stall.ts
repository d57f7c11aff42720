/**
 * Measures the longest time the event loop was blocked while some work ran: the worst delay a
 * timer or an incoming request would have seen. Two probes, the larger wins:
 * - perf_hooks.monitorEventLoopDelay (libuv timer, 1 ms resolution), whose max is the worst delay;
 * - a 1 ms setInterval whose largest gap between ticks, minus the interval, is the same figure
 *   measured from JS (it also catches stalls shorter than the histogram's sampling resolution).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface StallProbe {
  /** Stops probing; returns the longest blocking stretch in milliseconds. */
  stop(): number;
}

export function startStallProbe(): StallProbe {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  let last = performance.now();
  let worstGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worstGap = Math.max(worstGap, now - last - 1);
    last = now;
  }, 1);
  return {
    stop() {
      clearInterval(timer);
      worstGap = Math.max(worstGap, performance.now() - last - 1);
      histogram.disable();
      const histogramMs = histogram.max / 1e6 - 1; // ns; includes the 1 ms resolution itself
      return Math.max(0, worstGap, histogramMs);
    },
  };
}
