import { constants, fstatSync, openSync, write, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';

/**
 * Where the server's log lines go: a destination that can neither block nor crash the process,
 * whatever the file descriptor behind it does.
 *
 * Why not pino's default (sonic-boom): with stdout on a full disk its write failed with ENOSPC,
 * the error it emitted had no listener left and became an uncaught exception, and on the way out
 * pino's exit handler called flushSync, which retries every failed write (not only EAGAIN) after a
 * 100 ms Atomics.wait, forever: the main thread sat on a futex at 0 % CPU and /healthz never
 * answered (issue 24, found with the inspector on the hung process). A pipe nobody reads does the
 * same with EAGAIN, and meanwhile its buffer grows without bound.
 *
 * Here:
 * - lines wait in a buffer of at most `maxBufferedBytes`; beyond it they are dropped and counted;
 * - the descriptor is reopened non-blocking (/proc/self/fd/N with O_NONBLOCK, its own open file
 *   description, so the flag does not leak to whoever shares the original), and written with one
 *   asynchronous write at a time: a pipe nobody reads answers EAGAIN instead of holding a thread
 *   (a thread-pool thread stuck in write() would also hang process.exit, which joins them);
 * - sockets (journald's stdout) go through a net.Socket, which libuv drives non-blocking;
 * - a failed write (ENOSPC, EPIPE, EIO) drops its lines, counts them, and writing is retried after
 *   `retryMs`; the first line written afterwards says how many were dropped;
 * - nothing is ever thrown or emitted to the logger, and nothing is flushed synchronously at exit
 *   beyond one non-blocking attempt.
 */
export interface LogDestinationStats {
  /** Bytes the descriptor took. */
  writtenBytes: number;
  /** Lines dropped: the buffer was full, or the write that carried them failed. */
  dropped: number;
  /** Writes that failed with an error other than EAGAIN. */
  failedWrites: number;
  lastError?: string;
}

export interface LogDestinationOptions {
  /** Default 1 MiB: a few thousand lines, enough to ride out a slow reader, bounded if none comes. */
  maxBufferedBytes?: number;
  /** Pause after EAGAIN or a failed write before trying again. Default 1000 ms. */
  retryMs?: number;
  /** Runs `fn` after `ms` (tests drive retries by hand). Default: an unref'd setTimeout. */
  later?: (fn: () => void, ms: number) => void;
}

export interface LogDestination {
  write(line: string): void;
  readonly stats: LogDestinationStats;
}

export interface Target {
  /** Starts writing `data`; `done` gets the bytes written or the error. */
  write(data: Buffer, done: (err: NodeJS.ErrnoException | null, written: number) => void): void;
  /** One synchronous attempt that cannot block (non-blocking descriptor), for the exit. */
  tryWriteSync?(data: Buffer): void;
}

const destinations = new Map<number, NonBlockingLogDestination>();

/** The process's destination for `fd` (one per descriptor: each owns a reopened descriptor or a socket). */
export function logDestination(fd: number, options: LogDestinationOptions = {}): LogDestination {
  let d = destinations.get(fd);
  if (!d) {
    d = new NonBlockingLogDestination(() => targetFor(fd), options);
    destinations.set(fd, d);
  }
  return d;
}

/** Stats of every destination opened so far (for /metrics). */
export function logDestinationStats(): LogDestinationStats[] {
  return [...destinations.values()].map((d) => d.stats);
}

export class NonBlockingLogDestination implements LogDestination {
  readonly stats: LogDestinationStats = { writtenBytes: 0, dropped: 0, failedWrites: 0 };
  private readonly maxBufferedBytes: number;
  private readonly retryMs: number;
  private readonly later: (fn: () => void, ms: number) => void;
  private target?: Target;
  private queue: string[] = [];
  /** Bytes buffered or being written (the bound applies to both). */
  private pendingBytes = 0;
  private busy = false;
  /** Dropped since the last notice was written. */
  private unreported = 0;

  /** `open` makes the target on the first line, so an app that logs nothing (LOG_LEVEL=silent) touches no descriptor. */
  constructor(
    private readonly open: () => Target,
    options: LogDestinationOptions = {},
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1 << 20;
    this.retryMs = options.retryMs ?? 1000;
    this.later = options.later ?? ((fn, ms) => setTimeout(fn, ms).unref());
  }

  write(line: string): void {
    const bytes = Buffer.byteLength(line);
    if (this.pendingBytes + bytes > this.maxBufferedBytes) {
      this.drop(1);
      return;
    }
    if (!this.target) {
      this.target = this.open();
      process.once('exit', () => this.lastAttempt());
    }
    this.queue.push(line);
    this.pendingBytes += bytes;
    this.pump();
  }

  private pump(): void {
    if (this.busy || this.queue.length === 0) return;
    const lines = this.queue.length;
    const body = Buffer.from(this.queue.join(''));
    const reported = this.unreported;
    const notice = Buffer.from(reported > 0 ? droppedNotice(reported) : '');
    const data = notice.length ? Buffer.concat([notice, body]) : body;
    this.queue = [];
    this.busy = true;
    this.target!.write(data, (err, written) => {
      // The notice goes first: once any of it is written the rest follows with the lines (requeued below).
      if (written > 0) this.unreported -= reported;
      this.stats.writtenBytes += written;
      if (!err && written >= data.length) {
        this.pendingBytes -= body.length;
        this.busy = false;
        this.pump();
        return;
      }
      if (!err || err.code === 'EAGAIN') {
        // Nobody reads fast enough: keep what was not written, in order, and look again later.
        const rest = data.subarray(written > 0 ? written : notice.length);
        if (rest.length) this.queue.unshift(rest.toString());
        this.pendingBytes += rest.length - body.length;
      } else {
        this.stats.failedWrites++;
        this.stats.lastError = err.code ?? err.message;
        this.pendingBytes -= body.length;
        this.drop(lines);
      }
      this.later(() => {
        this.busy = false;
        this.pump();
      }, this.retryMs);
    });
  }

  private drop(lines: number): void {
    this.stats.dropped += lines;
    this.unreported += lines;
  }

  /** At exit: what is still buffered gets one write that cannot block; whatever fails is lost. */
  private lastAttempt(): void {
    if (this.busy || this.queue.length === 0) return;
    try {
      this.target?.tryWriteSync?.(Buffer.from(this.queue.join('')));
    } catch {
      // the destination cannot take it: nothing more to do on the way out
    }
  }
}

function droppedNotice(dropped: number): string {
  return `${JSON.stringify({ level: 40, time: Date.now(), pid: process.pid, dropped, msg: 'log lines dropped: the log destination was full, failing or not read' })}\n`;
}

/** A target for `fd` that never blocks the thread that writes to it (see the class comment). */
function targetFor(fd: number): Target {
  let isSocket = false;
  try {
    isSocket = fstatSync(fd).isSocket();
  } catch {
    // a closed descriptor: the writes will fail and be counted
  }
  if (isSocket) return socketTarget(fd);
  return fdTarget(reopenNonBlocking(fd) ?? fd);
}

/**
 * `fd` reopened through /proc with O_NONBLOCK and O_APPEND: for a pipe or a terminal, writes that
 * would block answer EAGAIN; for a file, they append as `>>` would. Undefined where /proc is
 * missing or the descriptor cannot be reopened (a socket).
 */
function reopenNonBlocking(fd: number): number | undefined {
  try {
    return openSync(`/proc/self/fd/${fd}`, constants.O_WRONLY | constants.O_APPEND | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return undefined;
  }
}

function fdTarget(fd: number): Target {
  return {
    write(data, done) {
      write(fd, data, 0, data.length, null, (err, written) => done(err, written ?? 0));
    },
    tryWriteSync(data) {
      writeSync(fd, data);
    },
  };
}

function socketTarget(fd: number): Target {
  // stdout and stderr already have their socket (libuv refuses a second handle on a descriptor it watches).
  const socket: Writable =
    fd === 1 ? process.stdout : fd === 2 ? process.stderr : new Socket({ fd, readable: false, writable: true }).unref();
  // An error (EPIPE) is the current write's failure, not an uncaught exception.
  let failure: NodeJS.ErrnoException | undefined;
  socket.on('error', (err: NodeJS.ErrnoException) => (failure = err));
  return {
    write(data, done) {
      if (failure) return done(failure, 0);
      socket.write(data, (err) => done(err ?? null, err ? 0 : data.length));
    },
  };
}
