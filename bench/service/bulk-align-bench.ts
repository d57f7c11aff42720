/**
 * Bulk alignment benchmark: the `ecomalign align` path (streaming JSONL in and out, batches of
 * scripts through the Aligner) on generated scripts against the sample catalog scaled to ≥ 1M
 * intentions, offline lexical embedder, run twice over the same scripts: first with an empty
 * embedding cache (every distinct step embedded and stored), then with the cache warm.
 * Ends with an extrapolation to the reference scale with MiniLM, stated as such.
 *
 *   npm run bench -- --only bulk [--copies 650] [--scripts 100000] [--batch-size 256]
 *   npm run bench -- --only bulk --quick        # 13 copies (~20k intentions), 2,000 scripts
 *   npm run bench -- --only bulk --embedder minilm [--quick]   # the shipped model, 13 copies, 20,000 scripts
 *
 * The ingested store is kept in .data/bench-bulk/x<copies> and reused by later runs (ingesting
 * 1M intentions takes several minutes); delete that folder to re-ingest.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { alignFile } from '../../src/app/align-file/align-file.js';
import { createServices } from '../../src/services.js';
import { generatedScripts } from '../lib/generated-scripts.js';
import { writeScaledCatalog } from '../lib/scaled-catalog.js';
import { runCli } from '../../support/server-process.js';

export interface BulkRun {
  name: string;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  cacheHits: number;
  cacheMisses: number;
}

export interface BulkAlignBenchResult {
  /** The embedder of the run: lexical (offline stand-in) or minilm (the shipped model). */
  embedder: string;
  catalog: { copies: number; products: number; intentions: number; ingestSeconds: number | null; annEfConstruction: number };
  scripts: { count: number; steps: number; distinctSteps: number; batchSize: number; k: number };
  runs: BulkRun[];
  extrapolation: {
    scripts: number;
    stepsPerScript: number;
    minilmTextsPerSecond: number;
    basis: string;
    coldHours: number;
    warmHours: number;
  };
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const REFERENCE_SCRIPTS = 605_000;
const REFERENCE_STEPS_PER_SCRIPT = 6;
/**
 * ASSUMPTION, not measured here (no MiniLM weights on this machine): all-MiniLM-L6-v2 as INT8
 * ONNX on a multi-core x86 CPU, batched, embeds ~600 short texts/s (PCSchmidt/inference-optimization-study,
 * "ONNX + INT8 (batch=32)": 602 req/s). Override with `npm run bench -- --only bulk --minilm-texts-per-second N`.
 */
const MINILM_TEXTS_PER_SECOND = 600;

