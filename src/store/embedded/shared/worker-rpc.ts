import type { Worker } from 'node:worker_threads';

/** A request as its sender writes it: without the id, which `call` adds. */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The caller waiting for one reply. */
export interface Waiting {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/**
 * Request/reply bookkeeping over a worker thread, for the store's handles on its search workers
 * and on its writer thread: requests carry ids, each reply settles the request with its id, and
 * once the worker is lost every request still waiting is rejected and new ones are refused.
 *
 * An idle worker must not keep the process alive (a store someone forgot to close), so it is
 * unref'd; while a request waits for its answer it is ref'd, or the process could exit under it.
 * The owner reads the worker's messages (each protocol has its own) and hands replies to `take`.
 */
export class WorkerRpc<Request extends { id: number }> {
  private readonly pending = new Map<number, Waiting>();
  private nextId = 1;
  private failure?: Error;

  /** `refusal`: what a request made after the loss rejects with (default: the loss itself). */
  constructor(
    private readonly worker: Worker,
    private readonly refusal: (failure: Error) => Error = (failure) => failure,
  ) {
    worker.unref();
  }

  /** Posts `request` under a fresh id; resolves with what the reply to that id carries. */
  call<T>(request: WithoutId<Request>): Promise<T> {
    if (this.failure) return Promise.reject(this.refusal(this.failure));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...request, id });
    });
  }

  /** The caller waiting for reply `id`, now off the books; undefined when none waits (any more). */
  take(id: number): Waiting | undefined {
    const waiting = this.pending.get(id);
    if (!waiting) return undefined;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker.unref();
    return waiting;
  }

  /** The worker is gone: every waiting request fails with `err`, and so does every later one (the first loss is kept). */
  fail(err: Error): void {
    this.failure ??= err;
    for (const waiting of this.pending.values()) waiting.reject(err);
    this.pending.clear();
  }

  /** Whether the worker was lost. */
  failed(): boolean {
    return this.failure !== undefined;
  }

  /** Requests sent and not yet answered. */
  outstanding(): number {
    return this.pending.size;
  }
}
