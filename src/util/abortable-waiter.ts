/**
 * A caller waiting in a gate's queue, who may give up (its AbortSignal) before it is let in. Both
 * admission gates (admission-gate.ts by queueing delay, cost-gate.ts by cost) queue callers this way.
 */
export interface Waiter<T> {
  /** Let in, refused or cancelled: whatever happens next to it is ignored. */
  settled: boolean;
  resolve(value: T): void;
  reject(err: unknown): void;
  detach?: () => void;
}

/** Why the caller gave up: its signal's reason (a DOMException 'AbortError' unless it gave one), always an Error. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(`aborted: ${String(reason)}`);
}

/**
 * Cancels `waiter` when `signal` aborts while it waits: it is settled, `leave` takes it out of the
 * gate's books, and it is rejected with the signal's reason.
 */
export function cancelOnAbort<T>(waiter: Waiter<T>, signal: AbortSignal | undefined, leave: () => void): void {
  if (!signal) return;
  const onAbort = () => {
    if (waiter.settled) return;
    waiter.settled = true;
    leave();
    waiter.reject(abortReason(signal));
  };
  signal.addEventListener('abort', onAbort, { once: true });
  waiter.detach = () => signal.removeEventListener('abort', onAbort);
}

/** Marks a waiter as let in or refused, so its signal no longer cancels it; returns it. */
export function settle<W extends Waiter<unknown>>(waiter: W): W {
  waiter.settled = true;
  waiter.detach?.();
  return waiter;
}
