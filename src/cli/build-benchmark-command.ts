import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { completeScoring, type Scoring } from '../align/scoring/scoring.js';
import { scoringOf, scriptSchema, type ScriptRecord } from '../align/script-schema.js';
import { CSV_HEADERS, t1CsvRow, t2CsvRow, t3CsvRow } from '../annotation/annotation-csv.js';
import { BenchmarkBuilder, type BuildOptions } from '../evalset/builder.js';
import { CandidateSearch } from '../evalset/candidate-search.js';
import { CategoryIndex } from '../evalset/category-index.js';
import { DonorReservoir } from '../evalset/donor-steps.js';
import { BenchmarkStats } from '../evalset/stats.js';
import type { Embedder } from '../core/embedder.js';
import type { VectorStore } from '../core/vector-store.js';
import { defineCommand } from './command.js';
import {
  kOption,
  rankFusionProblem,
  scoringOptions,
  scoringProblems,
  scriptBatchSize,
  storeOptions,
  thresholdOption,
} from './common-options.js';
import { parseLine, readLines } from '../util/jsonl.js';
import { existing, numeric, text } from './options.js';
import { Progress } from '../util/progress.js';
import { printSummary } from './with-services.js';

export interface BuildBenchmarkOptions extends BuildOptions {
  scripts: string;
  outDir: string;
  /** Ranks searched beyond k for hard negatives just below the threshold. */
  hardPool: number;
  /** How candidates are found and scored, as `align` takes it (default: max, semantic); never rank fusion. */
  scoring?: Partial<Scoring>;
  batchSize: number;
  stderr: NodeJS.WritableStream;
  plainIntervalMs?: number;
}

export interface BuildBenchmarkSummary {
  outDir: string;
  scripts: number;
  badLines: number;
  records: { t1: number; t2: number; t3: number };
  /** The threshold and the scoring the candidates were found and scored under. */
  threshold: number;
  scoring: Scoring;
  seconds: number;
  stepsPerSecond: number;
}

const OUTPUTS = ['t1.jsonl', 't2.jsonl', 't3.jsonl', 't1.csv', 't2.csv', 't3.csv'] as const;

/**
 * `ecomalign build-benchmark`: scripts JSONL in, T1/T2/T3 JSONL + annotation CSVs + stats.json out.
 * Two streaming passes over the scripts (the first only fills the donor-step reservoir for T1
 * swaps), one over the catalog (the category index), records written as they are made. Files are
 * written under a ".partial" name and renamed at the end, so a crashed build never looks complete.
 * Outputs hold no times and no unordered maps: the same inputs and seed give byte-identical files.
 */
export async function buildBenchmark(
  embedder: Embedder,
  store: VectorStore,
  options: BuildBenchmarkOptions,
): Promise<BuildBenchmarkSummary> {
  const started = performance.now();
  const scoring = completeScoring(options.scoring ?? {});
  const search = new CandidateSearch(embedder, store, {
    k: options.k,
    threshold: options.threshold,
    hardMargin: options.hardMargin,
    hardPool: options.hardPool,
    scoring,
  });
  mkdirSync(options.outDir, { recursive: true });

  const donors = new DonorReservoir(options.seed);
  for await (const line of readLines(options.scripts)) {
    const parsed = parseLine(scriptSchema, line);
    if (parsed.ok) donors.add(parsed.value);
  }

  const indexProgress = new Progress({
    label: 'catalog index',
    itemName: 'products',
    stream: options.stderr,
    plainIntervalMs: options.plainIntervalMs,
  });
  let indexed = 0;
  const index = await CategoryIndex.build(store, {
    onPage: (n) => {
      indexProgress.update(n - indexed, n - indexed);
      indexed = n;
    },
  });
  indexProgress.finish();

  const files = Object.fromEntries(OUTPUTS.map((name) => [name, new BufferedFile(join(options.outDir, name))])) as Record<
    (typeof OUTPUTS)[number],
    BufferedFile
  >;
  files['t1.csv'].write(CSV_HEADERS.t1);
  files['t2.csv'].write(CSV_HEADERS.t2);
  files['t3.csv'].write(CSV_HEADERS.t3);
  const records = { t1: 0, t2: 0, t3: 0 };
  const stats = new BenchmarkStats(index);
  const builder = new BenchmarkBuilder(
    search,
    index,
    donors,
    options,
    {
      t1: (r) => (records.t1++, files['t1.jsonl'].write(`${JSON.stringify(r)}\n`), files['t1.csv'].write(t1CsvRow(r))),
      t2: (r) => (records.t2++, files['t2.jsonl'].write(`${JSON.stringify(r)}\n`), files['t2.csv'].write(t2CsvRow(r))),
      t3: (r) => (records.t3++, files['t3.jsonl'].write(`${JSON.stringify(r)}\n`), files['t3.csv'].write(t3CsvRow(r))),
    },
    stats,
  );

  const progress = Progress.overFile('build-benchmark', options.scripts, 'scripts', options);
  const seenIds = new Set<string>();
  // 16 bytes of sha256 per script: enough to tell contents apart, ~60 bytes each in the set.
  const seenContent = new Set<string>();
  let batch: ScriptRecord[] = [];
  let batchBytes = 0;
  let steps = 0;
  const flush = async () => {
    if (!batch.length) return;
    await builder.addBatch(batch);
    steps += batch.reduce((n, s) => n + s.steps.length, 0);
    progress.update(batchBytes, batch.length);
    batch = [];
    batchBytes = 0;
  };
  try {
    for await (const line of readLines(options.scripts)) {
      batchBytes += line.bytes;
      stats.input.lines++;
      const parsed = parseLine(scriptSchema, line);
      if (!parsed.ok) {
        stats.input.badLines++;
        options.stderr.write(`skipped ${parsed.error}\n`);
        continue;
      }
      const script = parsed.value;
      if (seenIds.has(script.id)) {
        stats.input.duplicateIds++;
        options.stderr.write(`skipped line ${line.lineNo}: duplicate script id ${JSON.stringify(script.id)}\n`);
        continue;
      }
      seenIds.add(script.id);
      const content = createHash('sha256')
        .update(JSON.stringify([script.objective ?? null, script.steps]))
        .digest('base64')
        .slice(0, 22);
      if (seenContent.has(content)) {
        stats.input.duplicateContent++;
        options.stderr.write(
          `skipped line ${line.lineNo}: script ${JSON.stringify(script.id)} repeats the objective and steps of an earlier script\n`,
        );
        continue;
      }
      seenContent.add(content);
      stats.input.scripts++;
      batch.push(script);
      if (batch.length >= options.batchSize) await flush();
    }
    await flush();
  } finally {
    progress.finish();
    for (const f of Object.values(files)) f.close();
  }
  const parameters = {
    k: options.k,
    threshold: options.threshold,
    negativesPerPositive: options.negativesPerPositive,
    hardFraction: options.hardFraction,
    hardMargin: options.hardMargin,
    hardPool: options.hardPool,
    t3ProductsPerStep: options.t3ProductsPerStep,
    seed: options.seed,
    model: embedder.id,
    scoring,
    catalogProducts: index.size,
  };
  writeFileSync(join(options.outDir, 'stats.json.partial'), `${JSON.stringify(stats.toJSON(parameters), null, 2)}\n`);
  for (const f of Object.values(files)) f.commit();
  renameSync(join(options.outDir, 'stats.json.partial'), join(options.outDir, 'stats.json'));
  const seconds = (performance.now() - started) / 1000;
  return {
    outDir: options.outDir,
    scripts: stats.input.scripts,
    badLines: stats.input.badLines,
    records,
    threshold: options.threshold,
    scoring,
    seconds,
    stepsPerSecond: seconds > 0 ? steps / seconds : 0,
  };
}

