/**
 * The ANN-library choice, measured in one run: for usearch f16, hnswlib-node, LanceDB (HNSW-SQ)
 * and the exact scan, on the same seeded clustered 384-d unit vectors:
 *   build rate and the longest event-loop stall while building; recall@10 and sequential
 *   queries/s (both also as ratios to the exact scan of this run); recall after appending rows
 *   that are not re-indexed; RSS/heap growth per vector; and the churn property check
 *   (support/churn-check.ts) over many seeds, each seed in a child process under a watchdog,
 *   so that a native hang is recorded as "hung" instead of stalling the run.
 *
 *   npm run bench -- --only ann-choice [--quick]   → bench/results/ann-choice.{json,md}
 *
 * Method
 * - Every candidate builds in its own child process (run with --expose-gc), one after another,
 *   from base vectors the parent wrote to a temp file. RSS and heap are read after a forced GC
 *   before and after the build; the raw input is resident before the first reading, so the
 *   difference is what the index holds (native memory, graph, allocator slack, JS garbage kept).
 * - Build: the N vectors are added in chunks of 512 labels with a turn of the event loop between
 *   chunks (how a server would feed a synchronous index without starving requests); LanceDB then
 *   trains its index (awaited). A 1 ms probe records the longest blocking stretch meanwhile.
 * - Search: 200 fresh queries one at a time (awaited for LanceDB) on the main thread, recall@10
 *   against the exact top 10 the parent computed, queries/s over ≥ 2 s.
 * - Appended rows: N/20 more vectors are added after the build without re-indexing; recall@10
 *   against the exact top 10 of all N + N/20 rows, and how many of 200 appended rows a search for
 *   their own vector returns at rank 1.
 */
import { fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExactIndex } from '../../src/store/ann/exact-index.js';
import { renderAnnChoice } from './ann-choice-report.js';
import { CANDIDATE_IDS, openCandidate, type CandidateId } from './ann-choice-candidates.js';
import { runChurn, type ChurnResult } from '../../support/churn-check.js';
import { startStallProbe } from '../lib/event-loop-stall.js';
import { ClusterModel, rowOf, rowsOf } from '../../support/synthetic.js';
import { readVectorFile } from './vector-file.js';
import { isMain } from '../../support/is-main.js';
import { writeResult } from '../harness/results.js';
import { loadAverageNow, type RunMeta } from '../harness/run-meta.js';
import type { AnnChoiceOptions, AnnChoiceResult, BuildRow, ChurnRow } from './ann-choice-types.js';

const K = 10;
const CHUNK = 512;

export async function runAnnChoice(opts: AnnChoiceOptions): Promise<AnnChoiceResult> {
  const log = opts.log ?? (() => {});
  const candidates = opts.candidates ?? [...CANDIDATE_IDS];
  log(`ann-choice: load average at start ${loadAverageNow().join(' ')}`);
  const dim = opts.dimension;
  const model = new ClusterModel({ dimension: dim, seed: opts.seed });
  const appended = Math.max(200, Math.round(opts.size / 20));
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-ann-choice-'));
  const build: AnnChoiceResult['build'] = [];
  const buildErrors: AnnChoiceResult['buildErrors'] = [];
  const churn: ChurnRow[] = [];
  try {
    log(`ann-choice: ${opts.size} base + ${appended} appended vectors, ground truth`);
    const all = model.sample(opts.size + appended, opts.seed + 1);
    const queries = model.sample(opts.queries, opts.seed + 2);
    const dataPath = join(dir, 'vectors.f32');
    writeFileSync(dataPath, new Uint8Array(all.buffer));
    const exact = new ExactIndex(dim, opts.size + appended);
    exact.add(range(0, opts.size), rowsOf(all, dim, 0, opts.size));
    const truth = range(0, opts.queries).map((q) => exact.search(rowOf(queries, dim, q), K).labels);
    exact.add(range(opts.size, opts.size + appended), rowsOf(all, dim, opts.size, opts.size + appended));
    const truthAppended = range(0, opts.queries).map((q) => exact.search(rowOf(queries, dim, q), K).labels);

    const rows: BuildRow[] = [];
    for (const candidate of candidates) {
      log(`ann-choice: build ${candidate}`);
      const request: BuildRequest = {
        kind: 'build',
        candidate,
        size: opts.size,
        appended,
        dimension: dim,
        dataPath,
        queries: Array.from(queries),
        truth,
        truthAppended,
        dir: join(dir, candidate),
      };
      const outcome = await runChild<BuildRow>(request, 30 * 60);
      if (outcome.status === 'ok') {
        rows.push(outcome.result);
        log(formatBuild(outcome.result));
      } else {
        buildErrors.push({ candidate, error: outcome.error });
        log(`ann-choice: build ${candidate} ${outcome.status}: ${outcome.error}`);
      }
    }
    rmSync(dataPath, { force: true });
    const baseline = rows.find((r) => r.candidate === 'exact');
    for (const r of rows) {
      build.push({
        ...r,
        speedup: baseline ? r.queriesPerSecond / baseline.queriesPerSecond : NaN,
        buildRatio: baseline ? r.buildPerSecond / baseline.buildPerSecond : NaN,
      });
    }

    for (const candidate of candidates) churn.push(await runChurnSeeds(candidate, opts, log));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    options: { size: opts.size, queries: opts.queries, dimension: dim, seed: opts.seed, churn: opts.churn, candidates },
    data: { kind: 'clustered-low-rank', clusters: model.clusters, ...model.params },
    build,
    buildErrors,
    churn,
  };
}

