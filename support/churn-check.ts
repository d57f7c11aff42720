/**
 * Churn property check for ANN indexes: seeded rounds of "add a batch of new labels, remove a
 * random 20–40 % of the live ones (sometimes twice, sometimes labels never added)", each round
 * checked against an ExactIndex oracle. Shared by bench/store/ann-choice.ts (every candidate, one child
 * process per seed) and test/store/ann/churn.test.ts (the in-tree adapters, small sizes).
 *
 * Why: usearch 2.25.3 hung forever in native remove() after many add/remove cycles (its key hash
 * table spun once every slot was live or tombstoned, unum-cloud/USearch #753). Recall benchmarks
 * on a freshly built index never meet that state; this does, because the total number of adds
 * over a run is many times the live size (steady state ≈ 700 live with the defaults, ≈ 300 adds
 * per round), so slots are freed and reused over and over.
 *
 * Checked after every round (the first failing check ends the run and is reported):
 * - size: the subject's size() equals the oracle's;
 * - self: every live label (or a seeded sample of them, see `selfCheckSample`; all of them in the
 *   last round) is found by a search for its own vector: top-1, or top 10 at score ≥ 0.99;
 * - removed: no search ever returns a removed (or never-added) label;
 * - score: returned scores equal the oracle's cosine for that label within `scoreTolerance`,
 *   best first; a query returns min(10, live) results;
 * - has: (when the subject has has()) live labels are present, removed ones absent.
 * Recall@10 against the oracle is recorded but not asserted (it is a quality figure, not a
 * correctness property).
 */
import type { AnnIndex, AnnSearchResult } from '../src/store/ann/ann-index.js';
import { ExactIndex } from '../src/store/ann/exact-index.js';
import { ClusterModel, Rng, rowOf, type ClusterModelOptions } from './synthetic.js';

/** What the checker drives: an AnnIndex, or an async engine (every method may return a promise). */
export interface ChurnSubject {
  size(): number | Promise<number>;
  add(labels: number[], vectors: Float32Array[]): void | Promise<void>;
  /** Removes a batch; duplicates and unknown labels must be ignored. */
  remove(labels: number[]): void | Promise<void>;
  search(query: Float32Array, n: number): AnnSearchResult | Promise<AnnSearchResult>;
  has?(label: number): boolean;
  /** Called after each round's add, before the removals (LanceDB: build or refresh its index). */
  afterAdd?(round: number): void | Promise<void>;
}

export interface ChurnOptions {
  seed: number;
  rounds: number;
  dimension: number;
  /** Largest add batch; each round adds a uniform 1..maxBatch. Default 600. */
  maxBatch?: number;
  /** Allowed |score − oracle cosine|; set it to the subject's storage precision. */
  scoreTolerance: number;
  /** Live labels self-searched per round; Infinity (default) checks every one. The last round
   * always checks every one. */
  selfCheckSample?: number;
  /** Fresh queries per round whose results are compared with the oracle. Default 10. */
  queriesPerRound?: number;
  /** Cluster model for the vectors (default: 64 topics × 8 clusters). */
  model?: Omit<ClusterModelOptions, 'dimension' | 'seed'>;
  /** Called after every completed round with the counts so far (the benchmark reports progress
   * to its parent, so a seed that later hangs still shows how far it got). */
  onRound?: (progress: ChurnResult) => void;
}

export interface ChurnFailure {
  round: number;
  check: 'size' | 'self' | 'removed' | 'score' | 'has' | 'error';
  message: string;
}

export interface ChurnResult {
  seed: number;
  passed: boolean;
  failure?: ChurnFailure;
  roundsDone: number;
  adds: number;
  /** remove() calls per label, including repeated and unknown labels. */
  removes: number;
  /** Live size at the end (or at the failure). */
  live: number;
  maxLive: number;
  selfChecks: number;
  queries: number;
  /** Mean recall@10 of the per-round queries against the oracle. */
  recallAt10: number;
  seconds: number;
}

