import type { Embedder } from '../core/embedder.js';
import { RETRY_AFTER_SECONDS, ServiceUnavailableError } from '../core/errors.js';
import type { Priority, PriorityOptions } from '../core/priority.js';

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
  /**
   * Texts of bulk work per model call: the longest an interactive caller waits for the model is
   * one such call. Default: the model's own short-call size (Embedder.maxTextsPerCall), else
   * maxBatchTexts.
   */
  bulkSliceTexts?: number;
  /** Seconds suggested to refused callers. */
  retryAfterSeconds?: number;
}

interface Job {
  texts: readonly string[];
  priority: Priority;
  /** Texts already handed to the model (bulk jobs run a slice at a time). */
  started: number;
  vectors: Float32Array[];
  resolve: (vectors: Float32Array[]) => void;
  reject: (err: Error) => void;
  timer?: NodeJS.Timeout;
}

/**
 * Puts a bounded two-lane queue in front of an embedder. One model call runs at a time (a model
 * already uses every core inside one call, so concurrent calls only thrash).
 *
 * Interactive callers go first: the ones that queued meanwhile are merged into the next call, so
 * under load the model sees efficient batches instead of many tiny ones. Bulk callers (large
 * alignment batches, catalog writes) are served only when no interactive caller waits, a slice of
 * `bulkSliceTexts` at a time, taking turns among themselves; so a live lookup waits for at most one
 * bulk slice, however much bulk work is queued (issue 21: one builder's 4,096-step batch had held
 * the model for seconds). A bulk caller is answered when its last slice is done.
 *
 * Without a bound, overload would turn into unbounded memory and latency; with it, excess callers
 * fail fast and the client can retry. A caller is refused only while none of its texts has run:
 * work begun is never abandoned.
 */
export class EmbeddingQueue implements Embedder {
  readonly id: string;
  readonly dimension: number;
  readonly defaultThreshold: number;
  readonly aggregateThresholds?: Embedder['aggregateThresholds'];
  readonly maxTextsPerCall?: number;
  private readonly lanes: Record<Priority, Job[]> = { interactive: [], bulk: [] };
  private running = false;
  private readonly retryAfter: number;
  private readonly bulkSlice: number;

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
    this.bulkSlice = Math.max(1, options.bulkSliceTexts ?? inner.maxTextsPerCall ?? options.maxBatchTexts);
  }

  /** Callers waiting for the model, of both lanes (for metrics). */
  get depth(): number {
    return this.lanes.interactive.length + this.lanes.bulk.length;
  }

  embed(texts: readonly string[], options?: PriorityOptions): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([]);
    if (this.depth >= this.options.maxDepth) {
      return Promise.reject(
        new EmbedderOverloadedError(
          `The embedding queue is full (${this.options.maxDepth} requests waiting); retry shortly.`,
          this.retryAfter,
        ),
      );
    }
    const priority = options?.priority ?? 'interactive';
    return new Promise<Float32Array[]>((resolve, reject) => {
      const job: Job = { texts, priority, started: 0, vectors: [], resolve, reject };
      job.timer = setTimeout(() => {
        const lane = this.lanes[priority];
        const at = lane.indexOf(job);
        if (at < 0) return;
        lane.splice(at, 1);
        reject(new EmbedderOverloadedError(`Waited ${this.options.timeoutMs} ms for the embedding model; retry shortly.`, this.retryAfter));
      }, this.options.timeoutMs);
      this.lanes[priority].push(job);
      this.pump();
    });
  }

  private pump(): void {
    if (this.running) return;
    const call = this.lanes.interactive.length > 0 ? this.takeInteractive() : this.takeBulkSlice();
    if (!call) return;
    this.running = true;
    const bulk = call[0].job.priority === 'bulk';
    void this.run(call).finally(() => {
      this.running = false;
      // After a bulk slice, the next call waits a macrotask: with a model on this thread (lexical,
      // WordNet) the slices would otherwise follow each other in one chain of microtasks, and an
      // interactive request still being read from its socket could not get ahead of them.
      if (bulk) setImmediate(() => this.pump());
      else this.pump();
    });
  }

  /** Whole interactive jobs in arrival order up to the batch budget (always at least one, however big). */
  private takeInteractive(): Call {
    const lane = this.lanes.interactive;
    const parts: Part[] = [];
    let count = 0;
    while (lane.length > 0) {
      const next = lane[0];
      if (parts.length > 0 && count + next.texts.length > this.options.maxBatchTexts) break;
      lane.shift();
      parts.push({ job: next, from: 0, to: next.texts.length });
      count += next.texts.length;
    }
    return parts;
  }

  /**
   * The next slice of the bulk job at the head. An unfinished job rejoins the lane at the back once
   * its slice is done (run()), behind callers that arrived meanwhile: bulk callers take turns.
   */
  private takeBulkSlice(): Call | undefined {
    const job = this.lanes.bulk.shift();
    if (!job) return undefined;
    const from = job.started;
    const to = Math.min(job.texts.length, from + this.bulkSlice);
    job.started = to;
    return [{ job, from, to }];
  }

  private async run(call: Call): Promise<void> {
    // The wait is over once a job's first texts go to the model: a begun job is let finish.
    for (const part of call) if (part.from === 0) clearTimeout(part.job.timer);
    try {
      const texts = call.length === 1 ? sliceOf(call[0]) : call.flatMap(sliceOf);
      const vectors = await this.inner.embed(texts);
      let offset = 0;
      for (const { job, from, to } of call) {
        const mine = vectors.slice(offset, offset + (to - from));
        offset += to - from;
        if (from === 0 && to === job.texts.length) {
          job.resolve(mine);
          continue;
        }
        job.vectors.push(...mine);
        if (to === job.texts.length) job.resolve(job.vectors);
        else this.lanes.bulk.push(job);
      }
    } catch (err) {
      // A sliced job is not in its lane while its slice runs, so nothing more of it runs.
      for (const { job } of call) job.reject(err as Error);
    }
  }

  async close(): Promise<void> {
    for (const job of [...this.lanes.interactive.splice(0), ...this.lanes.bulk.splice(0)]) {
      clearTimeout(job.timer);
      job.reject(new EmbedderOverloadedError('The service is shutting down.', this.retryAfter));
    }
    await this.inner.close();
  }
}

/** One job's texts [from, to) in a model call. */
interface Part {
  job: Job;
  from: number;
  to: number;
}
type Call = Part[];

function sliceOf(part: Part): readonly string[] {
  return part.from === 0 && part.to === part.job.texts.length ? part.job.texts : part.job.texts.slice(part.from, part.to);
}
