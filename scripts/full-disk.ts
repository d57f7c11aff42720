/**
 * The full-disk run of issue 24, through the real server on a real full volume:
 *
 *   sudo npx tsx scripts/full-disk.ts [--size 40m] [--grow 80m] [--log-on-volume] [--stall-ms 10000] [--watch-s 40]
 *
 * Mounts a tmpfs of --size (needs root: CAP_SYS_ADMIN), starts `ecomalign serve` with the lexical
 * embedder and DATA_DIR on it, and posts batches of 200 products until writes keep failing. While
 * the disk is full it sends /align requests with new steps (so the embedding cache must write),
 * reads /readyz, /healthz and /metrics; then grows the tmpfs to --grow and checks that writes and
 * reads work again and that every acknowledged product is in the catalog.
 *
 * --log-on-volume sends the server's stdout and stderr to a file on the same full volume (as a
 * plain `npm start > log` does) and watches for --watch-s whether /healthz keeps answering and
 * whether the stall watchdog (EVENT_LOOP_STALL_EXIT_MS = --stall-ms) ends a stuck process.
 * Prints a JSON report; the tmpfs is unmounted at the end whatever happens.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from '../support/server-process.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '40m' },
    grow: { type: 'string', default: '80m' },
    'log-on-volume': { type: 'boolean', default: false },
    'stall-ms': { type: 'string', default: '10000' },
    'watch-s': { type: 'string', default: '40' },
    batch: { type: 'string', default: '200' },
  },
});
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const BATCH = Number(values.batch);
/** Consecutive refused batches that count as "the disk is full" (the issue saw 27; a few suffice). */
const FULL_AFTER = 5;

// A small deterministic generator: the same products on every run, so before/after compare.
let seed = 24;
const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
const WORDS =
  'grill charcoal tent cooler lantern kettle blender knife skillet towel pillow lamp drill ladder rake hose boots jacket glove scarf bottle basket candle mirror shelf'.split(
    ' ',
  );
const word = () => WORDS[Math.floor(random() * WORDS.length)];
const phrase = (n: number) => Array.from({ length: n }, word).join(' ') + ` ${Math.floor(random() * 1e9).toString(36)}`;

function products(batch: number) {
  return Array.from({ length: BATCH }, (_, i) => ({
    id: `p-${batch}-${i}`,
    title: `${phrase(3)} ${batch}-${i}`,
    category: word(),
    intentions: Array.from({ length: 10 }, () => `because they want to ${phrase(8)}`),
  }));
}

type Json = Record<string, unknown>;

async function request(
  url: string,
  init: RequestInit = {},
  timeoutMs = 5000,
): Promise<{ status: number | 'timeout' | 'error'; body: string }> {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: (err as Error).name === 'TimeoutError' ? 'timeout' : 'error', body: String((err as Error).message) };
  }
}

const post = (url: string, body: unknown, timeoutMs?: number) =>
  request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, timeoutMs);

function tally(statuses: (number | string)[]): Json {
  const out: Json = {};
  for (const s of statuses) out[String(s)] = ((out[String(s)] as number) ?? 0) + 1;
  return out;
}

function json(body: string): Json | string {
  try {
    return JSON.parse(body) as Json;
  } catch {
    return body.slice(0, 300);
  }
}

