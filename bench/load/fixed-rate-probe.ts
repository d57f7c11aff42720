import http from 'node:http';

/**
 * An open-loop probe: requests leave on a fixed schedule (every 1/rate s) whether or not earlier
 * ones have been answered, the way independent users arrive, and each latency is measured from its
 * scheduled time, so a stalled server cannot slow the probe down and hide its stall (no
 * coordinated omission). Every answer is kept with its status, not only the successes: a 503 that
 * came back fast is still a request the user did not get served.
 *
 * (The capacity search, loadtests/k6/search.ts, has k6 vary the rate and keep latencies
 * of 2xx answers only; this is the simpler fixed-rate form the contention benchmark needs.)
 */

export interface ProbeSample {
  /** Scheduled send time, ms after the probe started. */
  atMs: number;
  /** From the scheduled send time to the end of the response body. */
  latencyMs: number;
  /** HTTP status, or 0 for a transport error or timeout. */
  status: number;
}

export interface ProbeOptions {
  url: string;
  path: string;
  ratePerS: number;
  durationS: number;
  /** The JSON body of the i-th request. */
  body: (i: number) => string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export async function runFixedRateProbe(o: ProbeOptions): Promise<ProbeSample[]> {
  const target = new URL(o.url);
  // Enough sockets that a slow answer never makes the next request wait for a connection.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const samples: ProbeSample[] = [];
  const inFlight: Promise<void>[] = [];
  const intervalMs = 1000 / o.ratePerS;
  const total = Math.floor(o.durationS * o.ratePerS);
  const started = performance.now();

  const send = (i: number, scheduledAt: number) =>
    new Promise<void>((resolve) => {
      const done = (status: number) => {
        samples.push({ atMs: scheduledAt - started, latencyMs: performance.now() - scheduledAt, status });
        resolve();
      };
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: o.path,
          agent,
          headers: { 'content-type': 'application/json', ...o.headers },
          timeout: o.timeoutMs ?? 30_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode ?? 0));
          res.on('error', () => done(0));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => done(0));
      req.end(o.body(i));
    });

  for (let i = 0; i < total; i++) {
    const scheduledAt = started + i * intervalMs;
    const wait = scheduledAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(send(i, scheduledAt));
  }
  await Promise.all(inFlight);
  agent.destroy();
  return samples.sort((a, b) => a.atMs - b.atMs);
}
