import { RETRY_AFTER_SECONDS, ServiceUnavailableError } from '../core/errors.js';
import { abortReason, cancelOnAbort, settle, type Waiter as AbortableWaiter } from './abortable-waiter.js';

/**
 * Admission by queueing delay: a concurrency limit with a FIFO wait queue, refused by CoDel.
 *
 * Event-loop lag is a poor admission signal for this service: the work it admits causes the lag,
 * so one well-behaved writer pushing large batches was shed by its own requests. What tells
 * overload from a busy-but-keeping-up service is how long requests *wait to start* (their sojourn
 * time in the queue). A burst that drains within the target is what a queue is for; a queue whose
 * delay stays above the target for a whole interval is a standing queue (more arrives than the
 * service completes), and serving it only makes every request late. That is CoDel (Nichols and
 * Jacobson, "Controlling Queue Delay", 2012), applied to server queues as in Facebook's "Fail at
 * Scale" (2015); the fixed concurrency limit is the simple form of Netflix's concurrency limiters.
 *
 * While overloaded (as in Facebook's controlled delay), a waiter may wait only the target instead
 * of the interval: older ones are refused rather than served late, so the ones served wait at most
 * the target and the excess gets a fast 503 it can retry. Overload lasts until a freed slot finds
 * nobody waiting (the service has caught up). It does not end with each waiter served within the
 * target: every waiter served during overload is one, so overload would end at the very dequeue
 * that detected it and the short deadline would never apply. Outside overload, a sojourn within
 * the target restarts CoDel's interval, and a waiter is refused only after waiting a whole interval.
 *
 * A request that finds a free slot and nobody waiting is always admitted, overloaded or not, so a
 * client on its own that keeps at most `limit` requests in flight is never shed by this gate.
 *
 * No HTTP and no timers: the clock is injected and the owner calls `sweep()` periodically, so
 * tests drive every transition with a fake clock.
 */

export type AdmissionRejectReason = 'queueFull' | 'queueDelay';

export class AdmissionRejectedError extends ServiceUnavailableError {
  constructor(
    /** 'bulkBacklog': refused by cost (cost-gate.ts). */
    readonly reason: AdmissionRejectReason | 'bulkBacklog',
    retryAfterSeconds: number,
    message: string,
  ) {
    super(message, retryAfterSeconds);
    this.name = 'AdmissionRejectedError';
  }
}

/** Gives the slot back; calling it again does nothing. `sojournMs`: how long the request waited. */
export interface Release {
  (): void;
  readonly sojournMs: number;
}

export interface AdmissionGateOptions {
  /** Requests served at once. */
  limit: number;
  /** Most requests waiting; one more is refused at once ('queueFull'). */
  maxQueue: number;
  /** CoDel target: acceptable standing queueing delay (ms). */
  targetMs: number;
  /** CoDel interval (ms); also the longest a request waits while the gate is not overloaded. */
  intervalMs: number;
  retryAfterSeconds?: number;
  now?: () => number;
}

export interface AdmissionStats {
  inFlight: number;
  queued: number;
  admitted: number;
  rejected: Record<AdmissionRejectReason, number>;
  /** Sojourn (ms) of the most recently admitted request; 0 when it found a free slot. */
  lastSojournMs: number;
  overloaded: boolean;
}

interface Waiter extends AbortableWaiter<Release> {
  arrival: number;
}

export class AdmissionGate {
  private readonly now: () => number;
  private readonly retryAfterSeconds: number;
  private inFlight = 0;
  // FIFO as an array with a moving head (shift() is O(n)); cancelled waiters stay in it, marked
  // settled, and are skipped, so `queued` counts the live ones.
  private waiters: Waiter[] = [];
  private head = 0;
  private queued = 0;
  private admitted = 0;
  private readonly rejected: Record<AdmissionRejectReason, number> = { queueFull: 0, queueDelay: 0 };
  private lastSojournMs = 0;
  /** CoDel: when the delay, above target since then, will have been so for a whole interval. */
  private firstAboveTime: number | undefined;
  private overloaded = false;

  constructor(private readonly opts: AdmissionGateOptions) {
    this.now = opts.now ?? (() => performance.now());
    this.retryAfterSeconds = opts.retryAfterSeconds ?? RETRY_AFTER_SECONDS.overloaded;
  }

