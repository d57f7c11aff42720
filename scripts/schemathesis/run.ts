/**
 * `npm run schemathesis`: schemathesis (pinned, installed by install.sh into .cache/) against both
 * live apps, each through its own served OpenAPI document: the service (`ecomalign serve`, sample
 * catalog, API_KEY set so the bearer scheme is exercised) and the annotation app (`ecomalign
 * annotate` on a small candidate set). All checks, every phase (examples, coverage, fuzzing,
 * stateful via the documents' links), a bounded number of examples per operation, a fixed seed.
 *
 *   npm run schemathesis -- [--max-examples 25] [--seed 1] [--app service|annotate] [--out FILE]
 *
 * Exits 0 only when both runs finished with no failure and no error.
 */
import { spawn } from 'node:child_process';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runCli, startCliProcess, startServerProcess, type ServerProcess } from '../../support/server-process.js';
import { isMain } from '../../support/is-main.js';

const { values } = parseArgs({
  options: {
    'max-examples': { type: 'string', default: '25' },
    seed: { type: 'string', default: '1' },
    app: { type: 'string', multiple: true },
    out: { type: 'string' },
    'timeout-s': { type: 'string', default: '300' },
  },
});

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const API_KEY = 'schemathesis-key-0123456789';
const ENV = { EMBEDDER: 'lexical', LOG_LEVEL: 'warn' };

/** What one schemathesis run reports (its JSON report, condensed). */
export interface AppResult {
  app: string;
  exitCode: number;
  operations: { total: number; tested: number; errored: number; skipped: number };
  generated: number;
  unique: number;
  failures: { code: string; title: string; count: number; operations: string[] }[];
  errors: unknown[];
  warnings: Record<string, unknown[]>;
  phases: Record<string, string>;
  runningTimeS: number;
}

function install(): string {
  const res = spawnSync('bash', [join(ROOT, 'scripts/schemathesis/install.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const path = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0 || !path) throw new Error(`schemathesis could not be installed (install.sh exited ${res.status})`);
  return path;
}

async function schemathesis(st: string, app: string, url: string, extra: string[]): Promise<AppResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-st-report-'));
  const report = join(dir, 'report.json');
  const args = [
    'run',
    `${url}/openapi.json`,
    '--checks',
    'all',
    '--max-examples',
    values['max-examples'],
    '--seed',
    values.seed,
    // One worker: with two, hypothesis' lambda descriptions call ast.parse from two threads, which
    // CPython 3.11 can fail with "AST constructor recursion depth mismatch" (an error of the tool).
    '--workers',
    '1',
    '--request-timeout',
    '10',
    '--continue-on-failure',
    '--no-color',
    '--report',
    'json',
    '--report-json-path',
    report,
    ...extra,
  ];
  process.stdout.write(`\n=== schemathesis: ${app} (${url}) ===\n`);
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      // In the report's temporary folder: schemathesis keeps a cache (.schemathesis/) in its working directory.
      const child = spawn(st, args, { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
      // Bounded: a hung run is killed and reported as such, never left to CI's own limit.
      const timer = setTimeout(() => child.kill('SIGKILL'), Number(values['timeout-s']) * 1000);
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve(code ?? (signal ? 124 : 1));
      });
    });
    const r = JSON.parse(readFileSync(report, 'utf8'));
    return {
      app,
      exitCode,
      operations: r.operations,
      generated: r.test_cases.generated,
      unique: r.test_cases.unique_failures,
      failures: r.failures,
      errors: r.errors,
      warnings: Object.fromEntries(Object.entries(r.warnings as Record<string, unknown[]>).filter(([, v]) => v.length > 0)),
      phases: Object.fromEntries(Object.entries(r.phases as Record<string, { status: string }>).map(([k, v]) => [k, v.status])),
      runningTimeS: Math.round(r.running_time * 10) / 10,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function renderResults(results: AppResult[], command: string): string {
  const lines = [
    `schemathesis ${command}`,
    '',
    '| app | operations tested | test cases generated | unique failures | errors | phases | run time |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const phases = Object.entries(r.phases)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    lines.push(
      `| ${r.app} | ${r.operations.tested}/${r.operations.total} | ${r.generated} | ${r.unique} | ${r.errors.length} | ${phases} | ${r.runningTimeS} s |`,
    );
  }
  lines.push('', '| app | check | failures | operations |', '|---|---|---|---|');
  for (const r of results) {
    if (r.failures.length === 0) lines.push(`| ${r.app} | (none) | 0 | |`);
    for (const f of r.failures) lines.push(`| ${r.app} | ${f.code} ${f.title} | ${f.count} | ${f.operations.join(', ')} |`);
  }
  const warnings = results.flatMap((r) => Object.keys(r.warnings).map((w) => `${r.app}: ${w}`));
  lines.push('', `Warnings: ${warnings.length ? warnings.join('; ') : 'none'}.`);
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<number> {
  const st = install();
  const apps = values.app?.length ? values.app : ['service', 'annotate'];
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-st-'));
  const started: ServerProcess[] = [];
  const results: AppResult[] = [];
  try {
    const data = join(dir, 'data');
    runCli(['ingest', join(ROOT, 'data/sample/catalog.jsonl'), '--data-dir', data], ENV);
    if (apps.includes('service')) {
      const service = await startServerProcess({ ...ENV, DATA_DIR: data, API_KEY, SNAPSHOT_INTERVAL_S: '0' });
      started.push(service);
      results.push(await schemathesis(st, 'service', service.url, ['--header', `Authorization: Bearer ${API_KEY}`]));
    }
    if (apps.includes('annotate')) {
      // A small real candidate set (two sample scripts), as build-benchmark writes it.
      const scripts = join(dir, 'scripts.jsonl');
      writeFileSync(scripts, `${readFileSync(join(ROOT, 'data/sample/scripts.jsonl'), 'utf8').split('\n').slice(0, 2).join('\n')}\n`);
      const set = join(dir, 'set');
      runCli(
        [
          'build-benchmark',
          '--scripts',
          scripts,
          '--out',
          set,
          '--k',
          '1',
          '--negatives-per-positive',
          '2',
          '--seed',
          '3',
          '--data-dir',
          data,
        ],
        ENV,
      );
      const annotate = await startCliProcess({
        args: (port) => ['annotate', '--set', set, '--port', String(port)],
        env: () => ENV,
        ready: (url, stderr) => stderr.includes(`open ${url}`),
      });
      started.push(annotate);
      results.push(await schemathesis(st, 'annotate', annotate.url, []));
    }
  } finally {
    for (const s of started) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const command = `--checks all --max-examples ${values['max-examples']} --seed ${values.seed} --workers 1 --continue-on-failure`;
  const summary = renderResults(results, command);
  process.stdout.write(`\n=== schemathesis summary ===\n${summary}`);
  if (values.out) {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, summary);
  }
  const bad = results.filter((r) => r.exitCode !== 0 || r.failures.length > 0 || r.errors.length > 0);
  for (const r of bad)
    process.stderr.write(`schemathesis: ${r.app}: exit ${r.exitCode}, ${r.unique} unique failures, ${r.errors.length} errors\n`);
  return bad.length === 0 ? 0 : 1;
}

if (isMain(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`schemathesis run failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
