import http from 'node:http';
import { probeSteps } from '../lib/intention-products.js';
import { summarizeLatencies, type LatencySummary } from '../lib/latency-stats.js';
import { writeHeaders } from '../lib/live-server.js';

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

/** Open-loop requests: every latency counts (503s and failures too), with the counts beside them. */
export interface ProbeStats extends LatencySummary {
  sent: number;
  /** 503 answers. */
  shed: number;
  /** Neither 2xx nor 503: other statuses, transport errors and timeouts (status 0). */
  failed: number;
}

export function probeStats(samples: readonly ProbeSample[]): ProbeStats {
  const ok = samples.filter((s) => s.status >= 200 && s.status < 300).length;
  const shed = samples.filter((s) => s.status === 503).length;
  // Every latency counts, 503s and failures included: a fast refusal is not a fast answer, and shed is reported beside it.
  return { sent: samples.length, shed, failed: samples.length - ok - shed, ...summarizeLatencies(samples.map((s) => s.latencyMs)) };
}

/**
 * The live-lookup probe of the load benches: one-step POST /align at `ratePerS`, with step texts
 * fresh to this `seed`, so a phase is not served from what an earlier one warmed.
 */
export function alignProbe(o: { url: string; seed: number; durationS: number; ratePerS: number; k: number }): Promise<ProbeSample[]> {
  const steps = probeSteps(Math.ceil(o.durationS * o.ratePerS), o.seed);
  return runFixedRateProbe({
    url: o.url,
    path: '/align',
    ratePerS: o.ratePerS,
    durationS: o.durationS,
    headers: { authorization: writeHeaders.authorization },
    body: (i) => JSON.stringify({ steps: [steps[i % steps.length]], k: o.k }),
  });
}
