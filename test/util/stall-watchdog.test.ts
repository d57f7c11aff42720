import assert from 'node:assert/strict';
import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const MODULE = fileURLToPath(new URL('../../src/util/stall-watchdog.ts', import.meta.url));

function runChild(
  body: string,
  stderrTo?: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', `import { startStallWatchdog } from ${JSON.stringify(MODULE)};\n${body}`],
    {
      stdio: ['ignore', 'ignore', stderrTo ?? 'pipe'] as StdioOptions,
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  // A backstop so a watchdog that never fires fails the test instead of hanging it.
  const backstop = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(backstop);
      resolve({ code, signal, stderr, ms: Date.now() - started });
    }),
  );
}

it('kills a process whose main thread is stuck, after logging why', async () => {
  // A busy loop of 50 s stands in for a native call that never returns.
  const r = await runChild(
    `startStallWatchdog(500); setTimeout(() => { const end = Date.now() + 50_000; while (Date.now() < end); process.exit(0); }, 100);`,
  );
  assert.equal(r.signal, 'SIGKILL', `exit ${r.code}/${r.signal}: ${r.stderr}`);
  assert.match(r.stderr, /event loop stalled for \d+ ms/);
  assert.ok(r.ms < 45_000, `killed after ${r.ms} ms, before the busy loop would have ended`);
});

it('leaves a healthy process alone and does not keep it alive', async () => {
  // A generous limit: on a loaded CI machine a healthy loop can still pause for a few hundred ms.
  const r = await runChild(`startStallWatchdog(5000); let n = 0; const t = setInterval(() => { if (++n === 20) clearInterval(t); }, 50);`);
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /stalled/);
});

// Issue 24: with stderr on a full disk, the watcher's own log line threw ENOSPC, which ended the
// watcher thread before its kill, and the hung server was never restarted.
it(
  'kills a stuck process even when its log line cannot be written (stderr on a full disk)',
  { skip: !existsSync('/dev/full') && 'no /dev/full here' },
  async () => {
    const full = openSync('/dev/full', 'w'); // every write fails with ENOSPC
    try {
      const r = await runChild(
        `startStallWatchdog(500); setTimeout(() => { const end = Date.now() + 50_000; while (Date.now() < end); process.exit(0); }, 100);`,
        full,
      );
      assert.equal(r.signal, 'SIGKILL', `exit ${r.code}/${r.signal}`);
      assert.ok(r.ms < 45_000, `killed after ${r.ms} ms`);
    } finally {
      closeSync(full);
    }
  },
);

it('kills a process stuck writing to a stderr pipe nobody reads, though its own line blocks too', async (t) => {
  // stderr is a FIFO this test holds open and never reads. The main thread writes to it through a
  // blocking descriptor of its own, as a synchronous logger would, and blocks once the pipe is full;
  // the watcher's line cannot get through either, and the process is killed all the same.
  const dir = mkdtempSync(join(tmpdir(), 'ecomalign-watchdog-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const fifo = join(dir, 'stderr');
  if (!existsSync('/proc/self/fd') || spawnSync('mkfifo', [fifo]).status !== 0) return t.skip('needs mkfifo and /proc');
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const writer = openSync(fifo, 'w');
  try {
    const r = await runChild(
      `import { openSync, writeSync } from 'node:fs'; startStallWatchdog(500); setTimeout(() => writeSync(openSync('/proc/self/fd/2', 'w'), Buffer.alloc(16 << 20, 120)), 100);`,
      writer,
    );
    assert.equal(r.signal, 'SIGKILL', `exit ${r.code}/${r.signal}`);
    assert.ok(r.ms < 45_000, `killed after ${r.ms} ms`);
  } finally {
    closeSync(writer);
    closeSync(reader);
  }
});