const K = 10;

export async function runChurn(subject: ChurnSubject, options: ChurnOptions): Promise<ChurnResult> {
  const { seed, rounds, dimension: dim, scoreTolerance } = options;
  const maxBatch = options.maxBatch ?? 600;
  const selfSample = options.selfCheckSample ?? Infinity;
  const queriesPerRound = options.queriesPerRound ?? 10;
  const model = new ClusterModel({ dimension: dim, seed, topics: 64, clustersPerTopic: 8, ...options.model });
  const rng = new Rng(seed * 7919 + 1); // the operations: the same sequence for every subject
  const checkRng = new Rng(seed * 7919 + 2); // which labels the checks sample (varies by subject)
  const oracle = new ExactIndex(dim, 1024);
  const vectorOf = new Map<number, Float32Array>();
  const removed: number[] = [];
  const live: number[] = []; // order irrelevant; swap-removed
  let nextLabel = seed * 10_000_000 + 1; // never reused, distinct per seed
  const start = performance.now();
  const r: ChurnResult = {
    seed,
    passed: true,
    roundsDone: 0,
    adds: 0,
    removes: 0,
    live: 0,
    maxLive: 0,
    selfChecks: 0,
    queries: 0,
    recallAt10: 0,
    seconds: 0,
  };
  let recallSum = 0;
  const fail = (round: number, check: ChurnFailure['check'], message: string): ChurnResult => {
    r.passed = false;
    r.failure = { round, check, message };
    return finish();
  };
  // Fills in the derived figures; also used for the progress reports, hence a fresh copy.
  const finish = (): ChurnResult => {
    r.live = live.length;
    r.recallAt10 = r.queries ? recallSum / r.queries : 0;
    r.seconds = (performance.now() - start) / 1000;
    return { ...r };
  };

  for (let round = 0; round < rounds; round++) {
    try {
      // Add a batch of brand-new labels.
      const count = 1 + rng.int(maxBatch);
      const flat = model.sample(count, seed * 100_003 + round);
      const labels: number[] = [];
      const vectors: Float32Array[] = [];
      for (let i = 0; i < count; i++) {
        const label = nextLabel++;
        labels.push(label);
        vectors.push(rowOf(flat, dim, i));
        vectorOf.set(label, rowOf(flat, dim, i));
        live.push(label);
      }
      await subject.add(labels, vectors);
      oracle.add(labels, vectors);
      r.adds += count;
      r.maxLive = Math.max(r.maxLive, live.length);
      await subject.afterAdd?.(round);

      // Remove 20–40 % of the live labels, plus sometimes repeats and never-added labels.
      const victims: number[] = [];
      const share = 0.2 + 0.2 * rng.float();
      for (let n = Math.floor(live.length * share); n > 0; n--) {
        const at = rng.int(live.length);
        victims.push(live[at]);
        live[at] = live[live.length - 1];
        live.pop();
      }
      const extra: number[] = [];
      if (victims.length > 0 && rng.float() < 0.3) extra.push(victims[rng.int(victims.length)]); // twice in one batch
      if (removed.length > 0 && rng.float() < 0.3) extra.push(removed[rng.int(removed.length)]); // removed in an earlier round
      if (rng.float() < 0.3) extra.push(nextLabel + 1_000_000 + rng.int(1000)); // never added
      await subject.remove([...victims, ...extra]);
      for (const label of victims) {
        oracle.remove(label);
        removed.push(label);
      }
      r.removes += victims.length + extra.length;

      // size
      const size = await subject.size();
      if (size !== oracle.size()) return fail(round, 'size', `size() ${size}, oracle ${oracle.size()}`);

      // has (cheap, so on a sample of both sides)
      if (subject.has) {
        for (let i = 0; i < 20 && live.length > 0; i++) {
          const label = live[checkRng.int(live.length)];
          if (!subject.has(label)) return fail(round, 'has', `has(${label}) false for a live label`);
        }
        for (let i = 0; i < 20 && removed.length > 0; i++) {
          const label = removed[checkRng.int(removed.length)];
          if (subject.has(label)) return fail(round, 'has', `has(${label}) true for a removed label`);
        }
      }

      // self: each checked live label is found by its own vector
      // A sampled check still covers every live label once, in the last round.
      const sample = round === rounds - 1 ? Infinity : selfSample;
      const checked = sample >= live.length ? live : Array.from({ length: sample }, () => live[checkRng.int(live.length)]);
      for (const label of checked) {
        const found = await subject.search(vectorOf.get(label)!, K);
        r.selfChecks++;
        const problem = checkResult(found, vectorOf.get(label)!, oracle, vectorOf, scoreTolerance, Math.min(K, live.length));
        if (problem) return fail(round, problem.check, `search for label ${label}'s own vector: ${problem.message}`);
        const at = found.labels.indexOf(label);
        if (!(at === 0 || (at > 0 && found.scores[at] >= 0.99))) {
          return fail(
            round,
            'self',
            `live label ${label} not found by its own vector (position ${at}, top-3 ${found.labels.slice(0, 3).join(',')} scores ${found.scores
              .slice(0, 3)
              .map((s) => s.toFixed(4))
              .join(',')}; live ${live.length})`,
          );
        }
      }

      // queries: results live, well-scored, and how many of the oracle's top 10 they hold
      const queryFlat = model.sample(queriesPerRound, seed * 100_003 + 50_000 + round);
      for (let q = 0; q < queriesPerRound; q++) {
        const query = rowOf(queryFlat, dim, q);
        const found = await subject.search(query, K);
        const problem = checkResult(found, query, oracle, vectorOf, scoreTolerance, Math.min(K, live.length));
        if (problem) return fail(round, problem.check, `query ${q}: ${problem.message}`);
        const truth = new Set(oracle.search(query, K).labels);
        recallSum += truth.size ? found.labels.filter((l) => truth.has(l)).length / truth.size : 1;
        r.queries++;
      }
      r.roundsDone = round + 1;
      if (options.onRound) options.onRound(finish());
    } catch (err) {
      return fail(round, 'error', (err as Error).stack ?? String(err));
    }
  }
  return finish();
}

