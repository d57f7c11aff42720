import { Worker } from 'node:worker_threads';

/**
 * Kills the process when its main thread stops answering for `limitMs`: a native call that never
 * returns (usearch 2.25.3 spun forever inside `remove`) would otherwise leave a live process that
 * answers nothing, which a supervisor's liveness check may never notice. Killed, it is restarted
 * and recovery replays the catalog from SQLite.
 *
 * The main thread writes a heartbeat into shared memory; a worker thread, which keeps running
 * while the main thread is stuck, compares it with the clock. It logs one line to stderr (best
 * effort) and sends SIGKILL to its own process: no handler on the stuck thread could run a graceful exit anyway, and
 * `process.exit` in a worker only ends the worker.
 */
export interface StallWatchdog {
  stop(): void;
}

// The kill must not depend on the log line. On a full disk writeSync threw, the exception ended
// the watcher thread, and nothing was killed (issue 24: hung for good); on a pipe nobody reads it
// would block. So the line is written inside a try, the kill comes after it whatever happened,
// and a second watcher that writes nothing kills `graceMs` later in case the write blocked.
const WATCHER = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const beat = new Float64Array(workerData.shared);
setInterval(() => {
  const silent = Date.now() - beat[0];
  if (silent < workerData.limitMs + workerData.graceMs) return;
  try {
    if (workerData.say) writeSync(2, JSON.stringify({ level: 60, time: Date.now(), pid: process.pid, msg: 'event loop stalled for ' + silent + ' ms (limit ' + workerData.limitMs + ' ms, EVENT_LOOP_STALL_EXIT_MS); killing the process so a supervisor restarts it' }) + '\\n');
  } catch {
    // a full disk, a closed descriptor: the line is lost, the kill is not
  } finally {
    process.kill(process.pid, 'SIGKILL');
  }
}, workerData.checkMs);
`;

export function startStallWatchdog(limitMs: number): StallWatchdog {
  const shared = new SharedArrayBuffer(8);
  const beat = new Float64Array(shared);
  beat[0] = Date.now();
  // An aligned 8-byte store is atomic on every platform Node supports; a torn read is impossible.
  const every = Math.max(10, Math.min(1000, Math.floor(limitMs / 4)));
  const heartbeat = setInterval(() => (beat[0] = Date.now()), every);
  heartbeat.unref();
  // No inherited flags: the watcher is plain CommonJS and needs no loader (tsx, --input-type).
  const watcher = (say: boolean, graceMs: number) => {
    const worker = new Worker(WATCHER, { eval: true, execArgv: [], workerData: { shared, limitMs, checkMs: every, say, graceMs } });
    worker.unref(); // never keeps the process alive
    return worker;
  };
  const workers = [watcher(true, 0), watcher(false, Math.max(1000, every * 2))];
  return {
    stop() {
      clearInterval(heartbeat);
      for (const w of workers) void w.terminate();
    },
  };
}
