/**
 * Load profiles shared by the k6 scripts (loadtests/*.ts) and the local Node runner
 * (`npm run loadtest`), so both mean the same thing by "load" or "spike". Pure data: no k6 or Node
 * imports, so it type-checks in both worlds.
 *
 * Rates are open-model arrival rates (requests per second, whatever the latency), as multiples of a
 * base rate: the sustainable rate of the deployment under test. Durations are the k6 ones; the
 * local runner scales them down to fit a test machine and says so in its report.
 */

export type ProfileName = 'smoke' | 'load' | 'stress' | 'spike' | 'soak';

export interface Stage {
  /** Seconds to move linearly from the previous stage's rate to this one's. */
  durationS: number;
  /** Arrival rate at the end of the stage, as a multiple of the base rate. */
  rateFactor: number;
}

export interface Thresholds {
  p95Ms: number;
  p99Ms: number;
  /** Share of requests that may fail (non-2xx other than deliberate shedding, or transport errors). */
  maxErrorRate: number;
}

export interface Profile {
  name: ProfileName;
  description: string;
  /** Rate factor at the start of the first stage. */
  startFactor: number;
  stages: Stage[];
  thresholds: Thresholds;
  /** Overload profiles expect 503s (shed load) and judge only the requests that were served. */
  expectsShedding: boolean;
}

/** The traffic mix: which endpoint, and what share of the arrivals it gets. */
export type ScenarioName = 'align1' | 'align5' | 'alignBatch' | 'productsRead' | 'productsWrite';

export const SCENARIO_SHARE: Record<ScenarioName, number> = {
  align1: 0.5, // a shopping assistant asking about the step the user is on
  align5: 0.3, // a whole short script at once
  alignBatch: 0.05, // bulk callers: 8 scripts per request
  productsRead: 0.14,
  productsWrite: 0.01, // catalog updates trickle in during the day
};

/**
 * Each scenario's latency bound, as a multiple of the profile's p95/p99 limits. A batch of eight
 * whole scripts is ~50 steps in one request, about ten five-step requests of work, so it is held to
 * ten times the bound of one request; everything else to the bound itself.
 */
export const SCENARIO_LATENCY_FACTOR: Record<ScenarioName, number> = {
  align1: 1,
  align5: 1,
  alignBatch: 10,
  productsRead: 1,
  productsWrite: 1,
};

const SERVED = { p95Ms: 50, p99Ms: 100, maxErrorRate: 0.001 };

export const PROFILES: Record<ProfileName, Profile> = {
  smoke: {
    name: 'smoke',
    description: 'A trickle of every request kind: does it work at all?',
    startFactor: 0.05,
    stages: [{ durationS: 30, rateFactor: 0.05 }],
    thresholds: { p95Ms: 50, p99Ms: 100, maxErrorRate: 0 },
    expectsShedding: false,
  },
  load: {
    name: 'load',
    description: 'Ramp to the base rate and hold it: the day-to-day peak.',
    startFactor: 0,
    stages: [
      { durationS: 60, rateFactor: 1 },
      { durationS: 240, rateFactor: 1 },
      { durationS: 30, rateFactor: 0 },
    ],
    thresholds: SERVED,
    expectsShedding: false,
  },
  stress: {
    name: 'stress',
    description: 'Climb past capacity to twice the base rate: latency of served requests stays bounded, excess is shed with 503.',
    startFactor: 0.5,
    stages: [
      { durationS: 60, rateFactor: 1 },
      { durationS: 60, rateFactor: 1.5 },
      { durationS: 120, rateFactor: 2 },
      { durationS: 30, rateFactor: 0.5 },
    ],
    thresholds: { p95Ms: 200, p99Ms: 500, maxErrorRate: 0.001 },
    expectsShedding: true,
  },
  spike: {
    name: 'spike',
    description: 'From quiet to three times the base rate in ten seconds and back: shed, then recover.',
    startFactor: 0.2,
    stages: [
      { durationS: 30, rateFactor: 0.2 },
      { durationS: 10, rateFactor: 3 },
      { durationS: 30, rateFactor: 3 },
      { durationS: 10, rateFactor: 0.2 },
      { durationS: 60, rateFactor: 0.2 },
    ],
    thresholds: { p95Ms: 300, p99Ms: 1000, maxErrorRate: 0.001 },
    expectsShedding: true,
  },
  soak: {
    name: 'soak',
    description: 'Most of the base rate for an hour: leaks show as growing memory or latency.',
    startFactor: 0,
    stages: [
      { durationS: 60, rateFactor: 0.8 },
      { durationS: 3600, rateFactor: 0.8 },
    ],
    thresholds: SERVED,
    expectsShedding: false,
  },
};

/**
 * How much of each profile's duration a run on a 2-core test machine takes by default (`npm run k6`):
 * smoke whole (30 s), soak shortened from an hour to 120 s, the others a tenth (14–33 s).
 */
export const TEST_MACHINE_SCALE: Record<ProfileName, number> = { smoke: 1, load: 0.1, stress: 0.1, spike: 0.1, soak: 120 / 3660 };

/** The profile with every stage's duration multiplied by `scale` (at least 1 s each), for a test machine. */
export function scaleProfile(profile: Profile, scale: number): Profile {
  return { ...profile, stages: profile.stages.map((s) => ({ ...s, durationS: Math.max(1, Math.round(s.durationS * scale)) })) };
}

/** Total duration of a profile in seconds. */
export function profileDurationS(profile: Profile): number {
  return profile.stages.reduce((s, stage) => s + stage.durationS, 0);
}

/** Arrival-rate factor at `t` seconds into the profile (linear within each stage). */
export function rateFactorAt(profile: Profile, t: number): number {
  let from = profile.startFactor;
  let start = 0;
  for (const stage of profile.stages) {
    if (t < start + stage.durationS) return from + ((stage.rateFactor - from) * (t - start)) / stage.durationS;
    from = stage.rateFactor;
    start += stage.durationS;
  }
  return from;
}