/** Checks one result list: length, only live labels, best first, scores equal to the oracle's cosine. */
function checkResult(
  found: AnnSearchResult,
  query: Float32Array,
  oracle: ExactIndex,
  vectorOf: Map<number, Float32Array>,
  tolerance: number,
  expected: number,
): { check: ChurnFailure['check']; message: string } | undefined {
  for (let i = 0; i < found.labels.length; i++) {
    const label = found.labels[i];
    if (!oracle.has(label)) {
      return { check: 'removed', message: `returned ${vectorOf.has(label) ? 'removed' : 'never-added'} label ${label} at position ${i}` };
    }
    const truth = dot(query, vectorOf.get(label)!);
    if (!(Math.abs(found.scores[i] - truth) <= tolerance)) {
      return { check: 'score', message: `label ${label} scored ${found.scores[i]}, true cosine ${truth.toFixed(6)}` };
    }
    if (i > 0 && found.scores[i] > found.scores[i - 1] + tolerance) {
      return { check: 'score', message: `scores not best-first at position ${i}: ${found.scores[i - 1]} then ${found.scores[i]}` };
    }
  }
  if (found.labels.length !== expected) {
    return { check: 'score', message: `${found.labels.length} results, expected ${expected}` };
  }
  return undefined;
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** An AnnIndex as a churn subject (batch removal as one remove() per label, as the store does). */
export function annIndexSubject(index: AnnIndex): ChurnSubject {
  return {
    size: () => index.size(),
    add: (labels, vectors) => index.add(labels, vectors),
    remove: (labels) => {
      for (const label of labels) index.remove(label);
    },
    search: (query, n) => index.search(query, n),
    has: (label) => index.has(label),
  };
}
