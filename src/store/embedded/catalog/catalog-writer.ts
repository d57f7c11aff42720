import type { Worker } from 'node:worker_threads';
import type { Product } from '../../../core/product.js';
import { spawnWorker } from '../../../util/spawn-worker.js';
import type { CatalogDb, NewText, WriteEffects } from './catalog-db.js';
import { packVectors, packedRow } from '../shared/packed-vectors.js';
import { WorkerRpc } from '../shared/worker-rpc.js';

export interface CatalogWrite {
  product: Product;
  hash: string;
  texts: NewText[];
}

/** Where the store's SQLite transactions run: on the calling thread, or in a writer thread. */
export interface CatalogWriter {
  writeProducts(items: readonly CatalogWrite[]): Promise<WriteEffects>;
  deleteProduct(id: string): Promise<WriteEffects | undefined>;
  /** Fault injection for tests: the writing connection's file stops (true) or resumes (false) growing (CatalogDb.capGrowth). */
  capGrowth(capped: boolean): Promise<void>;
  close(): Promise<void>;
}

/** Commits on the calling thread: the store searches there too (no search workers). */
export class InlineCatalogWriter implements CatalogWriter {
  constructor(private readonly db: CatalogDb) {}

  async writeProducts(items: readonly CatalogWrite[]): Promise<WriteEffects> {
    return this.db.writeProducts(items);
  }

  async deleteProduct(id: string): Promise<WriteEffects | undefined> {
    return this.db.deleteProduct(id);
  }

  async capGrowth(capped: boolean): Promise<void> {
    this.db.capGrowth(capped);
  }

  async close(): Promise<void> {}
}

/** What the writer thread answers: the effects without vectors (the caller has them, in order). */
export type WriterEffects = Omit<WriteEffects, 'added'> & { added: { label: number; pid: number; kind: number }[] };

/** A write as posted: texts without vectors, and every vector packed in one array (one copy, not 2,200). */
export interface PackedWrite {
  items: { product: Product; hash: string; texts: { kind: NewText['kind']; text: string }[] }[];
  vectors: Float32Array;
  dimension: number;
}

export type WriterRequest = { id: number } & (
  { op: 'write'; write: PackedWrite } | { op: 'delete'; productId: string } | { op: 'capGrowth'; capped: boolean } | { op: 'close' }
);
export type WriterReply = { id: number } & ({ ok: true; effects?: WriterEffects } | { ok: false; error: string; code?: string });

/**
 * Commits in a writer thread with its own SQLite connection, so a batch's inserts and the fsync of
 * its commit (60 ms for 200 products of 11 texts here, measured with the lexical embedder) never
 * hold the thread that answers HTTP. WAL lets the main thread's connection read meanwhile; it
 * sees a batch once committed, and the store applies the batch to the indexes when the reply comes.
 */
export class WorkerCatalogWriter implements CatalogWriter {
  private readonly rpc: WorkerRpc<WriterRequest>;

  private constructor(private readonly worker: Worker) {
    this.rpc = new WorkerRpc(worker);
    worker.on('message', (reply: WriterReply) => {
      const waiting = this.rpc.take(reply.id);
      if (!waiting) return;
      if (reply.ok) waiting.resolve(reply.effects);
      else waiting.reject(Object.assign(new Error(reply.error), reply.code ? { code: reply.code } : {}));
    });
    worker.on('error', (err) => this.rpc.fail(err));
    worker.on('exit', (code) => this.rpc.fail(new Error(`the catalog writer thread exited (code ${code})`)));
  }

  static async start(catalogPath: string): Promise<WorkerCatalogWriter> {
    const worker = spawnWorker(import.meta.url, 'catalog-writer-worker', { catalogPath });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ready?: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(m.error))));
      worker.once('error', reject);
    });
    return new WorkerCatalogWriter(worker);
  }

  async writeProducts(items: readonly CatalogWrite[]): Promise<WriteEffects> {
    // Packed (packed-vectors.ts); the store reuses the packed array for the replicas.
    const count = items.reduce((n, item) => n + item.texts.length, 0);
    const dimension = count > 0 ? items.find((i) => i.texts.length > 0)!.texts[0].vector.length : 0;
    const vectors = packVectors(
      items.flatMap((item) => item.texts.map((t) => t.vector)),
      count,
      dimension,
    );
    const write: PackedWrite = {
      items: items.map((i) => ({ product: i.product, hash: i.hash, texts: i.texts.map((t) => ({ kind: t.kind, text: t.text })) })),
      vectors,
      dimension,
    };
    const effects = await this.rpc.call<WriterEffects>({ op: 'write', write });
    // The writer lists added texts in input order (product by product, text by text): give them their vectors back.
    if (count !== effects.added.length) throw new Error(`catalog writer added ${effects.added.length} texts for ${count} given`);
    return {
      ...effects,
      added: effects.added.map((a, i) => ({ ...a, vector: packedRow(vectors, dimension, i) })),
      packedVectors: vectors,
    };
  }

  async deleteProduct(productId: string): Promise<WriteEffects | undefined> {
    const effects = await this.rpc.call<WriterEffects | undefined>({ op: 'delete', productId });
    return effects && { ...effects, added: [] };
  }

  async capGrowth(capped: boolean): Promise<void> {
    await this.rpc.call({ op: 'capGrowth', capped });
  }

  async close(): Promise<void> {
    if (!this.rpc.failed()) await this.rpc.call({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
