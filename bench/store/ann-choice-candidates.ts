/**
 * The candidates of the ANN-library choice (bench/store/ann-choice.ts) behind one async-capable shape,
 * so the build, search and churn code is the same for the synchronous in-tree adapters and the
 * asynchronous LanceDB engine.
 */
import type { AnnIndex, AnnSearchResult } from '../../src/store/ann/ann-index.js';
import { ExactIndex } from '../../src/store/ann/exact-index.js';
import { HnswlibIndex } from '../../src/store/ann/hnswlib-index.js';
import { UsearchIndex } from '../../src/store/ann/usearch-index.js';
import { annIndexSubject, type ChurnSubject } from '../../support/churn-check.js';
import { LANCE_MIN_INDEX_ROWS, LanceCandidate } from './lancedb-candidate.js';

export const CANDIDATE_IDS = ['usearch-f16', 'usearch-f16-1t', 'hnswlib', 'lancedb', 'exact'] as const;
export type CandidateId = (typeof CANDIDATE_IDS)[number];

export interface BenchCandidate extends ChurnSubject {
  readonly name: string;
  /** True when add and search run off the event loop (the promise resolves later). */
  readonly async: boolean;
  /** Allowed |score − true cosine| for the churn check: the candidate's storage precision. */
  readonly scoreTolerance: number;
  /** Live label positions self-searched per churn round (Infinity: all of them). */
  readonly selfCheckSample: number;
  search(query: Float32Array, n: number): AnnSearchResult | Promise<AnnSearchResult>;
  /** After the bulk insert of the build: LanceDB trains its index here; the others are done. */
  finishBuild(): Promise<void>;
  /** The adapter's own memory estimate, when it has one. */
  memoryEstimate(): number | undefined;
}

// Score tolerances: f16 rounding of a 384-d dot product stays below 1e-3 (conformance tests);
// hnswlib, exact and LanceDB (re-scored on its stored f32 vectors) report f32 cosines.
// usearch-f16 inserts on all cores (buildThreads: 0), usearch-f16-1t on one, the adapter's default
// (src/store/ann/usearch-index.ts): with more than one, usearch 2.26.2 strands inserted nodes that
// no search reaches (unum-cloud/USearch #735, fix PR #772 unmerged); the churn check found it
// ("live label not found by its own vector") on every seed at 2 threads. The store's default
// library is hnswlib (src/store/ann/default-index.ts).
export async function openCandidate(id: CandidateId, dimension: number, expectedSize: number, dir: string): Promise<BenchCandidate> {
  switch (id) {
    case 'usearch-f16':
      return syncCandidate(
        UsearchIndex.create(dimension, { quantization: 'f16', buildThreads: 0 }),
        'usearch 2.26.2 f16 M=16 efC=256 ef=128, all cores (buildThreads: 0)',
        2e-3,
      );
    case 'usearch-f16-1t':
      return syncCandidate(
        UsearchIndex.create(dimension, { quantization: 'f16', buildThreads: 1 }),
        'usearch 2.26.2 f16 M=16 efC=256 ef=128, 1 insert thread (the adapter default)',
        2e-3,
      );
    case 'hnswlib':
      return syncCandidate(HnswlibIndex.create(dimension, expectedSize), 'hnswlib-node 3.0.0 M=16 efC=200 ef=256', 1e-4);
    case 'exact':
      return syncCandidate(new ExactIndex(dimension, expectedSize), 'exact scan (ExactIndex)', 1e-5);
    case 'lancedb':
      return lanceCandidate(await LanceCandidate.create(dir, dimension));
  }
}

function syncCandidate(index: AnnIndex, name: string, scoreTolerance: number): BenchCandidate {
  return {
    ...annIndexSubject(index),
    name,
    async: false,
    scoreTolerance,
    selfCheckSample: Infinity,
    finishBuild: async () => {},
    memoryEstimate: () => index.memoryBytes(),
  };
}

/** LanceDB searches cost ≈ 4 ms each even on a few hundred rows (query planning per call;
 * one seed of 40 rounds checking every live label took 110 s, sampling 64 took 17 s), so its churn
 * self-check samples 64 live labels per round, and checks every one in the last round. */
const LANCE_SELF_CHECK_SAMPLE = 64;
/** Compact and fold appended rows into the index every this many churn rounds. */
const LANCE_OPTIMIZE_EVERY = 5;

function lanceCandidate(lance: LanceCandidate): BenchCandidate {
  return {
    name: `LanceDB 0.31.0 ${lance.name.replace(/^LanceDB /, '')}`,
    async: true,
    scoreTolerance: 1e-4,
    selfCheckSample: LANCE_SELF_CHECK_SAMPLE,
    size: () => lance.size(),
    add: (labels, vectors) => lance.add(labels, vectors),
    remove: (labels) => lance.remove(labels),
    search: (query, n) => lance.search(query, n),
    // In churn: index as soon as LanceDB can train one, then refresh it periodically, so the checks
    // meet indexed rows, appended unindexed rows and deletions in both.
    afterAdd: async (round) => {
      if (!lance.hasIndex) {
        if ((await lance.size()) >= LANCE_MIN_INDEX_ROWS) await lance.buildIndex();
      } else if (round % LANCE_OPTIMIZE_EVERY === LANCE_OPTIMIZE_EVERY - 1) {
        await lance.optimize();
      }
    },
    finishBuild: () => lance.buildIndex(),
    memoryEstimate: () => undefined,
  };
}