/** Appends through a 1 MiB buffer with synchronous writes (natural back-pressure), to `<path>.partial` until committed. */
class BufferedFile {
  private readonly fd: number;
  private chunks: string[] = [];
  private pending = 0;
  private closed = false;

  constructor(private readonly path: string) {
    this.fd = openSync(`${path}.partial`, 'w');
  }

  write(text: string): void {
    this.chunks.push(text);
    this.pending += text.length;
    if (this.pending >= 1 << 20) this.flush();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }

  commit(): void {
    this.close();
    renameSync(`${this.path}.partial`, this.path);
  }

  private flush(): void {
    if (!this.chunks.length) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.pending = 0;
  }
}

export const buildBenchmarkCommand = defineCommand({
  name: 'build-benchmark',
  summary: 'T1/T2/T3 candidate sets, CSVs, stats.json',
  options: {
    scripts: existing('scripts, one JSON object per line', 'S.jsonl'),
    out: text('directory the sets, the annotation CSVs and stats.json are written to', 'DIR'),
    k: kOption,
    threshold: thresholdOption,
    'negatives-per-positive': numeric('negatives drawn per positive', z.number().min(0).max(100).default(2)),
    'hard-fraction': numeric(
      'share of the negatives that are hard (scored just below the threshold)',
      z.number().min(0).max(1).default(0.5),
      'F',
    ),
    'hard-margin': numeric('how far below the threshold a hard negative may score', z.number().min(0).max(2).default(0.15), 'M'),
    'hard-pool': numeric('ranks searched beyond k for hard negatives', z.number().int().min(0).max(1000).default(20)),
    't3-products-per-step': numeric('products per step in a T3 set', z.number().int().min(1).max(100).default(1)),
    seed: numeric(
      'seed of every draw: the same inputs and seed give byte-identical files',
      z
        .number()
        .int()
        .min(0)
        .max(2 ** 32 - 1)
        .default(1),
    ),
    ...scoringOptions,
    'batch-size': scriptBatchSize,
    ...storeOptions,
  },
  refine: (o) => [
    ...scoringProblems(o),
    ...rankFusionProblem(o, 'T1/T2/T3 need one: positives are the products at or above it, hard negatives those just below it'),
  ],
  run: (o, context) =>
    printSummary(context, (services) =>
      buildBenchmark(services.embedder, services.store, {
        scripts: o.scripts,
        outDir: o.out,
        k: o.k,
        threshold: o.threshold ?? services.aligner.thresholdFor(scoringOf(o))!,
        scoring: scoringOf(o),
        negativesPerPositive: o['negatives-per-positive'],
        hardFraction: o['hard-fraction'],
        hardMargin: o['hard-margin'],
        hardPool: o['hard-pool'],
        t3ProductsPerStep: o['t3-products-per-step'],
        seed: o.seed,
        batchSize: o['batch-size'],
        stderr: context.stderr,
      }),
    ),
});
