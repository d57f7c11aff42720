import type { Embedder } from '../core/embedder.js';
import { RETRY_AFTER_SECONDS, ServiceUnavailableError } from '../core/errors.js';

/**
 * Thrown when embedding work is refused to protect the process: the queue is full, or a request
 * waited longer than its deadline. Callers answer 503 with Retry-After; nothing was written.
 */
export class EmbedderOverloadedError extends ServiceUnavailableError {
  constructor(message: string, retryAfterSeconds: number) {
    super(message, retryAfterSeconds);
    this.name = 'EmbedderOverloadedError';
  }
}

export interface EmbeddingQueueOptions {
  /** Most callers waiting (not yet running) at once; one more is refused immediately. */
  maxDepth: number;
  /** A caller still waiting after this long is refused; work already running is never abandoned. */
  timeoutMs: number;
  /** Most texts merged into one model call. */
  maxBatchTexts: number;
  /** Seconds suggested to refused callers. */
  retryAfterSeconds?: number;
}

interface Job {
  texts: readonly string[];
  resolve: (vectors: Float32Array[]) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Puts a bounded queue in front of an embedder. One model call runs at a time (a model already
 * uses every core inside one call, so concurrent calls only thrash), and the callers that queued
 * meanwhile are merged into the next call, so under load the model sees large efficient batches
 * instead of many tiny ones. Without a bound, overload would turn into unbounded memory and
 * latency; with it, excess requests fail fast and the client can retry elsewhere.
 */
export class EmbeddingQueue implements Embedder {
  readonly id: string;
  readonly dimension: number;
  readonly defaultThreshold: number;
  readonly aggregateThresholds?: Embedder['aggregateThresholds'];
  readonly maxTextsPerCall?: number;
  private readonly waiting: Job[] = [];
  private running = false;
  private readonly retryAfter: number;

  constructor(
    private readonly inner: Embedder,
    private readonly options: EmbeddingQueueOptions,
  ) {
    this.id = inner.id;
    this.dimension = inner.dimension;
    this.defaultThreshold = inner.defaultThreshold;
    this.aggregateThresholds = inner.aggregateThresholds;
    this.maxTextsPerCall = inner.maxTextsPerCall;
    this.retryAfter = options.retryAfterSeconds ?? RETRY_AFTER_SECONDS.overloaded;
  }

  /** Callers waiting for the model (for metrics). */
  get depth(): number {
    return this.waiting.length;
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([]);
    if (this.waiting.length >= this.options.maxDepth) {
      return Promise.reject(
        new EmbedderOverloadedError(
          `The embedding queue is full (${this.options.maxDepth} requests waiting); retry shortly.`,
          this.retryAfter,
        ),
      );
    }
    return new Promise<Float32Array[]>((resolve, reject) => {
      const job: Job = { texts, resolve, reject, timer: undefined as unknown as NodeJS.Timeout };
      job.timer = setTimeout(() => {
        const at = this.waiting.indexOf(job);
        if (at < 0) return; // already running: let it finish
        this.waiting.splice(at, 1);
        reject(new EmbedderOverloadedError(`Waited ${this.options.timeoutMs} ms for the embedding model; retry shortly.`, this.retryAfter));
      }, this.options.timeoutMs);
      this.waiting.push(job);
      this.pump();
    });
  }

  private pump(): void {
    if (this.running || this.waiting.length === 0) return;
    // Take whole jobs in arrival order up to the batch budget (always at least one, however big).
    const batch: Job[] = [];
    let count = 0;
    while (this.waiting.length > 0) {
      const next = this.waiting[0];
      if (batch.length > 0 && count + next.texts.length > this.options.maxBatchTexts) break;
      this.waiting.shift();
      clearTimeout(next.timer);
      batch.push(next);
      count += next.texts.length;
    }
    this.running = true;
    void this.run(batch).finally(() => {
      this.running = false;
      this.pump();
    });
  }

  private async run(batch: Job[]): Promise<void> {
    try {
      const all = batch.length === 1 ? batch[0].texts : batch.flatMap((job) => job.texts);
      const vectors = await this.inner.embed(all);
      let offset = 0;
      for (const job of batch) {
        job.resolve(vectors.slice(offset, offset + job.texts.length));
        offset += job.texts.length;
      }
    } catch (err) {
      for (const job of batch) job.reject(err as Error);
    }
  }

  async close(): Promise<void> {
    for (const job of this.waiting.splice(0)) {
      clearTimeout(job.timer);
      job.reject(new EmbedderOverloadedError('The service is shutting down.', this.retryAfter));
    }
    await this.inner.close();
  }
}
