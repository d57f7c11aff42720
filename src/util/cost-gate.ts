import { RETRY_AFTER_SECONDS } from '../core/errors.js';
import { abortReason, cancelOnAbort, settle, type Waiter as AbortableWaiter } from './abortable-waiter.js';
import { AdmissionRejectedError, type Release } from './admission-gate.js';

/**
 * Admission of bulk work by its cost, decided at arrival.
 *
 * A benchmark builder's 4,096-step batch and a 65-step one are not the same request: counting
 * requests let 64 clients of 4,096 steps pile up 262K steps of work, served after p50 9.9 s, while
 * the refused ones waited p50 1.6 s for their 503 (issue 21). This gate weighs each request by its
 * cost (steps) and refuses at once, without queueing, a request that would find more bulk work
 * ahead of it than `backlogRatio` times its own: under a steady throughput its latency is then at
 * most (1 + backlogRatio) times what it takes alone, whatever the load, and the excess learns so
 * in the time it takes to parse its body. A request that finds no bulk work in the system is
 * always admitted, however big.
 *
 * Admitted requests run `limit` at a time (their slices share the model and the search workers
 * fairly, see align/aligner.ts), the others wait in arrival order. Retry-After is the time the
 * backlog needs to drain to where the refused request would have fitted, at the throughput
 * measured over the gate's busy periods (cost per second).
 *
 * No HTTP and no timers: the clock is injected.
 */
export interface CostGateOptions {
  /** Requests running at once. */
  limit: number;
  /** Admit a request only if the cost ahead of it is at most this many times its own. */
  backlogRatio: number;
  /** Most requests waiting; one more is refused at once. */
  maxQueue: number;
  now?: () => number;
}

export interface CostGateStats {
  inFlight: number;
  queued: number;
  /** Cost admitted or waiting, not yet done. */
  backlog: number;
  admitted: number;
  rejected: { backlog: number; queueFull: number };
  /** Measured throughput, cost per second; undefined before the first busy period has completed work. */
  costPerSecond: number | undefined;
}

interface Waiter extends AbortableWaiter<Release> {
  cost: number;
  arrival: number;
}

export class CostGate {
  private readonly now: () => number;
  private inFlight = 0;
  private backlog = 0;
  private readonly waiters: Waiter[] = [];
  private admitted = 0;
  private readonly rejected = { backlog: 0, queueFull: 0 };
  /** The current busy period (inFlight > 0): when it began and the cost finished in it. */
  private busySince = 0;
  private busyDone = 0;
  private rate: number | undefined;

  constructor(private readonly opts: CostGateOptions) {
    this.now = opts.now ?? (() => performance.now());
  }

  /**
   * Refuses (counted) a request of `cost` that would find more than `backlogRatio` times its cost
   * ahead of it, as acquire(cost) does, without queueing anything; undefined when it would be let
   * through to acquire. Lets the owner refuse before reading a request whose cost it can bound.
   */
  refuseByBacklog(cost: number): AdmissionRejectedError | undefined {
    const weight = Math.max(1, cost);
    const ahead = this.backlog;
    if (ahead <= this.opts.backlogRatio * weight) return undefined;
    this.rejected.backlog++;
    const excess = ahead - this.opts.backlogRatio * weight;
    return new AdmissionRejectedError(
      'bulkBacklog',
      this.retryAfterFor(excess),
      `bulk work ahead of this request (${ahead} steps) exceeds ${this.opts.backlogRatio}× its own (${weight} steps)`,
    );
  }

  acquire(cost: number, signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const weight = Math.max(1, cost);
    const refusal = this.refuseByBacklog(weight);
    if (refusal) return Promise.reject(refusal);
    if (this.inFlight < this.opts.limit && this.waiters.length === 0) return Promise.resolve(this.admit(weight, 0));
    if (this.waiters.length >= this.opts.maxQueue) {
      this.rejected.queueFull++;
      return Promise.reject(
        new AdmissionRejectedError(
          'queueFull',
          this.retryAfterFor(this.backlog),
          `bulk admission queue full (at most ${this.opts.maxQueue} may wait)`,
        ),
      );
    }
    this.backlog += weight;
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { cost: weight, arrival: this.now(), settled: false, resolve, reject };
      cancelOnAbort(waiter, signal, () => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        this.backlog -= weight;
      });
      this.waiters.push(waiter);
    });
  }

  stats(): CostGateStats {
    return {
      inFlight: this.inFlight,
      queued: this.waiters.length,
      backlog: this.backlog,
      admitted: this.admitted,
      rejected: { ...this.rejected },
      costPerSecond: this.rate,
    };
  }

  /** Admits; a waiter's cost is already in the backlog. */
  private admit(cost: number, sojournMs: number, queued = false): Release {
    if (!queued) this.backlog += cost;
    if (this.inFlight === 0) {
      this.busySince = this.now();
      this.busyDone = 0;
    }
    this.inFlight++;
    this.admitted++;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.backlog -= cost;
      this.busyDone += cost;
      const busyMs = this.now() - this.busySince;
      if (busyMs > 0) this.rate = (this.busyDone / busyMs) * 1000;
      this.next();
    };
    return Object.assign(release, { sojournMs });
  }

  private next(): void {
    while (this.inFlight < this.opts.limit && this.waiters.length > 0) {
      const w = settle(this.waiters.shift()!);
      w.resolve(this.admit(w.cost, this.now() - w.arrival, true));
    }
  }

  private retryAfterFor(cost: number): number {
    if (!this.rate) return RETRY_AFTER_SECONDS.overloaded;
    return Math.min(60, Math.max(1, Math.ceil(cost / this.rate)));
  }
}
