#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { closeOnSignals, startServer } from '../http/server.js';
import { startStallWatchdog } from '../util/stall-watchdog.js';
import { createServices, type Services } from '../services.js';
import { VERSION } from '../version.js';
import { alignFile } from './align-command.js';
import { startAnnotation } from './annotate-command.js';
import { buildBenchmark } from './build-benchmark-command.js';
import { calibrate, LabelsFileError } from './calibrate-command.js';
import { ingestFile, StrictIngestError } from './ingest-command.js';
import { migrateCommand } from './migrate-command.js';

const USAGE = `ecomalign ${VERSION}: align script steps to products through purchase intentions

Usage:
  ecomalign ingest FILE.jsonl [--strict] [--batch-size N]      load products (one JSON object per line)
  ecomalign align SCRIPTS.jsonl --out OUT.jsonl [options]      bulk-align scripts, resumable
      --k N (default 5)  --threshold T  --match intentions|titles|both
      --categories a,b  --batch-size N (default 64)  --strict
  ecomalign build-benchmark --scripts S.jsonl --out DIR [options]
                                                               T1/T2/T3 candidate sets, CSVs, stats.json
      --k N (default 5)  --threshold T  --negatives-per-positive N (default 2)
      --hard-fraction F (default 0.5)  --hard-margin M (default 0.15)  --hard-pool N (default 20)
      --t3-products-per-step N (default 1)  --seed N (default 1)  --batch-size N (default 64)
  ecomalign calibrate --labels LABELS.jsonl [--out DIR] [--min-precision P] [--k N]
                                                               threshold sweep report from labelled pairs (JSONL or CSV)
  ecomalign annotate --set DIR [--port 8090] [--host 127.0.0.1] [--votes 5] [--gold-rate 0.05]
                                                               labelling page and API for a build-benchmark set
  ecomalign migrate --from embedded --to qdrant [--batch-size N (default 256)] [--restart]
                                                               copy the store with its vectors to Qdrant, resumable
  ecomalign serve                                              run the HTTP server
  ecomalign demo                                               ingest the sample catalog and serve it

Common options: --data-dir DIR (DATA_DIR), --embedder minilm|wordnet|lexical (EMBEDDER)
Configuration comes from the environment (PORT, HOST, DATA_DIR, EMBEDDER, MODEL_DIR, API_KEY, LOG_LEVEL, ...).`;

class UsageError extends Error {}

