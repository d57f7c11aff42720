/**
 * The worst event-loop stall of the SERVER over a stretch of time, read from outside through its
 * /metrics: prom-client's default metrics include `nodejs_eventloop_lag_max_seconds` (here with the
 * service's `ecomalign_` prefix), the max of a monitorEventLoopDelay histogram (10 ms resolution)
 * that prom-client resets at every scrape. So: one scrape to start a fresh window, one a second
 * while the work runs (each covers the time since the one before), one at the end; the largest is
 * the worst stall. /metrics is an operational route (never shed), and a stalled loop only delays
 * the scrape, it does not lose the maximum.
 */

export interface StallWatch {
  /** Stops polling; the worst stall in ms, or undefined when the server exposes no such metric. */
  stop(): Promise<number | undefined>;
}

const LAG_MAX = /^(?:[a-z0-9_]*_)?nodejs_eventloop_lag_max_seconds(?:\{[^}]*\})? ([0-9.e+-]+)$/m;

/** The lag max of one scrape, in ms; undefined when absent (or the scrape failed). */
export async function scrapeLagMaxMs(url: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(30_000) });
    const m = LAG_MAX.exec(await res.text());
    return m ? Number(m[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export async function watchServerStall(url: string, everyMs = 1000): Promise<StallWatch> {
  await scrapeLagMaxMs(url); // resets the window: what came before is not this work's
  let worst: number | undefined;
  let running = true;
  const note = (v: number | undefined) => {
    if (v !== undefined) worst = Math.max(worst ?? 0, v);
  };
  const loop = (async () => {
    while (running) {
      await new Promise((r) => setTimeout(r, everyMs));
      if (running) note(await scrapeLagMaxMs(url));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      note(await scrapeLagMaxMs(url));
      return worst === undefined ? undefined : Math.round(worst);
    },
  };
}
