import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess, type ServerProcess } from '../../support/server-process.js';

/**
 * The real server (`ecomalign serve` via tsx, a child process on a free port) for the benchmarks
 * that measure it from outside: what users run, with its admission, shedding and worker threads,
 * not an in-process app that shares the benchmark's event loop.
 */

export const BENCH_API_KEY = 'bench-api-key-0123456789';

/** A fresh data directory; remove it with `removeDataDir`. */
export function freshDataDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `ecomalign-${prefix}-`));
}

export function removeDataDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The settings every benchmark server and CLI gets: offline lexical embedder (no model download,
 * same vectors on every machine), warnings only, an API key as in production. `variant` (from
 * `--env`) comes last, so it can override any of them.
 */
export function benchEnv(dataDir: string, variant: Record<string, string> = {}): Record<string, string> {
  return { EMBEDDER: 'lexical', DATA_DIR: dataDir, LOG_LEVEL: 'warn', API_KEY: BENCH_API_KEY, ...variant };
}

export const writeHeaders = { 'content-type': 'application/json', authorization: `Bearer ${BENCH_API_KEY}` };

/** Opening a store of tens of thousands of texts can take a while on a busy 2-core machine. */
export function startLiveServer(env: Record<string, string>): Promise<ServerProcess> {
  return startServerProcess(env, 180_000);
}

/** SIGTERM (the server snapshots its index on close), SIGKILL if it has not exited after 30 s. */
export async function stopLiveServer(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 30_000);
  await server.stop();
  clearTimeout(timer);
}

export interface StoreCounts {
  products?: number;
  intentions?: number;
  titles?: number;
  /** Committed texts still waiting for HNSW (searched by exact scan meanwhile). */
  pendingTexts?: number;
}

/** Counts from /readyz (never shed); fields the server does not report stay undefined. */
export async function storeCounts(url: string): Promise<StoreCounts> {
  const body = (await (await fetch(`${url}/readyz`)).json()) as Record<string, unknown> & { index?: { pendingTexts?: number } };
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    products: num(body.products),
    intentions: num(body.intentions),
    titles: num(body.titles),
    pendingTexts: num(body.index?.pendingTexts),
  };
}

/** Waits until the index backlog is empty (or the server does not report one); the seconds it took. */
export async function waitForBacklog(url: string, timeoutMs = 300_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    const { pendingTexts } = await storeCounts(url);
    if (!pendingTexts) return (performance.now() - started) / 1000;
    if (performance.now() - started > timeoutMs) throw new Error(`index backlog still ${pendingTexts} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