/** What each thread of a process is blocked in (for a process that stopped answering). */
function threads(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`).map((tid) => {
      const read = (f: string) => {
        try {
          return readFileSync(`/proc/${pid}/task/${tid}/${f}`, 'utf8').trim();
        } catch {
          return '?';
        }
      };
      return `${read('comm')}: state ${/^State:\s+(.*)$/m.exec(read('status'))?.[1] ?? '?'}, wchan ${read('wchan')}, syscall ${read('syscall').split(' ')[0]}`;
    });
  } catch {
    return [];
  }
}

function df(dir: string): string {
  return spawnSync('df', ['-k', '--output=size,used,avail', dir], { encoding: 'utf8' }).stdout.trim().split('\n').pop() ?? '';
}

const mnt = mkdtempSync(join(tmpdir(), 'ecomalign-full-disk-'));
const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${values.size}`, 'tmpfs', mnt], { encoding: 'utf8' });
if (mount.status !== 0) {
  process.stderr.write(`cannot mount a tmpfs (needs root): ${mount.stderr}\n`);
  rmSync(mnt, { recursive: true, force: true });
  process.exit(2);
}
let child: ChildProcess | undefined;
const report: Json = { size: values.size, logOnVolume: values['log-on-volume'] };
try {
  const dataDir = join(mnt, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logFd = values['log-on-volume'] ? openSync(join(mnt, 'server.log'), 'a') : 'ignore';
  child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
    env: {
      ...process.env,
      EMBEDDER: 'lexical',
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(port),
      EVENT_LOOP_STALL_EXIT_MS: values['stall-ms'],
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', logFd, logFd],
  });
  if (typeof logFd === 'number') closeSync(logFd);
  const exited = new Promise<string>((resolve) => child!.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
  let exit: string | undefined;
  void exited.then((e) => (exit = e));
  for (let i = 0; (await request(`${url}/readyz`)).status !== 200; i++) {
    if (exit || i > 600) throw new Error(`server did not start (${exit ?? 'timeout'})`);
    await new Promise((r) => setTimeout(r, 100));
  }

  // Fill: batches of 200 until FULL_AFTER in a row are refused.
  const acknowledged: string[] = [];
  const writeStatuses: (number | string)[] = [];
  let refusal: Json | string | undefined;
  for (let batch = 0, refusedInARow = 0; refusedInARow < FULL_AFTER && batch < 400; batch++) {
    const items = products(batch);
    const res = await post(`${url}/products`, { products: items }, 30_000);
    writeStatuses.push(res.status);
    if (res.status === 200) {
      acknowledged.push(...items.map((p) => p.id));
      refusedInARow = 0;
    } else {
      refusedInARow++;
      refusal ??= json(res.body);
    }
    if (exit || res.status === 'timeout') break; // a server that stopped answering is watched below, not waited on
  }
  report.fill = { statuses: tally(writeStatuses), acknowledgedProducts: acknowledged.length, firstRefusal: refusal, df: df(mnt) };

  // Reads while full: new steps each time, so the embedding cache has to write.
  const alignStatuses: (number | string)[] = [];
  let alignFailure: Json | string | undefined;
  for (let i = 0; i < 20; i++) {
    const res = await post(`${url}/align`, { steps: Array.from({ length: 40 }, () => phrase(6)), k: 3 }, 10_000);
    alignStatuses.push(res.status);
    if (res.status !== 200) alignFailure ??= json(res.body);
    if (res.status === 'timeout' || res.status === 'error') break;
  }
  const deleteWhileFull = await request(`${url}/products/${acknowledged[0]}`, { method: 'DELETE' });
  const ready = await request(`${url}/readyz`);
  const metrics = await request(`${url}/metrics`);
  report.whileFull = {
    align: tally(alignStatuses),
    alignFailure,
    delete: deleteWhileFull.status,
    healthz: (await request(`${url}/healthz`)).status,
    readyz: { status: ready.status, storage: (json(ready.body) as Json).storage ?? '(not reported)' },
    metrics: metrics.body.split('\n').filter((l) => /^ecomalign_(storage|embedding_cache)/.test(l)),
  };

  if (values['log-on-volume']) {
    // Does the process keep answering, or end (watchdog) so a supervisor can restart it?
    const watch: string[] = [];
    const deadline = Date.now() + Number(values['watch-s']) * 1000;
    let answered = 0;
    let silent = 0;
    while (Date.now() < deadline && !exit) {
      const res = await request(`${url}/healthz`, {}, 2000);
      if (res.status === 200) answered++;
      else silent++;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (!exit) watch.push(...threads(child.pid!));
    report.logOnFullVolume = { healthzAnswered: answered, healthzSilent: silent, exited: exit ?? 'still running', threads: watch };
  }

  if (!exit) {
    // Recovery: grow the volume; nothing else is done.
    spawnSync('mount', ['-o', `remount,size=${values.grow}`, mnt]);
    const write = await post(`${url}/products`, { products: products(1000) }, 30_000);
    const align = await post(`${url}/align`, { steps: ['light the charcoal grill'], k: 3 });
    const readyAfter = await request(`${url}/readyz`);
    const body = json(readyAfter.body) as Json;
    let found = 0;
    for (const id of acknowledged.slice(1)) if ((await request(`${url}/products/${id}`)).status === 200) found++;
    report.afterGrowing = {
      df: df(mnt),
      write: write.status,
      align: align.status,
      readyz: { status: readyAfter.status, products: body.products, storage: body.storage ?? '(not reported)' },
      // The first acknowledged product was offered for deletion while full: it is there unless that delete succeeded.
      acknowledgedFound: `${found + ((await request(`${url}/products/${acknowledged[0]}`)).status === 200 ? 1 : 0)} of ${acknowledged.length}`,
      deleteWhileFullSucceeded: deleteWhileFull.status === 204,
    };
  }
  report.exit = exit ?? 'still running';
} catch (err) {
  report.error = (err as Error).message;
} finally {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
  }
  if (values['log-on-volume']) {
    try {
      const log = readFileSync(join(mnt, 'server.log'), 'utf8').trim().split('\n');
      report.logTail = log.slice(-3).map((l) => l.slice(0, 400));
    } catch {
      // no log
    }
  }
  spawnSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
