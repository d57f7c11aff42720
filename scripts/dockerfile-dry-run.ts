/**
 * Runs docker/Dockerfile's steps as plain shell in a temporary folder, for machines without a
 * Docker daemon: COPY copies from this checkout, RUN runs in the stage's folder (/app and /data are
 * mapped into the temp folder), and the runtime stage is then started with its ENV, ENTRYPOINT and
 * CMD and probed with its HEALTHCHECK command.
 *
 * Steps that cannot or must not run here are replaced and reported:
 *   - apt-get (needs root and network; the compilers are only needed when no prebuilt binary fits),
 *   - npm ci / npm prune (need the registry and would rebuild native add-ons: this checkout's
 *     node_modules is linked instead, and never pruned, since the link points at the real folder),
 *   - the model download (no network to huggingface.co: the runtime is started with EMBEDDER=lexical,
 *     and the fetch script is only checked to load and print its usage).
 *
 *   npx tsx scripts/dockerfile-dry-run.ts [--keep]
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));
const keep = process.argv.includes('--keep');

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  /** The image or earlier stage it starts from. */
  base: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const line of lines) {
    const [op, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (op.toUpperCase() === 'FROM') {
      const [base, name] = args.split(/\s+AS\s+/i);
      stages.push({ name: name ?? `stage${stages.length}`, base, instructions: [] });
    } else stages.at(-1)?.instructions.push({ op: op.toUpperCase(), args });
  }
  return stages;
}

const report: string[] = [];
const note = (status: 'ran' | 'replaced' | 'skipped' | 'checked', what: string, why = '') => {
  const line = `${status.padEnd(8)} ${what}${why ? `  -- ${why}` : ''}`;
  report.push(line);
  process.stderr.write(`${line}\n`);
};

const tmp = mkdtempSync(join(tmpdir(), 'ecomalign-docker-dry-run-'));
const stageRoot = (name: string) => join(tmp, name);
/** Container paths → temp folder paths for one stage. */
const mapPath = (stage: string, path: string) => (path.startsWith('/') ? join(stageRoot(stage), path) : path);

function sh(command: string, cwd: string, env: Record<string, string> = {}): void {
  const res = spawnSync('sh', ['-c', command], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) throw new Error(`step failed (exit ${res.status}): ${command}`);
}

function linkNodeModules(dir: string): void {
  rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
}

async function main(): Promise<void> {
  const stages = parseDockerfile(readFileSync(join(repo, 'docker/Dockerfile'), 'utf8'));
  const args: Record<string, string> = {};
  let runtimeEnv: Record<string, string> = {};
  let runtime: { cwd: string; entrypoint: string[]; cmd: string[]; healthcheck: string[] } | undefined;
  const finished = new Map<string, { workdir: string; env: Record<string, string> }>();
  for (const stage of stages) {
    let workdir = stageRoot(stage.name);
    let env: Record<string, string> = {};
    // A stage built FROM an earlier one starts with that stage's files, WORKDIR and ENV.
    const parent = finished.get(stage.base);
    if (parent) {
      cpSync(stageRoot(stage.base), stageRoot(stage.name), { recursive: true, verbatimSymlinks: true });
      workdir = join(stageRoot(stage.name), parent.workdir.slice(stageRoot(stage.base).length));
      env = { ...parent.env };
      note('ran', `FROM ${stage.base} AS ${stage.name}`, 'copied the earlier stage');
    }
    for (const { op, args: raw } of stage.instructions) {
      const expand = (s: string) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => env[a ?? b] ?? args[a ?? b] ?? '');
      const text = expand(raw);
      switch (op) {
        case 'ARG': {
          const [k, v] = text.split('=');
          if (v !== undefined) args[k] = v;
          break;
        }
        case 'ENV':
          for (const m of text.matchAll(/(\w+)=(\S+)/g)) env[m[1]] = m[2];
          break;
        case 'WORKDIR':
          workdir = mapPath(stage.name, text);
          mkdirSync(workdir, { recursive: true });
          break;
        case 'COPY': {
          const parts = text.split(/\s+/);
          const from = parts[0].startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined;
          const dest = parts.pop()!;
          for (const source of parts) {
            const target = dest.startsWith('/') ? mapPath(stage.name, dest) : join(workdir, dest);
            if (from) {
              const fromPath = mapPath(from, source);
              if (source.endsWith('node_modules')) {
                linkNodeModules(dirname(target));
                note('replaced', `COPY --from=${from} ${source}`, "linked to this checkout's node_modules");
              } else if (!existsSync(fromPath)) {
                mkdirSync(target, { recursive: true });
                note('skipped', `COPY --from=${from} ${source}`, `not produced here (${from} stage step skipped)`);
              } else {
                cpSync(fromPath, target, { recursive: true });
                note('ran', `COPY --from=${from} ${source} ${dest}`);
              }
            } else {
              if (!existsSync(join(repo, source))) throw new Error(`COPY source missing from the build context: ${source}`);
              cpSync(join(repo, source), source.endsWith('/') || dest.endsWith('/') ? join(target, source) : target, { recursive: true });
              note('ran', `COPY ${source} ${dest}`);
            }
          }
          break;
        }
        case 'RUN':
          runStep(stage.name, text, workdir, env);
          break;
        case 'HEALTHCHECK':
          runtime = {
            ...(runtime ?? { cwd: workdir, entrypoint: [], cmd: [] }),
            healthcheck: JSON.parse(text.slice(text.indexOf('CMD') + 3).trim()),
          };
          break;
        case 'ENTRYPOINT':
          runtime = { ...(runtime ?? { cmd: [], healthcheck: [] }), cwd: workdir, entrypoint: JSON.parse(text) };
          break;
        case 'CMD':
          runtime = { ...(runtime ?? { entrypoint: [], healthcheck: [] }), cwd: workdir, cmd: JSON.parse(text) };
          break;
        default:
          note('checked', `${op} ${text}`, 'metadata, nothing to run');
      }
    }
    finished.set(stage.name, { workdir, env });
    if (stage.name === 'runtime') runtimeEnv = env;
  }
  if (!runtime) throw new Error('the Dockerfile has no runtime ENTRYPOINT/CMD');
  await startAndProbe(runtime, runtimeEnv);
}

