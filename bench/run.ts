/**
 * `npm run bench`: the index benchmark and the service benchmark, written to
 * bench/results/latest.json and bench/results/latest.md.
 *
 *   npm run bench                       # index at 100k and 1M, service with the default load
 *   npm run bench -- --quick            # index at 100k only, shorter load runs
 *   npm run bench -- --only index|service
 *   npm run bench -- --only bulk [--quick]  # bulk alignment (100k scripts, ≥1M intentions); writes results/bulk-latest.*
 *   npm run bench -- --only bulk --embedder minilm  # the same with the shipped model: 20k scripts (≥100k steps)
 *       # against the sample catalog ×13 -> results/bulk-minilm.*
 *   npm run bench -- --only wordnet     # offline embedders on data/eval -> bench/results/wordnet-eval.{json,md}
 *   npm run bench -- --only ann-choice [--quick]  # ANN libraries incl. churn property test -> results/ann-choice.*
 *   npm run bench -- --only search-threads [--quick]  # store search q/s with 0, 1, 2 search workers -> results/search-threads.*
 *   npm run bench -- --only contention [--quick] [--env KEY=VALUE]... [--label NAME]
 *       # /align probe p99 alone vs during a serial 200-product writer, empty and 40k-intention store,
 *       # on the real server (settings via --env) -> results/contention.* (one row per label and size)
 *   npm run bench -- --only ingest [--quick] [--env KEY=VALUE]... [--label NAME]
 *       # ANN add ceiling vs CLI ingest vs POST /products, intentions/s -> results/ingest-rate.*
 *   npm run bench -- --only mixed [--embedder lexical|minilm] [--quick] [--duration S] [--scenarios 0,2] [--env KEY=VALUE]... [--label NAME]
 *       # /align probe beside 1 and 4 /align/batch builders (and a writer), 64-client overload, slow uploads,
 *       # on the real server (issue 21) -> results/mixed.* (one row per label and embedder)
 *   npm run bench -- --only quality [--note TEXT]
 *       # every scoring (aggregation × retrieval) × offline embedder on IntentionQA, plus the candidate
 *       # pool's aggregation recall on data/sample -> results/quality.* (TEXT: a note on the machine's load)
 *   npm run bench -- --only cache  # ingest of IntentionQA with MiniLM: cache off, cold, warm -> results/cache-savings.*
 *   npm run bench -- --only live [--quick]  # /align p50/p99 by embedder, 1 and 5 steps, 1 and 8 clients, RSS -> results/live-lookup.*
 *   npm run bench -- --only embedding [--trial DIR] [--quick]
 *       # texts/s of the shipped model (and of DIR's q8 variant) against sentence-transformers -> results/embedding.*
 *   npm run bench -- --only text-search [--quick]  # BM25 index write/size cost, query time -> results/text-search-cost.*
 *   npm run bench -- --only scoring-latency [--quick]  # /align latency per scoring, 1 and 8 clients -> results/scoring-latency.*
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { runBulkAlignBench } from './service/bulk-align-bench.js';
import { runIndexBench } from './store/index-bench.js';
import { renderReport } from './latest-report.js';
import { runServiceBench } from './service/service-bench.js';
import { runWordnetEval, writeWordnetReport } from './quality/wordnet-eval.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const log = (line: string) => process.stderr.write(`${line}\n`);

// Retrieval quality of every scoring (issue 14) has its own report and runs nothing else.
if (only === 'quality') {
  const { runQuality, writeQualityReport } = await import('./quality/quality.js');
  const note = args.includes('--note') ? args[args.indexOf('--note') + 1] : undefined;
  // The note describes this run's machine, not how to reproduce it: left out of the command.
  const command = `npm run bench -- ${args.filter((a, i) => a !== '--note' && args[i - 1] !== '--note').join(' ')}`;
  const result = await runQuality({ log, command, note });
  log(`wrote ${writeQualityReport(result)}`);
  process.exit(0);
}

// What the embedding cache saves on IntentionQA with MiniLM: its own report, nothing else.
if (only === 'cache') {
  const { runCacheSavings, writeCacheSavingsReport } = await import('./embedding/cache-savings.js');
  log(`wrote ${writeCacheSavingsReport(runCacheSavings({ log, command: `npm run bench -- ${args.join(' ')}` }))}`);
  process.exit(0);
}

// /align latency and server memory by embedder: its own report, nothing else.
if (only === 'live') {
  const { runLiveLookup, writeLiveLookupReport } = await import('./service/live-lookup.js');
  const result = await runLiveLookup({ requests: quick ? 40 : 200, log, command: `npm run bench -- ${args.join(' ')}` });
  log(`wrote ${writeLiveLookupReport(result)}`);
  process.exit(0);
}

// Embedding throughput against sentence-transformers: its own report, nothing else.
if (only === 'embedding') {
  const { runEmbeddingThroughput, writeEmbeddingReport } = await import('./embedding/embedding-throughput.js');
  const trial = args.includes('--trial') ? args[args.indexOf('--trial') + 1] : undefined;
  const result = await runEmbeddingThroughput({ trial, quick, log, command: `npm run bench -- ${args.join(' ')}` });
  log(`wrote ${writeEmbeddingReport(result)}`);
  process.exit(0);
}

// What the BM25 index costs the embedded store (issue 14): its own report, nothing else.
if (only === 'text-search') {
  const { runTextSearchCost, writeTextSearchCostReport } = await import('./store/text-search-cost.js');
  const result = await runTextSearchCost({ products: quick ? 5_000 : 20_000, log, command: `npm run bench -- ${args.join(' ')}` });
  log(`wrote ${writeTextSearchCostReport(result)}`);
  process.exit(0);
}

// POST /align latency of every scoring through the real server (issue 14): its own report.
if (only === 'scoring-latency') {
  const { runScoringLatency, writeScoringLatencyReport } = await import('./service/scoring-latency.js');
  const result = await runScoringLatency({
    copies: quick ? 5 : 20,
    requests: quick ? 60 : 200,
    log,
    command: `npm run bench -- ${args.join(' ')}`,
  });
  log(`wrote ${writeScoringLatencyReport(result)}`);
  process.exit(0);
}

// The ANN-library choice has its own report and runs nothing else.
// Search throughput by search threads has its own report and runs nothing else.
if (only === 'search-threads') {
  const { runSearchThreads, writeSearchThreadsReport } = await import('./store/search-threads.js');
  const result = await runSearchThreads({
    count: quick ? 20_000 : 100_000,
    queries: 200,
    searches: quick ? 3_000 : 20_000,
    concurrency: 8,
    threads: [0, 1, 2],
    log,
  });
  log(`wrote ${writeSearchThreadsReport(result, { date: new Date().toISOString(), command: `npm run bench -- ${args.join(' ')}` })}`);
  process.exit(0);
}

if (only === 'ann-choice') {
  const { annChoiceOptions, runAnnChoice, writeAnnChoiceReport } = await import('./store/ann-choice.js');
  const result = await runAnnChoice(annChoiceOptions(quick, log));
  log(`wrote ${writeAnnChoiceReport(result, { date: new Date().toISOString(), command: `npm run bench -- ${args.join(' ')}` })}`);
  process.exit(0);
}

// The live-server benchmarks (issue 11) have their own reports, one row per --label, and run nothing else.
if (only === 'contention' || only === 'ingest' || only === 'mixed') {
  const { parseVariant } = await import('./harness/variant-args.js');
  const variant = parseVariant(args);
  const command = `npm run bench -- ${args.join(' ')}`;
  if (only === 'mixed') {
    const embedder = args.includes('--embedder') ? args[args.indexOf('--embedder') + 1] : 'lexical';
    if (embedder !== 'lexical' && embedder !== 'minilm')
      throw new Error(`--embedder wants lexical or minilm, got ${JSON.stringify(embedder)}`);
    const { mixedOptions, runMixed, writeMixedReport } = await import('./load/mixed.js');
    const { intArg } = await import('./harness/variant-args.js');
    const duration = args.includes('--duration') ? intArg(args, '--duration', 1) : undefined;
    const options = mixedOptions(quick, embedder, variant, log, duration);
    // Trials of one setting: `--scenarios 0,1,2` runs those scenarios only, without the slow-upload and overload phases.
    if (args.includes('--scenarios')) {
      options.scenarios = args[args.indexOf('--scenarios') + 1].split(',').map(Number);
      options.extras = false;
    }
    const row = await runMixed(options, command);
    log(`wrote ${writeMixedReport(row).join(' and ')}`);
  } else if (only === 'contention') {
    const { contentionOptions, runContention, writeContentionReport } = await import('./load/contention.js');
    const rows = await runContention(contentionOptions(quick, variant, log), command);
    log(`wrote ${writeContentionReport(rows).join(' and ')}`);
  } else {
    const { ingestRateOptions, runIngestRate, writeIngestRateReport } = await import('./load/ingest-rate.js');
    const row = await runIngestRate(ingestRateOptions(quick, variant, log), command);
    log(`wrote ${writeIngestRateReport(row).join(' and ')}`);
  }
  process.exit(0);
}

// The embedder evaluation has its own report; `--only wordnet` runs nothing else.
if (only === undefined || only === 'wordnet') {
  const wordnet = await runWordnetEval({ log });
  const command = `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`;
  log(
    `wrote ${writeWordnetReport(wordnet, { date: new Date().toISOString(), host: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`, command })}`,
  );
  if (only === 'wordnet') process.exit(0);
}

const index =
  only === 'service' || only === 'bulk'
    ? undefined
    : await runIndexBench({
        sizes: quick ? [100_000] : [100_000, 1_000_000],
        queries: 200,
        dimension: 384,
        seed: 42,
        log,
      });
const service =
  only === 'index' || only === 'bulk'
    ? undefined
    : await runServiceBench({ copies: 30, durationSeconds: quick ? 5 : 10, connections: 32, log });
// Bulk alignment ingests ≥1M intentions (minutes): only on request, into its own result files.
// `--embedder minilm`: the shipped model on a smaller catalog (its ingest embeds every distinct intention),
// with scripts enough for ≥ 100k steps; its own result files.
const bulkModel = args.includes('--embedder') && args[args.indexOf('--embedder') + 1] === 'minilm';
const bulk =
  only === 'bulk'
    ? await runBulkAlignBench(
        bulkModel
          ? { copies: 13, scripts: quick ? 2_000 : 20_000, embedder: 'minilm', log }
          : { copies: quick ? 13 : 650, scripts: quick ? 2_000 : 100_000, log },
      )
    : undefined;
const name = only === 'bulk' ? (bulkModel ? 'bulk-minilm' : 'bulk-latest') : 'latest';

const meta = {
  date: new Date().toISOString(),
  host: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
};
const dir = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}${name}.json`, `${JSON.stringify({ meta, index, service, bulk }, null, 2)}\n`);
writeFileSync(`${dir}${name}.md`, renderReport(meta, index, service, bulk));
log(`wrote ${dir}${name}.json and ${dir}${name}.md`);
