import type { Options, Scenario } from 'k6/options';
import { PROFILES, SCENARIO_SHARE, type ProfileName, type ScenarioName } from './profiles.ts';

/**
 * Turns a shared profile into k6 options: one ramping-arrival-rate scenario per traffic kind
 * (open model: arrivals do not slow down when the service does, as with real users), and
 * thresholds that fail the run when latency or errors exceed the profile's limits.
 *
 * BASE_RATE (requests/s, default 200) is the deployment's sustainable rate.
 */
export function optionsFor(name: ProfileName): Options {
  const profile = PROFILES[name];
  const baseRate = Number(__ENV.BASE_RATE ?? 200);
  if (!(baseRate > 0)) throw new Error(`BASE_RATE must be a positive number of requests per second, got ${__ENV.BASE_RATE}`);
  const scenarios: Record<string, Scenario> = {};
  for (const [scenario, share] of Object.entries(SCENARIO_SHARE) as [ScenarioName, number][]) {
    const rate = (factor: number) => Math.max(0, Math.round(baseRate * share * factor));
    const peak = Math.max(1, ...profile.stages.map((s) => rate(s.rateFactor)));
    scenarios[scenario] = {
      executor: 'ramping-arrival-rate',
      exec: scenario,
      startRate: rate(profile.startFactor),
      timeUnit: '1s',
      // Enough VUs for the peak rate at a 1 s response time; k6 warns if even that is short.
      preAllocatedVUs: Math.min(50, peak),
      maxVUs: Math.max(10, peak * 2),
      stages: profile.stages.map((s) => ({ duration: `${s.durationS}s`, target: rate(s.rateFactor) })),
    };
  }
  const t = profile.thresholds;
  return {
    scenarios,
    thresholds: {
      // Latency of the requests that were served (shed 503s are fast and would flatter it).
      'http_req_duration{expected_response:true}': [`p(95)<${t.p95Ms}`, `p(99)<${t.p99Ms}`],
      http_req_failed: [`rate<=${t.maxErrorRate}`],
      // Only overload profiles may shed; the others must serve everything.
      ecomalign_shed: [profile.expectsShedding ? 'rate<0.75' : 'rate==0'],
      checks: ['rate>0.99'],
    },
    summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'],
  };
}
