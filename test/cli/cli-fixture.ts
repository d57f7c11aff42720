import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main as cliMain } from '../../src/cli/main.js';

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

/** Runs the CLI's main() in this process (no tsx start-up), capturing what it writes. */
export async function runMain(argv: string[], env: Record<string, string>): Promise<CliResult> {
  const stdout = sink();
  const stderr = sink();
  const code = await cliMain(argv, { stdout: stdout.stream, stderr: stderr.stream }, env);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}