async function runChurnSeeds(candidate: CandidateId, opts: AnnChoiceOptions, log: (line: string) => void): Promise<ChurnRow> {
  const row: ChurnRow = {
    candidate,
    seeds: opts.churn.seeds,
    passed: 0,
    failed: [],
    hung: [],
    adds: 0,
    removes: 0,
    rounds: 0,
    maxLive: 0,
    selfCheckSample: 'all',
    scoreTolerance: 0,
    recallAt10: 0,
    secondsPerSeed: 0,
  };
  let recallSum = 0; // weighted by queries: a seed that failed in round 0 ran none
  let queries = 0;
  let seconds = 0;
  let reported = 0;
  for (let seed = 1; seed <= opts.churn.seeds; seed++) {
    const request: ChurnRequest = { kind: 'churn', candidate, seed, dimension: opts.dimension, ...opts.churn };
    let progress: ChurnProgress | undefined;
    const outcome = await runChild<ChurnProgress>(request, opts.churn.watchdogSeconds, (p) => (progress = p));
    const last = outcome.status === 'ok' ? outcome.result : progress;
    if (last) {
      row.adds += last.adds;
      row.removes += last.removes;
      row.rounds += last.roundsDone;
      row.maxLive = Math.max(row.maxLive, last.maxLive);
      row.selfCheckSample = Number.isFinite(last.selfCheckSample) ? last.selfCheckSample : 'all';
      row.scoreTolerance = last.scoreTolerance;
      recallSum += last.recallAt10 * last.queries;
      queries += last.queries;
      seconds += last.seconds;
      reported++;
    }
    if (outcome.status === 'hung') {
      row.hung.push({ seed, roundsDone: progress?.roundsDone ?? 0 });
      log(
        `churn ${candidate} seed ${seed}: HUNG (no answer within ${opts.churn.watchdogSeconds} s, killed; ${progress?.roundsDone ?? 0} rounds done)`,
      );
    } else if (outcome.status === 'died') {
      row.failed.push({ seed, round: progress?.roundsDone ?? 0, check: 'crash', message: outcome.error });
      log(`churn ${candidate} seed ${seed}: CRASHED ${outcome.error}`);
    } else if (outcome.result.passed) {
      row.passed++;
      log(
        `churn ${candidate} seed ${seed}: passed (${outcome.result.adds} adds, ${outcome.result.removes} removes, max live ${outcome.result.maxLive}, ${outcome.result.seconds.toFixed(1)} s)`,
      );
    } else {
      const f = outcome.result.failure!;
      row.failed.push({ seed, round: f.round, check: f.check, message: f.message.split('\n')[0] });
      log(`churn ${candidate} seed ${seed}: FAILED round ${f.round} ${f.check}: ${f.message.split('\n')[0]}`);
    }
  }
  row.recallAt10 = queries > 0 ? recallSum / queries : 0;
  row.secondsPerSeed = reported > 0 ? seconds / reported : 0;
  return row;
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface BuildRequest {
  kind: 'build';
  candidate: CandidateId;
  size: number;
  appended: number;
  dimension: number;
  dataPath: string;
  queries: number[];
  truth: number[][];
  truthAppended: number[][];
  dir: string;
}

interface ChurnRequest {
  kind: 'churn';
  candidate: CandidateId;
  seed: number;
  dimension: number;
  rounds: number;
  maxBatch: number;
  queriesPerRound: number;
}

type ChurnProgress = ChurnResult & { selfCheckSample: number; scoreTolerance: number };

type ChildOutcome<T> = { status: 'ok'; result: T } | { status: 'hung'; error: string } | { status: 'died'; error: string };

/**
 * Forks this file as a child for one request. The child sends `{ progress }` messages while it
 * works and `{ result }` at the end. No result within `watchdogSeconds`: SIGKILL (a thread spinning
 * in native code ignores anything gentler) and report "hung".
 */
function runChild<T>(request: BuildRequest | ChurnRequest, watchdogSeconds: number, onProgress?: (p: T) => void): Promise<ChildOutcome<T>> {
  return new Promise((resolve) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child'], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      env: { ...process.env, LANCE_LOG: process.env.LANCE_LOG ?? 'error' },
    });
    let result: T | undefined;
    let hung = false;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const watchdog = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, watchdogSeconds * 1000);
    child.on('message', (message: { progress?: T; result?: T }) => {
      if (message.progress) onProgress?.(message.progress);
      if (message.result) result = message.result;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (result !== undefined) resolve({ status: 'ok', result });
      else if (hung) resolve({ status: 'hung', error: `killed after ${watchdogSeconds} s` });
      else resolve({ status: 'died', error: `exit code ${code}, signal ${signal}: ${lastLines(stderr)}` });
    });
    child.send(request);
  });
}

