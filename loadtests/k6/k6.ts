import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, startServerProcess } from '../../support/server-process.js';

/**
 * What the Node drivers of k6 share (`npm run k6`, `npm run loadtest`): the k6 binary (built once
 * by install.sh), a target to aim it at (the real server on loopback, or BASE_URL), and one k6 run
 * read back from its summary export.
 */

export const LOADTESTS = fileURLToPath(new URL('../', import.meta.url));
const INSTALL = fileURLToPath(new URL('./install.sh', import.meta.url));

/** The k6 binary's path, building it first when it is not cached. Throws, saying why, when it cannot be had. */
export function k6Binary(): string {
  const res = spawnSync('bash', [INSTALL], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const path = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !path) throw new Error(`k6 could not be installed (loadtests/k6/install.sh exited ${res.status})`);
  return path;
}

export function k6Version(k6: string): string {
  return spawnSync(k6, ['version'], { encoding: 'utf8' }).stdout.trim().split('\n')[0];
}

export interface Target {
  url: string;
  apiKey?: string;
  /** What the service runs on, for the report ("embedder lexical", or "BASE_URL"). */
  description: string;
  /** Peak resident memory of the server so far (only for a server started here). */
  peakRssBytes(): number | undefined;
  stop(): Promise<void>;
}

const API_KEY = 'loadtest-key-0123456789';

/**
 * BASE_URL when set (API_KEY from the environment too); otherwise the real server (`ecomalign
 * serve`) on a free loopback port, with the sample catalog ingested into a temporary data dir.
 */
export async function startTarget(embedder: string): Promise<Target> {
  if (process.env.BASE_URL) {
    return {
      url: process.env.BASE_URL.replace(/\/$/, ''),
      apiKey: process.env.API_KEY,
      description: `BASE_URL ${process.env.BASE_URL}`,
      peakRssBytes: () => undefined,
      stop: async () => {},
    };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'ecomalign-k6-'));
  const env = { EMBEDDER: embedder, DATA_DIR: dataDir, LOG_LEVEL: 'warn', SNAPSHOT_INTERVAL_S: '0', API_KEY };
  try {
    process.stderr.write(`k6: ingesting the sample catalog with EMBEDDER=${embedder}\n`);
    runCli(['ingest', fileURLToPath(new URL('../../data/sample/catalog.jsonl', import.meta.url))], env);
    const server = await startServerProcess(env, 180_000);
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, server.memory().peakRssBytes ?? 0)), 500);
    return {
      url: server.url,
      apiKey: API_KEY,
      description: `\`ecomalign serve\` on loopback, EMBEDDER=${embedder}, sample catalog`,
      peakRssBytes: () => Math.max(peak, server.memory().peakRssBytes ?? 0) || undefined,
      async stop() {
        clearInterval(sampler);
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** One metric of k6's summary export: trend stats, a rate's value, a counter's count, thresholds passed or not. */
export interface ExportedMetric {
  avg?: number;
  min?: number;
  med?: number;
  max?: number;
  'p(90)'?: number;
  'p(95)'?: number;
  'p(99)'?: number;
  count?: number;
  rate?: number;
  value?: number;
  passes?: number;
  fails?: number;
  /** Threshold expression -> whether it was crossed (k6's export says true when it failed). */
  thresholds?: Record<string, boolean>;
}

export interface SummaryExport {
  metrics: Record<string, ExportedMetric>;
}

export interface K6Run {
  exitCode: number;
  summary: SummaryExport;
  wallS: number;
}

/**
 * Runs one k6 script to the end. k6's own output (progress off, the end-of-test summary) goes to
 * this process's stderr, or nowhere when `quiet`; the summary export is read back (k6 writes it only
 * with its summary on). k6 exits 99 when a threshold is crossed.
 */
export async function runK6(k6: string, script: string, env: Record<string, string>, quiet = false): Promise<K6Run> {
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-k6-summary-'));
  const exportFile = join(dir, 'summary.json');
  const args = ['run', '--no-usage-report', '--no-color', '--quiet', '--address', '', '--summary-export', exportFile];
  for (const [key, value] of Object.entries(env)) args.push('-e', `${key}=${value}`);
  args.push(script);
  const started = performance.now();
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(k6, args, { stdio: ['ignore', quiet ? 'ignore' : process.stderr, quiet ? 'ignore' : process.stderr] });
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
    let summary: SummaryExport = { metrics: {} };
    try {
      summary = JSON.parse(readFileSync(exportFile, 'utf8')) as SummaryExport;
    } catch {
      // k6 failed before writing it (a script error): exitCode says so.
    }
    return { exitCode, summary, wallS: (performance.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
