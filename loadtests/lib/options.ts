import type { Options, Scenario } from 'k6/options';
import { PROFILES, SCENARIO_LATENCY_FACTOR, SCENARIO_SHARE, scaleProfile, type ProfileName, type ScenarioName } from './profiles.ts';

/**
 * Turns a shared profile into k6 options: one ramping-arrival-rate scenario per traffic kind
 * (open model: arrivals do not slow down when the service does, as with real users), and
 * thresholds that fail the run when latency or errors exceed the profile's limits.
 *
 * BASE_RATE (requests/s, default 200) is the deployment's sustainable rate.
 * TIME_SCALE (default 1) multiplies every stage's duration, to fit a profile on a test machine.
 */
export function optionsFor(name: ProfileName): Options {
  const baseRate = Number(__ENV.BASE_RATE ?? 200);
  if (!(baseRate > 0)) throw new Error(`BASE_RATE must be a positive number of requests per second, got ${__ENV.BASE_RATE}`);
  const timeScale = Number(__ENV.TIME_SCALE ?? 1);
  if (!(timeScale > 0)) throw new Error(`TIME_SCALE must be a positive number, got ${__ENV.TIME_SCALE}`);
  const profile = scaleProfile(PROFILES[name], timeScale);
  const t = profile.thresholds;
  const scenarios: Record<string, Scenario> = {};
  const thresholds: Record<string, string[]> = {
    // Share of failed requests: any answer but 2xx and 503 (see lib/scenarios.ts), or no answer.
    http_req_failed: [`rate<=${t.maxErrorRate}`],
    // No 5xx but a 503 that says when to retry (shedding, start-up); this also catches a 503 without Retry-After.
    ecomalign_server_errors: ['count==0'],
    // Only overload profiles may shed; the others must serve everything.
    ecomalign_shed: [profile.expectsShedding ? 'rate<0.75' : 'rate==0'],
    checks: ['rate>0.99'],
  };
  for (const [scenario, share] of Object.entries(SCENARIO_SHARE) as [ScenarioName, number][]) {
    // Rates per minute, so a small share of a small base rate (1 % writes in a smoke test) still
    // sends something: per second it would round to zero.
    const perMinute = (factor: number) => Math.max(0, Math.round(baseRate * share * factor * 60));
    const peakPerSecond = Math.max(
      1,
      Math.ceil(Math.max(profile.startFactor, ...profile.stages.map((s) => s.rateFactor)) * baseRate * share),
    );
    scenarios[scenario] = {
      executor: 'ramping-arrival-rate',
      exec: scenario,
      startRate: perMinute(profile.startFactor),
      timeUnit: '1m',
      // Enough VUs for the peak rate at a 1 s response time; k6 reports dropped_iterations if even that is short.
      preAllocatedVUs: Math.min(50, peakPerSecond),
      maxVUs: Math.max(10, peakPerSecond * 2),
      stages: profile.stages.map((s) => ({ duration: `${s.durationS}s`, target: perMinute(s.rateFactor) })),
    };
    // Latency of the requests that were served, per scenario. Not http_req_duration{expected_response:true}:
    // shed 503s are "expected" too (they are not failures), and being fast they would flatter it.
    const f = SCENARIO_LATENCY_FACTOR[scenario];
    thresholds[`ecomalign_served_duration{scenario:${scenario}}`] = [`p(95)<${t.p95Ms * f}`, `p(99)<${t.p99Ms * f}`];
    // A scenario that sent nothing would pass its latency bounds vacuously.
    thresholds[`http_reqs{scenario:${scenario}}`] = ['count>0'];
  }
  return {
    scenarios,
    thresholds,
    summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
  };
}
