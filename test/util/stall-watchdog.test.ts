import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const MODULE = fileURLToPath(new URL('../../src/util/stall-watchdog.ts', import.meta.url));

function runChild(body: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', `import { startStallWatchdog } from ${JSON.stringify(MODULE)};\n${body}`],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
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