async function childBuild(req: BuildRequest): Promise<BuildRow> {
  const dim = req.dimension;
  const all = readVectorFile(req.dataPath, (req.size + req.appended) * dim);
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  mkdirSync(req.dir, { recursive: true });
  gc();
  const before = process.memoryUsage();

  const candidate = await openCandidate(req.candidate, dim, req.size, req.dir);
  const probe = startStallProbe();
  const start = performance.now();
  await addInChunks(candidate, all, dim, 0, req.size);
  await candidate.finishBuild();
  const buildSeconds = (performance.now() - start) / 1000;
  const maxStallMs = probe.stop();
  gc();
  await turn();
  gc();
  const after = process.memoryUsage();
  const estimate = candidate.memoryEstimate();
  const diskBytes = req.candidate === 'lancedb' ? directoryBytes(req.dir) : undefined;

  const queries = Float32Array.from(req.queries);
  const { recallAt10, queriesPerSecond } = await measureSearch(candidate, queries, dim, req.truth, 2000);

  await addInChunks(candidate, all, dim, req.size, req.size + req.appended);
  const appendedRecall = await measureSearch(candidate, queries, dim, req.truthAppended, 0);
  let top1 = 0;
  const probes = Math.min(200, req.appended);
  for (let i = 0; i < probes; i++) {
    const label = req.size + Math.floor((i * req.appended) / probes);
    const found = await candidate.search(rowOf(all, dim, label), 1);
    if (found.labels[0] === label) top1++;
  }

  return {
    candidate: req.candidate,
    name: candidate.name,
    async: candidate.async,
    buildSeconds,
    buildPerSecond: req.size / buildSeconds,
    maxStallMs,
    recallAt10,
    queriesPerSecond,
    rssBytesPerVector: (after.rss - before.rss) / req.size,
    heapBytesPerVector: (after.heapUsed - before.heapUsed) / req.size,
    estimatedBytesPerVector: estimate === undefined ? null : estimate / req.size,
    diskBytesPerVector: diskBytes === undefined ? null : diskBytes / req.size,
    appended: req.appended,
    appendedRecallAt10: appendedRecall.recallAt10,
    appendedSelfTop1: top1 / probes,
  };
}

/** Adds rows [from, to) in chunks of 512 labels, giving the event loop a turn between chunks. */
async function addInChunks(
  candidate: Awaited<ReturnType<typeof openCandidate>>,
  all: Float32Array,
  dim: number,
  from: number,
  to: number,
): Promise<void> {
  for (let at = from; at < to; at += CHUNK) {
    const end = Math.min(to, at + CHUNK);
    await candidate.add(range(at, end), rowsOf(all, dim, at, end));
    await turn();
  }
}