  /**
   * Resolves when the request may run; rejects with AdmissionRejectedError when it is refused, or
   * with `signal.reason` when the caller gives up while waiting (the waiter leaves the queue).
   */
  acquire(signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    // FIFO: never overtake a waiter (release() hands a freed slot to the oldest one at once).
    if (this.inFlight < this.opts.limit && this.queued === 0) return Promise.resolve(this.admit(0));
    if (this.queued >= this.opts.maxQueue) {
      return Promise.reject(this.refuse('queueFull', `admission queue full (at most ${this.opts.maxQueue} may wait)`));
    }
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = { arrival: this.now(), settled: false, resolve, reject };
      cancelOnAbort(waiter, signal, () => this.queued--);
      this.waiters.push(waiter);
      this.queued++;
    });
  }

  /**
   * Refuses waiters past their deadline: the interval normally, the target while overloaded (they
   * would be refused at dequeue anyway; this answers them without waiting for a slot to free). An
   * expired waiter counts as a dequeue above target, so a slot held for longer than the interval
   * still drives the gate into overload. Returns how many were refused.
   */
  sweep(): number {
    const now = this.now();
    let refused = 0;
    for (let w = this.peek(); w; w = this.peek()) {
      const sojourn = now - w.arrival;
      if (sojourn <= (this.overloaded ? this.opts.targetMs : this.opts.intervalMs)) break;
      this.take();
      this.track(sojourn, now);
      const message = this.overloaded ? this.overloadMessage() : `the request waited more than ${this.opts.intervalMs} ms for admission`;
      settle(w).reject(this.refuse('queueDelay', message));
      refused++;
    }
    return refused;
  }

  stats(): AdmissionStats {
    return {
      inFlight: this.inFlight,
      queued: this.queued,
      admitted: this.admitted,
      rejected: { ...this.rejected },
      lastSojournMs: this.lastSojournMs,
      overloaded: this.overloaded,
    };
  }

  private admit(sojournMs: number): Release {
    this.inFlight++;
    this.admitted++;
    this.lastSojournMs = sojournMs;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.dequeue();
    };
    return Object.assign(release, { sojournMs });
  }

  /** Hands free slots to the oldest waiters, refusing the ones that waited too long while overloaded. */
  private dequeue(): void {
    const now = this.now();
    while (this.inFlight < this.opts.limit) {
      const w = this.take();
      if (!w) {
        // Nobody waits for a free slot: no standing queue, whatever the last sojourns were.
        this.firstAboveTime = undefined;
        this.overloaded = false;
        return;
      }
      const sojourn = now - w.arrival;
      this.track(sojourn, now);
      if (this.overloaded && sojourn > this.opts.targetMs) {
        settle(w).reject(this.refuse('queueDelay', this.overloadMessage()));
        continue;
      }
      settle(w).resolve(this.admit(sojourn));
    }
  }

  /** CoDel's state update for one dequeued (or expired) waiter. */
  private track(sojournMs: number, now: number): void {
    if (sojournMs > this.opts.targetMs) {
      if (this.firstAboveTime === undefined) this.firstAboveTime = now + this.opts.intervalMs;
      else if (now >= this.firstAboveTime) this.overloaded = true;
    } else if (!this.overloaded) {
      this.firstAboveTime = undefined; // the delay dipped under target: the interval starts over
    }
  }

  private refuse(reason: AdmissionRejectReason, message: string): AdmissionRejectedError {
    this.rejected[reason]++;
    return new AdmissionRejectedError(reason, this.retryAfterSeconds, message);
  }

  private overloadMessage(): string {
    return `requests waited more than ${this.opts.targetMs} ms for admission for ${this.opts.intervalMs} ms`;
  }

  /** The oldest live waiter, without removing it. */
  private peek(): Waiter | undefined {
    while (this.head < this.waiters.length && this.waiters[this.head].settled) this.head++;
    return this.waiters[this.head];
  }

  /** Removes and returns the oldest live waiter. */
  private take(): Waiter | undefined {
    const w = this.peek();
    if (!w) {
      this.waiters = [];
      this.head = 0;
      return undefined;
    }
    this.head++;
    this.queued--;
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
    return w;
  }
}
