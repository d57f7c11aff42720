import http from 'node:http';

/**
 * An open-model load generator: requests are sent on a schedule (the arrival rate), whether or not
 * earlier ones have been answered, the way independent users arrive. Latency is measured from
 * each request's scheduled time, so time spent waiting for a free connection counts
 * (no coordinated omission). Closed-loop tools such as autocannon slow down with the server and
 * can never show what overload does to it.
 */

export interface PlannedRequest {
  scenario: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

export interface OpenLoopOptions {
  baseUrl: string;
  durationS: number;
  /** Arrival rate (requests/s) at `t` seconds into the run. */
  rateAt: (t: number) => number;
  next: () => PlannedRequest;
  /** Sockets the generator may open (a fleet of clients has many). */
  maxSockets?: number;
  /** Requests waiting for a socket beyond this are counted as dropped by the generator. */
  maxPending?: number;
  timeoutMs?: number;
}

export interface ScenarioTally {
  sent: number;
  /** Latencies (ms) of 2xx answers. */
  served: number[];
  /** Answers by status code. */
  statuses: Record<string, number>;
  transportErrors: number;
}

export interface OpenLoopResult {
  durationS: number;
  scheduled: number;
  /** Requests the generator itself could not send in time (it, not the server, was the limit). */
  droppedByGenerator: number;
  scenarios: Record<string, ScenarioTally>;
  /** Per-second timeline: arrivals, 2xx, 503s. */
  timeline: { t: number; sent: number; ok: number; shed: number }[];
}

export async function runOpenLoop(opts: OpenLoopOptions): Promise<OpenLoopResult> {
  const url = new URL(opts.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 256 });
  const maxPending = opts.maxPending ?? 5_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const result: OpenLoopResult = { durationS: opts.durationS, scheduled: 0, droppedByGenerator: 0, scenarios: {}, timeline: [] };
  const seconds = Math.ceil(opts.durationS);
  for (let t = 0; t < seconds; t++) result.timeline.push({ t, sent: 0, ok: 0, shed: 0 });
  let pending = 0;
  let due = 0; // integral of the rate: how many requests should have been scheduled so far
  const inFlight: Promise<void>[] = [];

  const send = (planned: PlannedRequest, scheduledAt: number, second: number) => {
    const tally = (result.scenarios[planned.scenario] ??= { sent: 0, served: [], statuses: {}, transportErrors: 0 });
    tally.sent++;
    result.timeline[second].sent++;
    pending++;
    return new Promise<void>((resolve) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: planned.method,
          path: planned.path,
          agent,
          headers: { ...(planned.body ? { 'content-type': 'application/json' } : {}), ...planned.headers },
          timeout: timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const latency = performance.now() - scheduledAt;
            const status = res.statusCode ?? 0;
            tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
            if (status >= 200 && status < 300) {
              tally.served.push(latency);
              result.timeline[second].ok++;
            } else if (status === 503) result.timeline[second].shed++;
            pending--;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        tally.transportErrors++;
        pending--;
        resolve();
      });
      req.end(planned.body);
    });
  };

  const started = performance.now();
  await new Promise<void>((done) => {
    const tick = () => {
      const now = performance.now();
      const t = (now - started) / 1000;
      if (t >= opts.durationS) return done();
      // Step the rate integral in 1 ms slices so ramps are followed closely.
      const target = integrate(opts.rateAt, t);
      while (due < Math.floor(target)) {
        due++;
        result.scheduled++;
        // The scheduled time of this arrival (not "now"), so a late generator cannot hide latency.
        const scheduledAt = started + timeOfArrival(opts.rateAt, due, t) * 1000;
        const second = Math.min(seconds - 1, Math.floor((scheduledAt - started) / 1000));
        if (pending >= maxPending) {
          result.droppedByGenerator++;
          continue;
        }
        inFlight.push(send(opts.next(), scheduledAt, second));
      }
      setTimeout(tick, 2);
    };
    tick();
  });
  await Promise.all(inFlight);
  agent.destroy();
  return result;
}

// The integral of the rate up to t, cached incrementally (rateAt is cheap; 1 ms steps are plenty).
const integralCache = new WeakMap<(t: number) => number, { t: number; sum: number }>();
function integrate(rateAt: (t: number) => number, t: number): number {
  const state = integralCache.get(rateAt) ?? { t: 0, sum: 0 };
  const step = 0.001;
  while (state.t + step <= t) {
    state.sum += rateAt(state.t + step / 2) * step;
    state.t += step;
  }
  integralCache.set(rateAt, state);
  return state.sum;
}

/** Approximate scheduled time of the n-th arrival: now, less the share of the rate not yet due. */
function timeOfArrival(rateAt: (t: number) => number, n: number, now: number): number {
  const state = integralCache.get(rateAt)!;
  const rate = Math.max(rateAt(now), 1e-9);
  return Math.min(now, state.t - Math.max(0, state.sum - n) / rate);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}
