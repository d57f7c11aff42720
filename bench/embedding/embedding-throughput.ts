/**
 * Embedding throughput of the service's embedder against sentence-transformers itself
 * (`npm run bench -- --only embedding [--trial DIR] [--quick]`).
 *
 * Same short texts (IntentionQA intentions), same batch sizes (1, 8, 32, 128), same thread counts (1, 2), in one
 * run, alternating the runtimes per thread count so the shared machine's noise falls on both: the baseline is
 * sentence-transformers on PyTorch (tools/model/bench_st.py, in the pinned venv of tools/model), the candidate is
 * TransformersEmbedder (transformers.js + onnxruntime-node) on the shipped model and, with --trial, on other
 * variants laid out under DIR the same way (e.g. an int8 export). Texts and word pieces per second, median of 3
 * passes after a warm-up batch.
 *
 * Writes bench/results/embedding.{json,md}.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_MODEL_ID, bundledModelsRoot } from '../../src/embedding/bundled-model.js';
import { TransformersEmbedder, type TransformersDtype } from '../../src/embedding/transformers-embedder.js';
import { readJsonl } from '../../support/eval-sets.js';
import { writeResult } from '../harness/results.js';
import { runMeta, runMetaLines, type RunMeta } from '../harness/run-meta.js';
import { median } from '../lib/latency-stats.js';

export interface ThroughputRow {
  runtime: string;
  threads: number;
  batch: number;
  texts: number;
  textsPerSecond: number;
  piecesPerSecond: number;
}

export interface EmbeddingResult {
  meta: RunMeta;
  texts: { source: string; count: number; meanPieces: number };
  /** Timed passes per cell (the median is reported), and texts per pass (half at batch 1). */
  passes: { reps: number; count: number };
  rows: ThroughputRow[];
  baselineMissing?: string;
}

const BATCHES = [1, 8, 32, 128];
const THREADS = [1, 2];
const VENV_PYTHON = fileURLToPath(new URL('../../tools/model/.venv/bin/python', import.meta.url));
const ST_BENCH = fileURLToPath(new URL('../../tools/model/bench_st.py', import.meta.url));

async function measureNode(
  root: string,
  dtype: TransformersDtype,
  threads: number,
  texts: string[],
  reps: number,
  count: number,
): Promise<Omit<ThroughputRow, 'runtime'>[]> {
  const e = await TransformersEmbedder.load({
    modelId: BUNDLED_MODEL_ID,
    modelDir: root,
    allowRemoteModels: false,
    dtype,
    threads,
    maxBatchSize: 128,
  });
  try {
    const rows = [];
    for (const batch of BATCHES) {
      const n = Math.max(batch, batch === 1 ? count / 2 : count);
      const slice = texts.slice(0, n);
      const pieces = slice.reduce((sum, t) => sum + e.wordPieces(t), 0);
      await e.embed(slice.slice(0, batch));
      const times = [];
      for (let r = 0; r < reps; r++) {
        const t = performance.now();
        for (let i = 0; i < n; i += batch) await e.embed(slice.slice(i, i + batch));
        times.push((performance.now() - t) / 1000);
      }
      const s = median(times);
      rows.push({ threads, batch, texts: n, textsPerSecond: n / s, piecesPerSecond: pieces / s });
    }
    return rows;
  } finally {
    await e.close();
  }
}