async function measureSearch(
  candidate: Awaited<ReturnType<typeof openCandidate>>,
  queries: Float32Array,
  dim: number,
  truth: number[][],
  minMs: number,
): Promise<{ recallAt10: number; queriesPerSecond: number }> {
  let hits = 0;
  for (let q = 0; q < truth.length; q++) {
    const found = new Set((await candidate.search(rowOf(queries, dim, q), K)).labels);
    for (const label of truth[q]) if (found.has(label)) hits++;
  }
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (let q = 0; q < truth.length; q++) await candidate.search(rowOf(queries, dim, q), K);
    done += truth.length;
  }
  return { recallAt10: hits / (truth.length * K), queriesPerSecond: done / ((performance.now() - start) / 1000) };
}

async function childChurn(req: ChurnRequest): Promise<ChurnProgress> {
  const dir = mkdtempSync(join(tmpdir(), `ecomalign-churn-${req.candidate}-`));
  try {
    const candidate = await openCandidate(req.candidate, req.dimension, 1024, dir);
    const extra = { selfCheckSample: candidate.selfCheckSample, scoreTolerance: candidate.scoreTolerance };
    const result = await runChurn(candidate, {
      seed: req.seed,
      rounds: req.rounds,
      dimension: req.dimension,
      maxBatch: req.maxBatch,
      queriesPerRound: req.queriesPerRound,
      scoreTolerance: candidate.scoreTolerance,
      selfCheckSample: candidate.selfCheckSample,
      onRound: (progress) => process.send!({ progress: { ...progress, ...extra } }),
    });
    return { ...result, ...extra };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function directoryBytes(path: string): number {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ');
}

function formatBuild(r: BuildRow): string {
  return [
    `${r.candidate.padEnd(12)} build ${r.buildPerSecond.toFixed(0).padStart(7)}/s (${r.buildSeconds.toFixed(1)} s)`,
    `stall ${r.maxStallMs.toFixed(1)} ms`,
    `recall@10 ${r.recallAt10.toFixed(4)}`,
    `${r.queriesPerSecond.toFixed(0).padStart(6)} q/s`,
    `${r.rssBytesPerVector.toFixed(0)} B/vec RSS (heap ${r.heapBytesPerVector.toFixed(0)})`,
    `appended: recall ${r.appendedRecallAt10.toFixed(4)}, self top-1 ${(r.appendedSelfTop1 * 100).toFixed(0)} %`,
  ].join(' | ');
}

/** Writes bench/results/ann-choice.{json,md}; returns the markdown path. */
export function writeAnnChoiceReport(result: AnnChoiceResult, meta: RunMeta): string[] {
  return writeResult('ann-choice', { meta, result }, renderAnnChoice(meta, result));
}

/** Sizes: the default run and the cheap --quick one (≈ 3 minutes on 2 cores). */
export function annChoiceOptions(quick: boolean, log: (line: string) => void): AnnChoiceOptions {
  return {
    size: quick ? 20_000 : 100_000,
    queries: 200,
    dimension: 384,
    seed: 42,
    // ≈ 300 adds per round against ≈ 700–1,400 live: 30 rounds add ≈ 9,000 labels per seed, so
    // slots are freed and reused many times over. 12 seeds keep the default run near 20 minutes
    // on 2 cores (a seed takes 2–35 s per candidate; LanceDB and hnswlib are the slow ones). The
    // watchdog allows hnswlib's slowest seed ≈ 3× under the load of a shared machine; a native
    // hang (usearch 2.25.3) never ends, so a generous limit still tells the two apart.
    churn: quick
      ? { seeds: 3, rounds: 15, maxBatch: 600, queriesPerRound: 10, watchdogSeconds: 60 }
      : { seeds: 12, rounds: 30, maxBatch: 600, queriesPerRound: 10, watchdogSeconds: 120 },
    log,
  };
}

if (isMain(import.meta.url) && process.argv.includes('--child')) {
  process.once('disconnect', () => process.exit(1)); // the parent is gone: stop working
  process.once('message', (request: BuildRequest | ChurnRequest) => {
    const work = request.kind === 'build' ? childBuild(request) : childChurn(request);
    work.then(
      (result) => process.send!({ result }, () => process.exit(0)),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
