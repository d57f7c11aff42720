import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runs the real CLI (`src/cli/main.ts` through tsx) the way a user would, on the lexical embedder. */

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const sample = { catalog: join(root, 'data/sample/catalog.jsonl'), scripts: join(root, 'data/sample/scripts.jsonl') };
const main = join(root, 'src/cli/main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: Record<string, string> = {}): CliResult {
  const res = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, EMBEDDER: 'lexical', LOG_LEVEL: 'warn', ...env },
    timeout: 60_000,
  });
  return { code: res.status, stdout: res.stdout, stderr: res.stderr };
}

/** A runner bound to one data directory. */
export function cliIn(dataDir: string): (args: string[]) => CliResult {
  return (args) => runCli([...args, '--data-dir', dataDir]);
}