function measureSentenceTransformers(textsFile: string, threads: number, reps: number, count: number): Omit<ThroughputRow, 'runtime'>[] {
  const res = spawnSync(
    VENV_PYTHON,
    [
      ST_BENCH,
      '--texts',
      textsFile,
      '--threads',
      String(threads),
      '--batch-sizes',
      BATCHES.join(','),
      '--reps',
      String(reps),
      '--count',
      String(count),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (res.status !== 0) throw new Error(`bench_st.py failed (${res.status}): ${res.stderr.slice(-2000)}`);
  const out = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as { rows: Omit<ThroughputRow, 'runtime' | 'threads'>[] };
  return out.rows.map((r) => ({ ...r, threads }));
}

export async function runEmbeddingThroughput(opts: {
  trial?: string;
  quick: boolean;
  log: (line: string) => void;
  command: string;
}): Promise<EmbeddingResult> {
  const meta = runMeta(opts.command);
  const texts = readJsonl<{ intentions: string[] }>('data/intentionqa/catalog.jsonl')
    .flatMap((p) => p.intentions)
    .slice(0, 512);
  const textsFile = join(tmpdir(), `ecomalign-embedding-texts-${process.pid}.json`);
  writeFileSync(textsFile, JSON.stringify(texts));
  const reps = opts.quick ? 1 : 3;
  const count = opts.quick ? 128 : 256;
  const variants: { runtime: string; root: string; dtype: TransformersDtype }[] = [
    { runtime: 'ecomalign fp32 (shipped)', root: bundledModelsRoot(), dtype: 'fp32' },
  ];
  if (opts.trial) variants.push({ runtime: `ecomalign q8 (trial: ${opts.trial})`, root: opts.trial, dtype: 'q8' });
  const baselineMissing = existsSync(VENV_PYTHON)
    ? undefined
    : 'tools/model/.venv is missing (run tools/model/setup.sh): no sentence-transformers baseline in this run';
  if (baselineMissing) opts.log(baselineMissing);

  const rows: ThroughputRow[] = [];
  for (const threads of THREADS) {
    if (!baselineMissing) {
      for (const r of measureSentenceTransformers(textsFile, threads, reps, count)) rows.push({ runtime: 'sentence-transformers', ...r });
      opts.log(`sentence-transformers, ${threads} thread(s) done`);
    }
    for (const v of variants) {
      for (const r of await measureNode(v.root, v.dtype, threads, texts, reps, count)) rows.push({ runtime: v.runtime, ...r });
      opts.log(`${v.runtime}, ${threads} thread(s) done`);
    }
  }
  const probe = await TransformersEmbedder.load({ modelId: BUNDLED_MODEL_ID, modelDir: bundledModelsRoot(), allowRemoteModels: false });
  const meanPieces = texts.reduce((s, t) => s + probe.wordPieces(t), 0) / texts.length;
  await probe.close();
  return {
    meta,
    texts: { source: 'the first 512 intentions of data/intentionqa/catalog.jsonl', count: texts.length, meanPieces },
    passes: { reps, count },
    rows,
    ...(baselineMissing ? { baselineMissing } : {}),
  };
}

export function renderEmbeddingReport(r: EmbeddingResult): string {
  const base = (threads: number, batch: number) =>
    r.rows.find((x) => x.runtime === 'sentence-transformers' && x.threads === threads && x.batch === batch);
  const lines = [
    '# Embedding throughput: the service against sentence-transformers',
    '',
    runMetaLines(r.meta),
    '- the baseline needs tools/model/setup.sh',
    `- texts: ${r.texts.source} (${r.texts.count}; ${r.texts.meanPieces.toFixed(1)} word pieces on average, [CLS] and [SEP] included)`,
    `- each cell: texts per second (word pieces per second), median of ${r.passes.reps} pass(es) over ${r.passes.count} texts (${r.passes.count / 2} at batch 1) after a warm-up batch; the ratio is against sentence-transformers at the same batch size and threads, measured in the same run`,
    ...(r.baselineMissing ? [`- **${r.baselineMissing}**`] : []),
    '',
    `| runtime | threads | ${BATCHES.map((b) => `batch ${b}`).join(' | ')} |`,
    `| --- | ---: |${BATCHES.map(() => ' ---: |').join('')}`,
  ];
  const runtimes = [...new Set(r.rows.map((x) => x.runtime))];
  for (const threads of THREADS) {
    for (const runtime of runtimes) {
      const cells = BATCHES.map((batch) => {
        const x = r.rows.find((y) => y.runtime === runtime && y.threads === threads && y.batch === batch);
        if (!x) return '—';
        const b = base(threads, batch);
        const ratio = b && runtime !== 'sentence-transformers' ? ` **${(x.textsPerSecond / b.textsPerSecond).toFixed(2)}×**` : '';
        return `${x.textsPerSecond.toFixed(0)} (${(x.piecesPerSecond / 1000).toFixed(1)}k)${ratio}`;
      });
      lines.push(`| ${runtime} | ${threads} | ${cells.join(' | ')} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function writeEmbeddingReport(r: EmbeddingResult): string[] {
  return writeResult('embedding', r, renderEmbeddingReport(r));
}
