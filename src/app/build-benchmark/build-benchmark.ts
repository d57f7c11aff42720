import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { completeScoring, type Scoring } from '../../align/scoring/scoring.js';
import { scriptSchema, type ScriptRecord } from '../../align/script-schema.js';
import { CSV_HEADERS, t1CsvRow, t2CsvRow, t3CsvRow } from '../../annotation/annotation-csv.js';
import type { Embedder } from '../../core/embedder.js';
import type { VectorStore } from '../../core/vector-store.js';
import { BenchmarkBuilder, type BuildOptions } from '../../evalset/builder.js';
import { CandidateSearch } from '../../evalset/candidate-search.js';
import { CategoryIndex } from '../../evalset/category-index.js';
import { DonorReservoir } from '../../evalset/donor-steps.js';
import { BenchmarkStats } from '../../evalset/stats.js';
import { parseLine, readLines } from '../../util/jsonl.js';
import { Progress, type ProgressSink } from '../../util/progress.js';
import { DistinctScripts } from './distinct-scripts.js';
import { PartialFile } from './partial-file.js';
import { LineBatches } from '../shared/line-batches.js';

export interface BuildBenchmarkOptions extends BuildOptions, ProgressSink {
  scripts: string;
  outDir: string;
  /** Ranks searched beyond k for hard negatives just below the threshold. */
  hardPool: number;
  /** How candidates are found and scored, as `align` takes it (default: max, semantic); never rank fusion. */
  scoring?: Partial<Scoring>;
  batchSize: number;
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

const TASKS = ['t1', 't2', 't3'] as const;
type Task = (typeof TASKS)[number];

/** Each task's two outputs: the records (JSONL) and their annotation spreadsheet (CSV). */
interface TaskFiles {
  jsonl: PartialFile;
  csv: PartialFile;
}

/**
 * The `build-benchmark` use case: scripts JSONL in, T1/T2/T3 JSONL + annotation CSVs + stats.json
 * out. Two streaming passes over the scripts (the first only fills the donor-step reservoir for T1
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
  const donors = await fillDonors(options.scripts, options.seed);
  const index = await indexCatalog(store, options);

  const files = openTaskFiles(options.outDir);
  const records = { t1: 0, t2: 0, t3: 0 };
  const write =
    <R>(task: Task, csvRow: (r: R) => string) =>
    (r: R) => {
      records[task]++;
      files[task].jsonl.write(`${JSON.stringify(r)}\n`);
      files[task].csv.write(csvRow(r));
    };
  const stats = new BenchmarkStats(index);
  const builder = new BenchmarkBuilder(
    search,
    index,
    donors,
    options,
    { t1: write('t1', t1CsvRow), t2: write('t2', t2CsvRow), t3: write('t3', t3CsvRow) },
    stats,
  );

  const progress = Progress.overFile('build-benchmark', options.scripts, 'scripts', options);
  const distinct = new DistinctScripts();
  let steps = 0;
  const batches = new LineBatches<ScriptRecord>(options.batchSize, progress, async (batch) => {
    await builder.addBatch(batch);
    steps += batch.reduce((n, s) => n + s.steps.length, 0);
  });
  try {
    for await (const line of readLines(options.scripts)) {
      batches.read(line.bytes);
      stats.input.lines++;
      const parsed = parseLine(scriptSchema, line);
      if (!parsed.ok) {
        stats.input.badLines++;
        options.stderr.write(`skipped ${parsed.error}\n`);
        continue;
      }
      const script = parsed.value;
      const repeat = distinct.repeat(script);
      if (repeat === 'id') {
        stats.input.duplicateIds++;
        options.stderr.write(`skipped line ${line.lineNo}: duplicate script id ${JSON.stringify(script.id)}\n`);
        continue;
      }
      if (repeat === 'content') {
        stats.input.duplicateContent++;
        options.stderr.write(
          `skipped line ${line.lineNo}: script ${JSON.stringify(script.id)} repeats the objective and steps of an earlier script\n`,
        );
        continue;
      }
      stats.input.scripts++;
      await batches.add(script);
    }
    await batches.flush();
  } finally {
    progress.finish();
    for (const f of everyFile(files)) f.close();
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
  const statsFile = new PartialFile(join(options.outDir, 'stats.json'));
  statsFile.write(`${JSON.stringify(stats.toJSON(parameters), null, 2)}\n`);
  statsFile.close();
  // stats.json last: its presence says the build finished.
  for (const f of everyFile(files)) f.commit();
  statsFile.commit();
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

/** The first pass over the scripts: every valid one offers its steps to the T1 donor reservoir. */
async function fillDonors(scripts: string, seed: number): Promise<DonorReservoir> {
  const donors = new DonorReservoir(seed);
  for await (const line of readLines(scripts)) {
    const parsed = parseLine(scriptSchema, line);
    if (parsed.ok) donors.add(parsed.value);
  }
  return donors;
}

/** The pass over the catalog: products by category, for T2's category negatives. */
async function indexCatalog(store: VectorStore, sink: ProgressSink): Promise<CategoryIndex> {
  const progress = new Progress({
    label: 'catalog index',
    itemName: 'products',
    stream: sink.stderr,
    plainIntervalMs: sink.plainIntervalMs,
  });
  let indexed = 0;
  const index = await CategoryIndex.build(store, {
    onPage: (n) => {
      progress.update(n - indexed, n - indexed);
      indexed = n;
    },
  });
  progress.finish();
  return index;
}

/** t1/t2/t3 .jsonl and .csv, each CSV started with its header. */
function openTaskFiles(outDir: string): Record<Task, TaskFiles> {
  const open = (task: Task): TaskFiles => {
    const csv = new PartialFile(join(outDir, `${task}.csv`));
    csv.write(CSV_HEADERS[task]);
    return { jsonl: new PartialFile(join(outDir, `${task}.jsonl`)), csv };
  };
  return { t1: open('t1'), t2: open('t2'), t3: open('t3') };
}

function everyFile(files: Record<Task, TaskFiles>): PartialFile[] {
  return TASKS.flatMap((task) => [files[task].jsonl, files[task].csv]);
}