export async function runBulkAlignBench(opts: {
  copies: number;
  scripts: number;
  batchSize?: number;
  k?: number;
  minilmTextsPerSecond?: number;
  embedder?: 'lexical' | 'minilm';
  log?: (line: string) => void;
}): Promise<BulkAlignBenchResult> {
  const embedder = opts.embedder ?? 'lexical';
  const log = opts.log ?? (() => {});
  const batchSize = opts.batchSize ?? 256;
  const k = opts.k ?? 5;
  const efConstruction = 128;
  const dir = join(root, '.data', 'bench-bulk', embedder === 'lexical' ? `x${opts.copies}` : `x${opts.copies}-${embedder}`);
  const dataDir = join(dir, 'data');
  const marker = join(dir, 'ingested.json');
  mkdirSync(dir, { recursive: true });

  // 1. The scaled catalog, ingested once through the CLI and kept for later runs.
  let catalog: { products: number; intentions: number; ingestSeconds: number | null };
  if (existsSync(marker)) {
    catalog = { ...JSON.parse(readFileSync(marker, 'utf8')), ingestSeconds: null };
    log(`reusing the ingested store in ${dir} (${catalog.intentions} intentions)`);
  } else {
    rmSync(dataDir, { recursive: true, force: true });
    const file = join(dir, 'catalog.jsonl');
    const { products, intentions } = await writeScaledCatalog(file, opts.copies);
    log(`ingesting ${products} products / ${intentions} intentions (ANN_EF_CONSTRUCTION=${efConstruction})`);
    const stdout = runCli(['ingest', file], {
      EMBEDDER: embedder,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ANN_EF_CONSTRUCTION: String(efConstruction),
      // The scaled catalog repeats the sample's intentions; the model embeds each distinct one once.
      EMBEDDING_CACHE: embedder === 'minilm' ? 'true' : 'false',
    });
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    rmSync(file);
    catalog = { products, intentions, ingestSeconds: summary.seconds };
    writeFileSync(marker, JSON.stringify({ products, intentions }));
    log(`ingest: ${summary.seconds.toFixed(0)} s, ${Math.round(summary.intentionsPerSecond)} intentions/s`);
  }

  // 2. Generated scripts.
  const scriptsFile = join(dir, `scripts-${opts.scripts}.jsonl`);
  const out = createWriteStream(scriptsFile);
  let steps = 0;
  const distinct = new Set<string>();
  for (const s of generatedScripts(opts.scripts)) {
    steps += s.steps.length;
    for (const step of s.steps) distinct.add(step);
    if (!out.write(`${JSON.stringify(s)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  log(`${opts.scripts} scripts, ${steps} steps, ${distinct.size} distinct step texts`);

  // 3. Cold cache, then warm cache, over the same scripts.
  const cachePath = join(dataDir, 'cache', 'embeddings.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${cachePath}${suffix}`, { force: true });
  const runs: BulkRun[] = [];
  for (const name of ['cold embedding cache', 'warm embedding cache']) {
    const config = loadConfig({
      ...process.env,
      EMBEDDER: embedder,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      EMBEDDING_CACHE: 'true',
      SNAPSHOT_INTERVAL_S: '0',
    });
    const services = await createServices(config, { info: () => {}, warn: (_o, msg) => log(msg) });
    const alignedFile = join(dir, 'aligned.jsonl');
    rmSync(alignedFile, { force: true });
    try {
      const summary = await alignFile(services.aligner, {
        scripts: scriptsFile,
        out: alignedFile,
        align: { k, match: 'intentions' },
        batchSize,
        strict: true,
        stderr: process.stderr,
        plainIntervalMs: 30_000,
      });
      const counters = findCounters(services.embedder);
      runs.push({
        name,
        steps: summary.steps,
        seconds: summary.seconds,
        stepsPerSecond: summary.stepsPerSecond,
        cacheHits: counters.hits,
        cacheMisses: counters.misses,
      });
      log(
        `${name}: ${summary.steps} steps in ${summary.seconds.toFixed(1)} s = ${Math.round(summary.stepsPerSecond)} steps/s (cache hits ${counters.hits}, misses ${counters.misses})`,
      );
    } finally {
      await services.close();
      rmSync(alignedFile, { force: true });
    }
  }

  // 4. Extrapolation (not a measurement): per step, the warm run's cost (search, I/O, lookups)
  // plus, on a cold run, one MiniLM embedding per distinct step: at the rate this run measured when it ran
  // MiniLM (the cold run's extra time over the warm run, per embedded step), else at the assumed rate.
  const warm = runs[1];
  const measuredRate = embedder === 'minilm' ? runs[0].cacheMisses / Math.max(1e-9, runs[0].seconds - warm.seconds) : undefined;
  const textsPerSecond = measuredRate ?? opts.minilmTextsPerSecond ?? MINILM_TEXTS_PER_SECOND;
  const referenceSteps = REFERENCE_SCRIPTS * REFERENCE_STEPS_PER_SCRIPT;
  const searchSecondsPerStep = warm.seconds / warm.steps;
  const distinctShare = distinct.size / steps;
  const coldSeconds = referenceSteps * (searchSecondsPerStep + distinctShare / textsPerSecond);
  return {
    embedder,
    catalog: { copies: opts.copies, ...catalog, annEfConstruction: efConstruction },
    scripts: { count: opts.scripts, steps, distinctSteps: distinct.size, batchSize, k },
    runs,
    extrapolation: {
      scripts: REFERENCE_SCRIPTS,
      stepsPerScript: REFERENCE_STEPS_PER_SCRIPT,
      minilmTextsPerSecond: textsPerSecond,
      basis:
        `EXTRAPOLATED, not measured: ${referenceSteps.toLocaleString('en-US')} steps × (warm-run cost per step ${(searchSecondsPerStep * 1e3).toFixed(3)} ms ` +
        `+ ${(distinctShare * 100).toFixed(0)} % distinct steps × 1/${textsPerSecond.toFixed(0)} s per MiniLM embedding). ` +
        (measuredRate === undefined
          ? 'The MiniLM rate is an assumption (published figure, not run here)'
          : `The MiniLM rate is this run's: ${runs[0].cacheMisses.toLocaleString('en-US')} steps embedded in the cold run's ${(runs[0].seconds - warm.seconds).toFixed(0)} s over the warm run`) +
        '; search cost grows with the catalog beyond this one.',
      coldHours: coldSeconds / 3600,
      warmHours: (referenceSteps * searchSecondsPerStep) / 3600,
    },
  };
}

/** The CachedEmbedder's counters, wherever it sits in the services' decorator chain. */
function findCounters(embedder: unknown): { hits: number; misses: number } {
  let e = embedder as { counters?: { hits: number; misses: number }; inner?: unknown } | undefined;
  for (let depth = 0; e && depth < 8; depth++) {
    if (e.counters) return e.counters;
    e = e.inner as typeof e;
  }
  return { hits: -1, misses: -1 };
}
