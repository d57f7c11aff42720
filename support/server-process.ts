import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

/**
 * The real server as a child process (`ecomalign serve`), for the load runner, the benchmarks, the
 * crash tests and the scripts: what they measure or kill must be the program users run, not an
 * in-process stand-in. The one launcher of child processes for all of them.
 */

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));

export interface ServerProcess {
  url: string;
  pid: number;
  child: ChildProcess;
  /** stderr collected so far (logs at LOG_LEVEL), for failure messages. */
  stderr(): string;
  /** Resident memory now and at its peak (from /proc; undefined where /proc is absent). */
  memory(): { rssBytes?: number; peakRssBytes?: number };
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to flush anything. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Runs the CLI (e.g. `ingest`) to completion and returns its stdout; throws with its stderr when it
 * fails or outlives `timeoutMs` (a hung CLI must fail the caller, not stall it for ever).
 */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 30 * 60_000): string {
  const res = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.error || res.status !== 0) {
    const why = res.error ? res.error.message : `exited ${res.status ?? res.signal}`;
    throw new Error(`ecomalign ${args.join(' ')}: ${why}: ${res.stderr?.slice(-2000) ?? ''}`);
  }
  return res.stdout;
}

export async function startServerProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<ServerProcess> {
  return startCliProcess({
    args: () => ['serve'],
    env: (port) => ({ HOST: '127.0.0.1', PORT: String(port), ...env }),
    ready: async (url) => (await fetch(`${url}/readyz`)).status === 200,
    readyTimeoutMs,
  });
}

export interface CliProcessOptions {
  /** The arguments, given the free port it should listen on. */
  args: (port: number) => string[];
  env?: (port: number) => Record<string, string>;
  /** True once it serves (a throw counts as not yet, e.g. a refused connection). */
  ready: (url: string, stderr: string) => Promise<boolean> | boolean;
  readyTimeoutMs?: number;
}

/** Any long-running CLI command (`serve`, `annotate`) as a child process on a free port, resolved once ready. */
export function startCliProcess(options: CliProcessOptions): Promise<ServerProcess> {
  return startNodeProcess(MAIN, options);
}

/**
 * Any TypeScript entry point (run through tsx) as a child process on a free port, resolved once
 * ready: the CLI, or a baseline server a benchmark measures beside it.
 */
export async function startNodeProcess(entry: string, options: CliProcessOptions): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...options.args(port)], {
    env: { ...process.env, ...options.env?.(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited during start-up: ${stderr}`);
    try {
      if (await options.ready(url, stderr)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready after ${readyTimeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid!,
    child,
    stderr: () => stderr,
    memory: () => procMemory(child.pid!),
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function procMemory(pid: number): { rssBytes?: number; peakRssBytes?: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
      return m ? Number(m[1]) * 1024 : undefined;
    };
    return { rssBytes: kb('VmRSS'), peakRssBytes: kb('VmHWM') };
  } catch {
    return {};
  }
}