function runStep(stage: string, command: string, cwd: string, env: Record<string, string>): void {
  if (/apt-get/.test(command))
    return note('skipped', `RUN ${command}`, 'system packages need root and network; only used when native add-ons must compile');
  if (/npm ci\b/.test(command)) {
    linkNodeModules(cwd);
    return note(
      'replaced',
      `RUN ${command}`,
      "no registry install here: linked this checkout's node_modules (installed from the same lockfile)",
    );
  }
  if (/npm prune\b/.test(command)) return note('skipped', `RUN ${command}`, 'would prune the real node_modules through the link');
  if (/fetch-model/.test(command)) {
    // The download cannot work without huggingface.co; check the script loads and validates its arguments.
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/fetch-model.ts'], { cwd, encoding: 'utf8' });
    if (res.status !== 2 || !/usage:/.test(res.stderr)) throw new Error(`fetch-model.ts did not load: ${res.stderr}`);
    return note('replaced', `RUN ${command}`, 'no network for the model download: checked that the script loads (usage, exit 2)');
  }
  const local = command.replace(/\/(app|data)\b/g, (p) => mapPath(stage, p)).replace(/&&\s*chown\s+\S+\s+\S+/g, '');
  sh(local, cwd, env);
  note('ran', `RUN ${command}`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function startAndProbe(
  rt: { cwd: string; entrypoint: string[]; cmd: string[]; healthcheck: string[] },
  imageEnv: Record<string, string>,
) {
  const port = String(await freePort());
  const env = {
    ...imageEnv,
    // What differs from the container: no baked model (lexical embedder), the temp /data, a free port.
    EMBEDDER: 'lexical',
    DATA_DIR: mapPath('runtime', imageEnv.DATA_DIR ?? '/data'),
    HOST: '127.0.0.1',
    PORT: port,
    LOG_LEVEL: 'warn',
  };
  const [exe, ...args] = [...rt.entrypoint, ...rt.cmd];
  const server = spawn(exe === 'node' ? process.execPath : exe, args, {
    cwd: rt.cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  note('ran', `${[...rt.entrypoint, ...rt.cmd].join(' ')}`, `with the image ENV, EMBEDDER=lexical, port ${port}`);
  const [hexe, ...hargs] = rt.healthcheck;
  const probe = () => spawnSync(hexe === 'node' ? process.execPath : hexe, hargs, { env: { ...process.env, PORT: port } }).status;
  try {
    const started = Date.now();
    let status = probe();
    while (status !== 0 && Date.now() - started < 60_000 && server.exitCode === null) {
      await new Promise((r) => setTimeout(r, 500));
      status = probe();
    }
    if (status !== 0) throw new Error('the HEALTHCHECK never passed');
    note('checked', `HEALTHCHECK ${rt.healthcheck.join(' ')}`, `exit 0 after ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

main()
  .then(() => {
    process.stderr.write(`\nDockerfile dry run passed in ${tmp}\n${report.join('\n')}\n`);
  })
  .catch((err) => {
    process.stderr.write(`\nDockerfile dry run FAILED: ${(err as Error).message}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    if (!keep) rmSync(tmp, { recursive: true, force: true });
  });
