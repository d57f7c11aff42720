import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

/**
 * The k6 options the profiles build (loadtests/lib/options.ts), evaluated in Node: k6's `__ENV`
 * global is the only k6 thing it reads, so a plain object stands in for it.
 */
const env: Record<string, string | undefined> = {};
(globalThis as { __ENV?: typeof env }).__ENV = env;
// A computed specifier: the k6 modules import each other as `.ts` (k6's way), which this project's
// compiler settings refuse; loadtests/tsconfig.json type-checks them in the k6 world instead.
const OPTIONS = new URL('../../../loadtests/lib/options.ts', import.meta.url).href;
const { optionsFor } = (await import(OPTIONS)) as { optionsFor: (name: string) => { scenarios: unknown; thresholds: unknown } };

interface RampingScenario {
  startRate: number;
  timeUnit: string;
  stages: { duration: string; target: number }[];
}

describe('k6 options of the profiles', () => {
  it('send every kind of request even in the smoke profile (1 % of 0.05 x 200/s rounds to 0 per second)', () => {
    Object.assign(env, { BASE_RATE: '200', TIME_SCALE: undefined });
    const scenarios = optionsFor('smoke').scenarios as Record<string, RampingScenario>;
    const writes = scenarios.productsWrite;
    assert.equal(writes.timeUnit, '1m');
    assert.equal(writes.stages[0].target, 6, '200/s x 1 % x 0.05 = 0.1/s = 6 per minute');
    for (const [name, s] of Object.entries(scenarios))
      assert.ok(
        s.stages.every((st) => st.target > 0),
        name,
      );
  });

  it('judge served latency per scenario, not http_req_duration{expected_response:true}, which counts shed 503s', () => {
    Object.assign(env, { BASE_RATE: '200', TIME_SCALE: undefined });
    const thresholds = optionsFor('stress').thresholds as Record<string, string[]>;
    assert.deepEqual(thresholds['ecomalign_served_duration{scenario:align1}'], ['p(95)<200', 'p(99)<500']);
    // A batch of 8 scripts (~50 steps) is held to ten times the bound of one request.
    assert.deepEqual(thresholds['ecomalign_served_duration{scenario:alignBatch}'], ['p(95)<2000', 'p(99)<5000']);
    assert.equal(thresholds['http_req_duration{expected_response:true}'], undefined);
    assert.deepEqual(thresholds.ecomalign_server_errors, ['count==0']);
    assert.deepEqual(thresholds['http_reqs{scenario:productsWrite}'], ['count>0']);
    assert.deepEqual(thresholds.ecomalign_shed, ['rate<0.75'], 'stress may shed');
    assert.deepEqual((optionsFor('load').thresholds as Record<string, string[]>).ecomalign_shed, ['rate==0'], 'load may not');
  });

  it('scale durations with TIME_SCALE, each stage at least a second', () => {
    Object.assign(env, { BASE_RATE: '100', TIME_SCALE: '0.1' });
    const spike = (optionsFor('spike').scenarios as Record<string, RampingScenario>).align1;
    assert.deepEqual(
      spike.stages.map((s) => s.duration),
      ['3s', '1s', '3s', '1s', '6s'],
    );
    assert.equal(spike.startRate, Math.round(100 * 0.5 * 0.2 * 60));
    Object.assign(env, { TIME_SCALE: '0' });
    assert.throws(() => optionsFor('load'), /TIME_SCALE must be a positive number/);
  });
});
