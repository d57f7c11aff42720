import assert from 'node:assert/strict';
import { spawn, type StdioOptions } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { NonBlockingLogDestination, type Target } from '../../src/util/log-destination.js';

/** A descriptor under the test's control: each write gets the answer `next` gives. */
function fakeTarget(next: (data: Buffer) => { err?: string; written?: number }) {
  const received: string[] = [];
  const target: Target = {
    write(data, done) {
      const r = next(data);
      if (r.err) return done(Object.assign(new Error(r.err), { code: r.err }), 0);
      const n = r.written ?? data.length;
      received.push(data.subarray(0, n).toString());
      done(null, n);
    },
  };
  return { target, received: () => received.join('') };
}

/** Retries run when the test says so (no sleeps). */
function manualClock() {
  const due: (() => void)[] = [];
  return { later: (fn: () => void) => void due.push(fn), tick: () => due.splice(0).forEach((fn) => fn()) };
}

const line = (i: number) => `{"msg":"line ${i}"}\n`;

describe('NonBlockingLogDestination', () => {
  it('writes every line in order when the descriptor takes them', () => {
    const fake = fakeTarget(() => ({}));
    const d = new NonBlockingLogDestination(() => fake.target);
    for (let i = 0; i < 100; i++) d.write(line(i));
    assert.equal(fake.received(), Array.from({ length: 100 }, (_, i) => line(i)).join(''));
    assert.equal(d.stats.dropped, 0);
  });

  it('on a full disk drops and counts, never throws, and says how many were lost once writing works again', () => {
    let full = true;
    const fake = fakeTarget(() => (full ? { err: 'ENOSPC' } : {}));
    const clock = manualClock();
    const d = new NonBlockingLogDestination(() => fake.target, { later: clock.later });
    for (let i = 0; i < 10; i++) d.write(line(i)); // the first fails; the rest wait for the retry
    clock.tick(); // fails again: the 9 waiting are dropped
    assert.equal(d.stats.dropped, 10);
    assert.equal(d.stats.failedWrites, 2);
    assert.equal(d.stats.lastError, 'ENOSPC');
    full = false;
    clock.tick();
    d.write(line(10));
    const out = fake.received().split('\n').filter(Boolean);
    assert.match(out[0], /"dropped":10.*log lines dropped/);
    assert.equal(out[1], '{"msg":"line 10"}');
  });

  it('keeps unwritten bytes in order on EAGAIN and partial writes, and bounds what it holds', () => {
    let answer: { err?: string; written?: number } = { err: 'EAGAIN' };
    const fake = fakeTarget(() => answer);
    const clock = manualClock();
    const max = line(0).length * 5;
    const d = new NonBlockingLogDestination(() => fake.target, { later: clock.later, maxBufferedBytes: max });
    for (let i = 0; i < 8; i++) d.write(line(i)); // 5 fit, 3 are dropped
    assert.equal(d.stats.dropped, 3);
    answer = { written: 7 }; // a slow reader takes a few bytes at a time
    clock.tick();
    answer = {};
    clock.tick();
    const out = fake.received().split('\n').filter(Boolean);
    assert.match(out[0], /"dropped":3.*log lines dropped/, 'the notice, written in two pieces, comes out whole');
    assert.deepEqual(
      out.slice(1),
      [0, 1, 2, 3, 4].map((i) => line(i).trim()),
      'the kept lines follow in order, once each',
    );
  });
});

// The real thing: a child whose stdout cannot take its log. Before issue 24 pino's own destination
// hung such a process at exit (a full disk) or grew without bound and hung at exit (a pipe nobody reads).
const MODULE = fileURLToPath(new URL('../../src/util/log-destination.ts', import.meta.url));
const CHILD = `
import pino from 'pino';
import { logDestination } from ${JSON.stringify(MODULE)};
const log = pino({}, logDestination(1));
let i = 0;
const tick = () => {
  for (let j = 0; j < 500; j++) log.info({ i: i++, pad: 'x'.repeat(200) }, 'a log line');
  if (i < 50_000) setImmediate(tick);
  else { process.stderr.write('logged ' + i + '\\n'); process.exit(0); }
};
tick();
`;

function runChild(stdout: 'pipe' | number): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
    stdio: ['ignore', stdout, 'pipe'] as StdioOptions,
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout?.pause(); // a pipe nobody reads
  const backstop = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      clearTimeout(backstop);
      resolve({ code, signal, stderr });
    }),
  );
}

describe('a process logging through it', () => {
  it('neither blocks nor hangs at exit when its stdout is a pipe nobody reads', async () => {
    const r = await runChild('pipe');
    assert.equal(r.signal, null, 'not killed by the backstop: it did not hang');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /logged 50000/);
  });

  it('neither throws nor hangs when its stdout is on a full disk', { skip: !existsSync('/dev/full') && 'no /dev/full here' }, async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = await runChild(full);
      assert.equal(r.signal, null, 'not killed by the backstop: it did not hang');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /logged 50000/);
    } finally {
      closeSync(full);
    }
  });
});
