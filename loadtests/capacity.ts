/**
 * One fixed-rate trial for the capacity search (`npm run loadtest`, driven by loadtests/k6/search.ts):
 * SCENARIO (align1, align5 or mix) at RATE requests/s for DURATION_S seconds, open model. No
 * thresholds: the search judges each trial from the summary export.
 *   k6 run -e BASE_URL=http://localhost:8080 -e SCENARIO=align1 -e RATE=300 -e DURATION_S=6 loadtests/capacity.ts
 */
import type { Options, Scenario } from 'k6/options';
import { SCENARIO_SHARE, type ScenarioName } from './lib/profiles.ts';

const only = __ENV.SCENARIO ?? 'mix';
const rate = Number(__ENV.RATE);
const durationS = Number(__ENV.DURATION_S ?? 6);
if (!(rate > 0) || !(durationS > 0)) throw new Error(`RATE and DURATION_S must be positive, got ${__ENV.RATE} and ${__ENV.DURATION_S}`);
const shares: [ScenarioName, number][] =
  only === 'mix' ? (Object.entries(SCENARIO_SHARE) as [ScenarioName, number][]) : [[only as ScenarioName, 1]];
if (!shares.every(([name]) => name in SCENARIO_SHARE))
  throw new Error(`SCENARIO must be mix or one of ${Object.keys(SCENARIO_SHARE).join(', ')}`);

const scenarios: Record<string, Scenario> = {};
for (const [name, share] of shares) {
  const perSecond = rate * share;
  scenarios[name] = {
    executor: 'constant-arrival-rate',
    exec: name,
    // Per minute, so a 1 % share of a low rate still sends something.
    rate: Math.max(1, Math.round(perSecond * 60)),
    timeUnit: '1m',
    duration: `${durationS}s`,
    // Enough VUs for the rate at a 1 s response time; dropped_iterations says when even that was short.
    preAllocatedVUs: Math.max(2, Math.ceil(perSecond / 4)),
    maxVUs: Math.max(10, Math.ceil(perSecond * 2)),
    gracefulStop: '10s',
  };
}

export const options: Options = { scenarios, summaryTrendStats: ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max'] };
export { align1, align5, alignBatch, productsRead, productsWrite } from './lib/scenarios.ts';
