/**
 * A TransformersEmbedder that runs on a worker thread of its own (model-thread.ts), so that neither ONNX
 * inference nor tokenization ever holds the thread that answers HTTP. The service uses this one; the
 * in-thread TransformersEmbedder stays for tools and tests that own their thread.
 *
 * Load errors cross back as the classes the caller expects (ModelUnavailableError allows the development
 * fallback; ModelIntegrityError never does). A model thread that dies fails the calls it was serving, and the
 * next call starts a new one (the model loads again, about a second), so one crash does not take embedding
 * down for good.
 */
import type { Worker } from 'node:worker_threads';
import type { Embedder } from '../core/embedder.js';
import { RETRY_AFTER_SECONDS, ServiceUnavailableError } from '../core/errors.js';
import { spawnWorker } from '../util/spawn-worker.js';
import { ModelIntegrityError, type VerifiedModel } from './model-manifest.js';
import type { ModelThreadInfo, ModelThreadReply, ModelThreadRequest, SerializedError } from './model-thread-protocol.js';
import { ModelUnavailableError, type TransformersDtype, type TransformersEmbedderOptions } from './transformers-embedder.js';

interface Pending {
  resolve(vectors: Float32Array): void;
  reject(err: Error): void;
}

function revive(e: SerializedError): Error {
  if (e.unavailable) return new ModelUnavailableError(e.message, e.unavailable);
  if (e.integrity) return new ModelIntegrityError(e.message, e.integrity.file, e.integrity.expectedSha256, e.integrity.actualSha256);
  const Ctor = e.name === 'TypeError' ? TypeError : e.name === 'RangeError' ? RangeError : Error;
  return new Ctor(e.message);
}

class ModelThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lost?: Error;

  private constructor(
    private readonly worker: Worker,
    readonly info: ModelThreadInfo,
  ) {
    worker.on('message', (reply: ModelThreadReply) => {
      if (reply.type !== 'embedded' && reply.type !== 'error') return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.type === 'embedded') waiting?.resolve(reply.vectors);
      else waiting?.reject(revive(reply.error));
    });
    const fail = (err: Error) => {
      this.lost ??= err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    // Answered 503 + Retry-After: the next call starts a new model thread.
    const lost = (why: string, cause?: unknown) =>
      fail(
        new ServiceUnavailableError(
          `The embedding model's thread ${why}; it restarts on the next request.`,
          RETRY_AFTER_SECONDS.overloaded,
          { cause },
        ),
      );
    worker.on('error', (err) => lost(`failed (${err.message})`, err));
    worker.on('exit', (code) => lost(`exited (code ${code})`));
    // An idle model thread must not keep the process alive; a waiting call refs it.
    worker.unref();
  }

  static start(options: TransformersEmbedderOptions): Promise<ModelThread> {
    const worker = spawnWorker(import.meta.url, 'model-thread', options);
    return new Promise((resolve, reject) => {
      const onMessage = (reply: ModelThreadReply) => {
        worker.off('error', onError);
        if (reply.type === 'ready') resolve(new ModelThread(worker, reply.info));
        else if (reply.type === 'failed') reject(revive(reply.error));
        else reject(new Error(`model thread: unexpected first message ${reply.type}`));
      };
      const onError = (err: Error) => {
        worker.off('message', onMessage);
        reject(err);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
    });
  }

  get alive(): boolean {
    return this.lost === undefined;
  }

  embed(texts: string[]): Promise<Float32Array> {
    if (this.lost) return Promise.reject(this.lost);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ type: 'embed', id, texts } satisfies ModelThreadRequest);
    });
  }

  async close(): Promise<void> {
    if (this.lost) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage({ type: 'close' } satisfies ModelThreadRequest);
    const timer = setTimeout(() => void this.worker.terminate(), 5_000);
    await exited;
    clearTimeout(timer);
  }

  /** Test hook: ends the thread as a crash would. */
  terminate(): Promise<number> {
    return this.worker.terminate();
  }
}

/**
 * Texts per call for bulk writers (Embedder.maxTextsPerCall). The model serves one call at a time, so a live
 * /align waits for the call ahead of it: with the catalog's 256-text calls (1.3 s each here) the contention
 * bench's probe p99 went from 15 ms alone to 1,867 ms beside a writer, 43 shed. Eight texts take ~27-40 ms
 * and lose nothing: batch 8 is this CPU's fastest (bench/results/embedding.md: 203 texts/s against 158 at 128).
 */
export const MODEL_TEXTS_PER_CALL = 8;

export class ThreadedTransformersEmbedder implements Embedder {
  readonly maxTextsPerCall = MODEL_TEXTS_PER_CALL;
  readonly id: string;
  readonly dimension: number;
  readonly defaultThreshold: number;
  readonly aggregateThresholds?: Embedder['aggregateThresholds'];
  readonly variant: TransformersDtype;
  readonly source: string;
  readonly verified?: VerifiedModel;
  /** Model threads started after a crash. */
  restarts = 0;
  private thread: ModelThread | Promise<ModelThread>;
  private closed = false;

  private constructor(
    thread: ModelThread,
    private readonly options: TransformersEmbedderOptions,
  ) {
    this.thread = thread;
    const info = thread.info;
    this.id = info.id;
    this.dimension = info.dimension;
    this.defaultThreshold = info.defaultThreshold;
    if (info.aggregateThresholds) this.aggregateThresholds = info.aggregateThresholds;
    this.variant = info.variant;
    this.source = info.source;
    if (info.verified) this.verified = info.verified;
  }

  static async load(options: TransformersEmbedderOptions): Promise<ThreadedTransformersEmbedder> {
    return new ThreadedTransformersEmbedder(await ModelThread.start(options), options);
  }

  private async current(): Promise<ModelThread> {
    const thread = await this.thread;
    if (thread.alive) return thread;
    // Only the first caller to see the loss starts the replacement; the others wait for it.
    if (this.thread === thread) {
      this.restarts++;
      const next = ModelThread.start(this.options);
      this.thread = next;
      next.then(
        (t) => (this.thread = t),
        () => (this.thread = thread),
      );
    }
    return this.thread;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.closed) throw new Error(`embedder ${this.id} is closed`);
    if (texts.length === 0) return [];
    const thread = await this.current();
    const packed = await thread.embed(texts.map((t) => String(t ?? '')));
    const d = this.dimension;
    return Array.from({ length: texts.length }, (_, i) => packed.subarray(i * d, (i + 1) * d));
  }

  /** Test hook: ends the model thread as a crash would. */
  async crashForTest(): Promise<void> {
    await (await this.thread).terminate();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await (await Promise.resolve(this.thread).catch(() => undefined))?.close();
  }
}
