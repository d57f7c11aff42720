/**
 * The bench table: `npm run bench -- --only NAME` runs the row NAME; `npm run bench` alone runs
 * the default (the WordNet evaluation, then the index and service benchmarks). Each row imports
 * its bench only when it runs, so a bench's heavy dependencies (the model, LanceDB) load on demand.
 */
import { embedderOf, numberList, positiveInt } from './harness/args.js';
import type { Bench, BenchContext } from './harness/bench-context.js';
import { runMeta } from './harness/run-meta.js';
import { variantOf } from './harness/variant-args.js';

const VARIANT_FLAGS = '[--env KEY=VALUE]... [--label NAME]';

async function runWordnet(ctx: BenchContext): Promise<string[]> {
  const { runWordnetEval, writeWordnetReport } = await import('./quality/wordnet-eval.js');
  const meta = runMeta(ctx.command);
  return writeWordnetReport(await runWordnetEval({ log: ctx.log }), meta);
}

export const BENCHES: Record<string, Bench> = {
  // The default run, also one part at a time.
  index: {
    about: 'ANN index build rate, recall@10, q/s and bytes/vector at 100k (and 1M) -> results/latest.*',
    run: async (ctx) => (await import('./latest.js')).runLatest(ctx, { index: true, service: false }),
  },
  service: {
    about: 'CLI ingest rate, /align req/s and latency over HTTP next to a fastify hello-world -> results/latest.*',
    flags: '[--copies 30] [--duration 10] [--connections 32]',
    run: async (ctx) => (await import('./latest.js')).runLatest(ctx, { index: false, service: true }),
  },
  wordnet: {
    about: 'offline embedders on data/eval -> results/wordnet-eval.*',
    run: runWordnet,
  },
  'index-sweep': {
    about: 'the index benchmark by hand, printed, nothing written (also `npx tsx bench/index-bench.ts`)',
    flags:
      '[--sizes 100000,1000000] [--queries 200] [--seed 42] [--dimension 384] [--candidates hnswlib,usearch-f16,...] [--breadths 128,256] [--json]',
    run: async ({ args, log }) => {
      const { runIndexBench } = await import('./store/index-bench.js');
      const result = await runIndexBench({
        sizes: numberList(args.sizes) ?? [100_000],
        queries: positiveInt(args.queries, 'queries', 200),
        dimension: positiveInt(args.dimension, 'dimension', 384),
        seed: positiveInt(args.seed, 'seed', 42),
        candidates: args.candidates?.split(','),
        breadths: numberList(args.breadths),
        log,
      });
      if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return [];
    },
  },
  bulk: {
    about: 'bulk alignment, 100k scripts against >= 1M intentions (minutes) -> results/bulk-latest.*; with minilm -> results/bulk-minilm.*',
    flags: '[--embedder lexical|minilm] [--copies N] [--scripts N] [--batch-size 256] [--minilm-texts-per-second 600]',
    run: async (ctx) => (await import('./latest.js')).runBulk(ctx),
  },
  // Each of these has its own report and runs nothing else.
  'ann-choice': {
    about: 'ANN libraries, incl. the churn property test -> results/ann-choice.*',
    run: async ({ quick, log, command }) => {
      const { annChoiceOptions, runAnnChoice, writeAnnChoiceReport } = await import('./store/ann-choice.js');
      const meta = runMeta(command);
      return writeAnnChoiceReport(await runAnnChoice(annChoiceOptions(quick, log)), meta);
    },
  },
  'search-threads': {
    about: 'store search q/s with the main thread, 1 and 2 search workers -> results/search-threads.*',
    run: async ({ quick, log, command }) => {
      const { runSearchThreads, writeSearchThreadsReport } = await import('./store/search-threads.js');
      const meta = runMeta(command);
      const result = await runSearchThreads({
        count: quick ? 20_000 : 100_000,
        queries: 200,
        searches: quick ? 3_000 : 20_000,
        concurrency: 8,
        threads: [0, 1, 2],
        log,
      });
      return writeSearchThreadsReport(result, meta);
    },
  },
  'text-search': {
    about: 'what the BM25 index costs: write time, file size, query time -> results/text-search-cost.*',
    run: async ({ quick, log, command }) => {
      const { runTextSearchCost, writeTextSearchCostReport } = await import('./store/text-search-cost.js');
      return writeTextSearchCostReport(await runTextSearchCost({ products: quick ? 5_000 : 20_000, log, command }));
    },
  },
  contention: {
    about:
      '/align probe p99 alone and beside a serial writer, empty and 40k-intention store, real server -> results/contention.* (a row per label and size)',
    flags: VARIANT_FLAGS,
    run: async ({ args, quick, log, command }) => {
      const { contentionOptions, runContention, writeContentionReport } = await import('./load/contention.js');
      return writeContentionReport(await runContention(contentionOptions(quick, variantOf(args), log), command));
    },
  },
  ingest: {
    about: 'intentions/s: ANN add ceiling vs CLI ingest vs POST /products -> results/ingest-rate.* (a row per label and size)',
    flags: VARIANT_FLAGS,
    run: async ({ args, quick, log, command }) => {
      const { ingestRateOptions, runIngestRate, writeIngestRateReport } = await import('./load/ingest-rate.js');
      return writeIngestRateReport(await runIngestRate(ingestRateOptions(quick, variantOf(args), log), command));
    },
  },
  mixed: {
    about:
      '/align probe beside /align/batch builders and a writer, overload, slow uploads, real server -> results/mixed.* (a row per label and embedder)',
    flags: `[--embedder lexical|minilm] [--duration S] [--scenarios 0,2] ${VARIANT_FLAGS}`,
    run: async (ctx) => {
      const { args, quick, log, command } = ctx;
      const { mixedOptions, runMixed, writeMixedReport } = await import('./load/mixed.js');
      const duration = args.duration === undefined ? undefined : positiveInt(args.duration, 'duration', 1);
      const options = mixedOptions(quick, embedderOf(ctx.args), variantOf(args), log, duration);
      // Trials of one setting: `--scenarios 0,1,2` runs those scenarios only, without the slow-upload and overload phases.
      if (args.scenarios !== undefined) {
        options.scenarios = numberList(args.scenarios)!;
        options.extras = false;
      }
      return writeMixedReport(await runMixed(options, command));
    },
  },
  quality: {
    about: 'every scoring x offline embedder on IntentionQA, and the candidate pool recall on data/sample -> results/quality.*',
    flags: "[--note TEXT]   (TEXT: the machine's load during the run; not part of the recorded command)",
    run: async ({ args, log, command }) => {
      const { runQuality, writeQualityReport } = await import('./quality/quality.js');
      return writeQualityReport(await runQuality({ log, command, note: args.note }));
    },
  },
  cache: {
    about: 'ingest of IntentionQA with MiniLM: embedding cache off, cold, warm -> results/cache-savings.*',
    run: async ({ log, command }) => {
      const { runCacheSavings, writeCacheSavingsReport } = await import('./embedding/cache-savings.js');
      return writeCacheSavingsReport(runCacheSavings({ log, command }));
    },
  },
  embedding: {
    about: "texts/s of the shipped model (and of DIR's variant) against sentence-transformers -> results/embedding.*",
    flags: '[--trial DIR]',
    run: async ({ args, quick, log, command }) => {
      const { runEmbeddingThroughput, writeEmbeddingReport } = await import('./embedding/embedding-throughput.js');
      return writeEmbeddingReport(await runEmbeddingThroughput({ trial: args.trial, quick, log, command }));
    },
  },
  lexical: {
    about:
      'texts/s of the offline lexical embedder on short texts (IntentionQA intentions), against a 20,000/s floor -> results/lexical-throughput.*',
    run: async ({ quick, log, command }) => {
      const { runLexicalThroughput, writeLexicalThroughputReport } = await import('./embedding/lexical-throughput.js');
      return writeLexicalThroughputReport(await runLexicalThroughput({ quick, log, command }));
    },
  },
  live: {
    about: '/align p50/p99 by embedder, 1 and 5 steps, 1 and 8 clients, server RSS -> results/live-lookup.*',
    run: async ({ quick, log, command }) => {
      const { runLiveLookup, writeLiveLookupReport } = await import('./service/live-lookup.js');
      return writeLiveLookupReport(await runLiveLookup({ requests: quick ? 40 : 200, log, command }));
    },
  },
  'scoring-latency': {
    about: '/align latency per scoring, 1 and 8 clients, real server -> results/scoring-latency.*',
    run: async ({ quick, log, command }) => {
      const { runScoringLatency, writeScoringLatencyReport } = await import('./service/scoring-latency.js');
      return writeScoringLatencyReport(await runScoringLatency({ copies: quick ? 5 : 20, requests: quick ? 60 : 200, log, command }));
    },
  },
  'response-stall': {
    about:
      'event-loop stall while one big /align/batch answer is sent, ~15 s (also `npx tsx bench/response-stall.ts`) -> results/response-stall.*',
    flags: '[--runs 3]',
    run: async ({ args, log, command }) => {
      const { runResponseStall, writeResponseStallReport } = await import('./service/response-stall.js');
      return writeResponseStallReport(await runResponseStall({ runs: positiveInt(args.runs, 'runs', 3), log, command }));
    },
  },
};

/** `npm run bench` with no --only: the WordNet evaluation, then the index and service benchmarks. */
export async function runDefault(ctx: BenchContext): Promise<string[]> {
  const written = await runWordnet(ctx);
  return [...written, ...(await (await import('./latest.js')).runLatest(ctx, { index: true, service: true }))];
}