const OPTIONS = {
  'data-dir': { type: 'string' },
  embedder: { type: 'string' },
  strict: { type: 'boolean', default: false },
  'batch-size': { type: 'string' },
  out: { type: 'string' },
  k: { type: 'string' },
  threshold: { type: 'string' },
  match: { type: 'string' },
  categories: { type: 'string' },
  port: { type: 'string' },
  scripts: { type: 'string' },
  seed: { type: 'string' },
  'negatives-per-positive': { type: 'string' },
  'hard-fraction': { type: 'string' },
  'hard-margin': { type: 'string' },
  'hard-pool': { type: 'string' },
  't3-products-per-step': { type: 'string' },
  labels: { type: 'string' },
  'min-precision': { type: 'string' },
  set: { type: 'string' },
  host: { type: 'string' },
  votes: { type: 'string' },
  'gold-rate': { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  restart: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} satisfies ParseArgsConfig['options'];

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.version) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  try {
    const overrides: Record<string, string | undefined> = {
      DATA_DIR: values['data-dir'],
      EMBEDDER: values.embedder,
      PORT: values.port,
    };
    if (command === 'demo') {
      overrides.DATA_DIR ??= process.env.DATA_DIR ?? '.data/demo';
      overrides.PORT ??= process.env.PORT ?? '8080';
    }
    const config = loadConfig(process.env, overrides);
    switch (command) {
      case 'ingest':
        return await ingest(config, requireFile(rest[0], 'ingest needs a FILE.jsonl'), values);
      case 'align':
        return await align(config, requireFile(rest[0], 'align needs a SCRIPTS.jsonl'), values);
      case 'build-benchmark':
        return await buildBenchmarkCommand(config, values);
      case 'calibrate':
        return await calibrateCommand(config, values);
      case 'migrate':
        return await migrate(config, values);
      case 'annotate':
        return await annotate(config, values);
      case 'serve':
        return await serve(config);
      case 'demo':
        return await demo(config);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`error: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof ConfigError || err instanceof StrictIngestError || err instanceof LabelsFileError) {
      process.stderr.write(`${err.message}\n`);
      return err instanceof ConfigError ? 2 : 1;
    }
    process.stderr.write(`error: ${(err as Error).message}\n`);
    return 1;
  }
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

function cliLogger(config: Config) {
  return pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
}

async function ingest(config: Config, file: string, values: Values): Promise<number> {
  const services = await createServices(config, cliLogger(config));
  try {
    const summary = await ingestFile(services.catalog, {
      file,
      strict: Boolean(values.strict),
      batchSize: intOption(values['batch-size'], 'batch-size', 256, 1, 1000),
      stderr: process.stderr,
    });
    const stats = await services.store.stats();
    process.stdout.write(`${JSON.stringify({ ...summary, model: services.embedder.id, store: stats })}\n`);
    return 0;
  } finally {
    await services.close();
  }
}

async function align(config: Config, scripts: string, values: Values): Promise<number> {
  if (!values.out) throw new UsageError('align needs --out OUT.jsonl');
  const match = values.match ?? 'intentions';
  if (match !== 'intentions' && match !== 'titles' && match !== 'both') throw new UsageError('--match must be intentions, titles or both');
  const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
  if (threshold !== undefined && !(threshold >= -1 && threshold <= 1)) throw new UsageError('--threshold must be a number in [-1, 1]');
  const categories = values.categories?.split(',').map((c) => c.trim()).filter(Boolean);
  const services = await createServices(config, cliLogger(config));
  try {
    const summary = await alignFile(services.aligner, {
      scripts,
      out: values.out,
      align: {
        k: intOption(values.k, 'k', 5, 1, 100),
        threshold,
        match,
        filter: categories?.length ? { categories } : undefined,
      },
      batchSize: intOption(values['batch-size'], 'batch-size', 64, 1, 4096),
      strict: Boolean(values.strict),
      stderr: process.stderr,
    });
    process.stdout.write(`${JSON.stringify({ ...summary, model: services.embedder.id })}\n`);
    return 0;
  } finally {
    await services.close();
  }
}

async function migrate(config: Config, values: Values): Promise<number> {
  if (values.from !== 'embedded' || values.to !== 'qdrant') throw new UsageError('migrate needs --from embedded --to qdrant');
  if (!config.qdrant.url) throw new UsageError('migrate --to qdrant needs QDRANT_URL (and QDRANT_COLLECTION, QDRANT_API_KEY as needed)');
  const summary = await migrateCommand(config, {
    from: values.from,
    to: values.to,
    batchSize: intOption(values['batch-size'], 'batch-size', 256, 1, 1000),
    restart: Boolean(values.restart),
    stderr: process.stderr,
    logger: cliLogger(config),
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return 0;
}

async function serve(config: Config, preloaded?: Services): Promise<number> {
  // Started before anything that could block: a stuck native call ends the process instead of hanging it.
  if (config.eventLoopStallExitMs > 0) startStallWatchdog(config.eventLoopStallExitMs);
  const server = await startServer(config, async (log) => preloaded ?? createServices(config, log));
  closeOnSignals(server, config.shutdownTimeoutMs);
  try {
    await server.ready;
  } catch (err) {
    // No usable model or store: refuse to run rather than serve 503s forever.
    server.app.log.fatal({ err }, 'start-up failed');
    process.stderr.write(`\nstart-up failed: ${(err as Error).message}\n`);
    await server.close();
    return 1;
  }
  return new Promise<number>(() => {}); // runs until a signal closes it
}

async function demo(config: Config): Promise<number> {
  const catalogFile = fileURLToPath(new URL('../../data/sample/catalog.jsonl', import.meta.url));
  const sample = existsSync(catalogFile) ? catalogFile : fileURLToPath(new URL('../../../data/sample/catalog.jsonl', import.meta.url));
  const services = await createServices(config, cliLogger(config));
  try {
    process.stderr.write(`demo: ingesting ${sample} into ${config.dataDir} with ${services.embedder.id}\n`);
    const summary = await ingestFile(services.catalog, { file: sample, strict: true, batchSize: 256, stderr: process.stderr });
    process.stderr.write(`demo: ${summary.upserted} products embedded, ${summary.unchanged} already current\n`);
  } catch (err) {
    await services.close();
    throw err;
  }
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  process.stderr.write(
    `demo: serving on ${url}  (Swagger UI: ${url}/docs)\n` +
      `try:  curl -s ${url}/align -H 'content-type: application/json' ` +
      `-d '{"objective":"Host a backyard barbecue","steps":["Light the charcoal","Keep the drinks cold"]}'\n`,
  );
  return serve(config, services);
}

async function buildBenchmarkCommand(config: Config, values: Values): Promise<number> {
  if (!values.out) throw new UsageError('build-benchmark needs --out DIR');
  const scripts = requireFile(values.scripts, 'build-benchmark needs --scripts SCRIPTS.jsonl');
  const threshold = numberOption(values.threshold, 'threshold', undefined, -1, 1);
  const options = {
    scripts,
    outDir: values.out,
    k: intOption(values.k, 'k', 5, 1, 100),
    negativesPerPositive: numberOption(values['negatives-per-positive'], 'negatives-per-positive', 2, 0, 100)!,
    hardFraction: numberOption(values['hard-fraction'], 'hard-fraction', 0.5, 0, 1)!,
    hardMargin: numberOption(values['hard-margin'], 'hard-margin', 0.15, 0, 2)!,
    hardPool: intOption(values['hard-pool'], 'hard-pool', 20, 0, 1000),
    t3ProductsPerStep: intOption(values['t3-products-per-step'], 't3-products-per-step', 1, 1, 100),
    seed: intOption(values.seed, 'seed', 1, 0, 2 ** 32 - 1),
    batchSize: intOption(values['batch-size'], 'batch-size', 64, 1, 4096),
    stderr: process.stderr,
  };
  const services = await createServices(config, cliLogger(config));
  try {
    const summary = await buildBenchmark(services.embedder, services.store, { ...options, threshold: threshold ?? services.aligner.defaultThreshold });
    process.stdout.write(`${JSON.stringify({ ...summary, model: services.embedder.id })}\n`);
    return 0;
  } finally {
    await services.close();
  }
}

async function calibrateCommand(config: Config, values: Values): Promise<number> {
  const labels = requireFile(values.labels, 'calibrate needs --labels LABELS.jsonl');
  const minPrecision = numberOption(values['min-precision'], 'min-precision', undefined, 0, 1);
  const perStepK = intOption(values.k, 'k', 50, 1, 100);
  const services = await createServices(config, cliLogger(config));
  try {
    const summary = await calibrate(services.embedder, services.store, { labels, outDir: values.out ?? 'calibration', minPrecision, perStepK, stderr: process.stderr });
    process.stdout.write(`${JSON.stringify({ ...summary, model: services.embedder.id })}\n`);
    return 0;
  } finally {
    await services.close();
  }
}

async function annotate(config: Config, values: Values): Promise<number> {
  if (!values.set) throw new UsageError('annotate needs --set DIR (a directory written by build-benchmark)');
  if (!existsSync(values.set)) throw new UsageError(`directory not found: ${values.set}`);
  const running = await startAnnotation({
    set: values.set,
    host: values.host ?? '127.0.0.1',
    port: intOption(values.port, 'port', 8090, 0, 65535),
    votes: intOption(values.votes, 'votes', 5, 1, 100),
    goldRate: numberOption(values['gold-rate'], 'gold-rate', 0.05, 0, 1)!,
    logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel,
    stderr: process.stderr,
  });
  return new Promise<number>((resolve) => {
    const stop = () => void running.close().then(() => resolve(0), () => resolve(1));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function numberOption(raw: string | undefined, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !(n >= min && n <= max)) throw new UsageError(`--${name} must be a number in [${min}, ${max}]`);
  return n;
}

function requireFile(path: string | undefined, message: string): string {
  if (!path) throw new UsageError(message);
  if (!existsSync(path)) throw new UsageError(`file not found: ${path}`);
  return path;
}

function intOption(raw: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}]`);
  return n;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`fatal: ${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
