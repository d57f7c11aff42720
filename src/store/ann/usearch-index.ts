import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createHash } from 'node:crypto';
import { Index, MetricKind, ScalarKind } from 'usearch';
import type { AnnIndex, AnnIndexFactory, AnnSearchResult } from './ann-index.js';
import { assertIndexFileExists, assertNewBatch, saveAtomically, withDefaults } from './ann-support.js';

export type UsearchQuantization = 'f32' | 'f16' | 'bf16' | 'i8';

export interface UsearchOptions {
  /** Storage type of the vectors inside the index. Default 'f16' (half the memory of f32). */
  quantization?: UsearchQuantization;
  /** Graph degree M (2·M on the base layer). Default 16. */
  connectivity?: number;
  /** Candidate list size while inserting (efConstruction). Default 256. */
  expansionAdd?: number;
  /** Candidate list size while searching (efSearch); usearch itself raises it to n. Default 128. */
  expansionSearch?: number;
  /**
   * Threads for inserts (0 = all cores). Searches always run on the calling thread. Default 1:
   * usearch 2.26.2's parallel insert loses nodes (live labels no search for their own vector
   * finds; bench/results/ann-choice.md), its single-threaded insert does not.
   */
  buildThreads?: number;
}

// Measured at 1M vectors (bench/index-bench.ts): with expansionAdd 128 recall@10 stays below 0.97
// even at breadth 512; with 256 it reaches 0.979 at breadth 128 (0.934 at 64, 0.989 at 192).
const DEFAULTS: Required<UsearchOptions> = {
  quantization: 'f16',
  connectivity: 16,
  expansionAdd: 256,
  expansionSearch: 128,
  buildThreads: 1,
};

const BYTES_PER_SCALAR: Record<UsearchQuantization, number> = { f32: 4, f16: 2, bf16: 2, i8: 1 };

/**
 * AnnIndex on usearch (HNSW, metric "cos", distance = 1 − cos).
 *
 * usearch grows its own capacity (to the next power of two) on add, reuses removed slots, and
 * never returns removed keys. Its loader trusts the file and crashes the process on garbage, so
 * `save` appends a footer (dimension, length, SHA-256) that `load` verifies before handing the
 * file to the native loader (which ignores trailing bytes).
 */
export class UsearchIndex implements AnnIndex {
  private readonly threads: number;

  private constructor(
    readonly dimension: number,
    private readonly native: Index,
    private readonly options: Required<UsearchOptions>,
  ) {
    this.threads = options.buildThreads > 0 ? options.buildThreads : availableParallelism();
  }

  static create(dimension: number, options: UsearchOptions = {}): UsearchIndex {
    const o = withDefaults(DEFAULTS, options);
    return new UsearchIndex(dimension, makeNative(dimension, o), o);
  }

  static load(path: string, dimension: number, options: UsearchOptions = {}): UsearchIndex {
    assertIndexFileExists(path, 'usearch');
    verifyFooter(path, dimension);
    // Expansion settings are not stored in the file; the ones given here stay in force.
    const o = withDefaults(DEFAULTS, options);
    const native = makeNative(dimension, o);
    try {
      native.load(path);
    } catch (err) {
      throw new Error(`usearch index file ${path} is unreadable: ${(err as Error).message}`, { cause: err });
    }
    if (native.dimensions() !== dimension) {
      throw new Error(`usearch index file ${path} has dimension ${native.dimensions()}, expected ${dimension}`);
    }
    return new UsearchIndex(dimension, native, o);
  }

  size(): number {
    return this.native.size();
  }

  has(label: number): boolean {
    return Number.isSafeInteger(label) && label >= 0 && (this.native.contains(BigInt(label)) as boolean);
  }

  add(labels: readonly number[], vectors: readonly Float32Array[]): void {
    if (labels.length === 0) return;
    const dim = this.dimension;
    const keys = new BigUint64Array(labels.length);
    for (let i = 0; i < labels.length; i++) {
      if (Number.isSafeInteger(labels[i]) && labels[i] >= 0) keys[i] = BigInt(labels[i]);
    }
    const live = this.native.contains(keys) as boolean[]; // one native call for the whole batch
    assertNewBatch(labels, vectors, dim, (_, i) => live[i] === true);
    const flat = new Float32Array(labels.length * dim);
    for (let i = 0; i < labels.length; i++) flat.set(vectors[i], i * dim);
    // Every add passes the same thread count. The binding reserves per-thread insert contexts only
    // when it grows capacity, with the thread count of the add that grew it; an add with more
    // threads than that, within the capacity, throws "Reserve capacity ahead of insertions!" after
    // inserting part of the batch (reproduced on 2.25.3 and 2.26.2: add 1000 and 30 vectors on one
    // thread, then 300 on two). One fixed count keeps the contexts and the adds in step. Passing
    // two threads for a single vector costs nothing measurable (5,110 vs 4,887 single adds/s).
    this.native.add(keys, flat, this.threads);
  }

  remove(label: number): void {
    if (Number.isSafeInteger(label) && label >= 0) this.native.remove(BigInt(label));
  }

  search(query: Float32Array, n: number): AnnSearchResult {
    if (query.length !== this.dimension) {
      throw new Error(`query of length ${query.length}, index dimension is ${this.dimension}`);
    }
    // Clamp: the binding allocates n result slots, and its search uses max(expansion, n) itself.
    const k = Math.min(Math.floor(n), this.native.size());
    if (!(k > 0)) return { labels: [], scores: [] };
    const { keys, distances } = this.native.search(query, k, 1);
    const labels = new Array<number>(keys.length);
    const scores = new Array<number>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      labels[i] = Number(keys[i]);
      scores[i] = 1 - distances[i];
    }
    return { labels, scores };
  }

  save(path: string): void {
    saveAtomically(path, (temp) => {
      this.native.save(temp);
      appendFooter(temp, this.dimension);
    });
  }

  /**
   * Estimate from usearch's layout: per element the quantised vector, the node (key, level,
   * base-layer neighbour list of 2·M u32 slots), upper layers on average 1/(M−1) lists of M,
   * and lookup tables (key hash, vector and node pointers) of ≈ 40 bytes.
   */
  memoryBytes(): number {
    const m = this.native.connectivity();
    const vector = this.dimension * BYTES_PER_SCALAR[this.options.quantization];
    const node = 8 + 2 + 4 + 2 * m * 4 + (4 + m * 4) / (m - 1);
    return this.native.size() * (vector + node + 40);
  }
}

function makeNative(dimension: number, o: Required<UsearchOptions>): Index {
  return new Index({
    dimensions: dimension,
    metric: MetricKind.Cos,
    quantization: o.quantization as ScalarKind,
    connectivity: o.connectivity,
    expansion_add: o.expansionAdd,
    expansion_search: o.expansionSearch,
    multi: false,
  });
}

// Footer: 8-byte magic, u32 version, u32 dimension, f64 length of the native part, 32-byte SHA-256.
const FOOTER_MAGIC = 'ECALUSE1';
const FOOTER_BYTES = 56;

function appendFooter(path: string, dimension: number): void {
  const fd = openSync(path, 'r+');
  try {
    const length = fstatSync(fd).size;
    const footer = Buffer.alloc(FOOTER_BYTES);
    footer.write(FOOTER_MAGIC, 0, 'latin1');
    footer.writeUInt32LE(1, 8);
    footer.writeUInt32LE(dimension, 12);
    footer.writeDoubleLE(length, 16);
    hashRange(fd, length).copy(footer, 24);
    writeSync(fd, footer, 0, FOOTER_BYTES, length);
  } finally {
    closeSync(fd);
  }
}

function verifyFooter(path: string, dimension: number): void {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const footer = Buffer.alloc(FOOTER_BYTES);
    if (size < FOOTER_BYTES || readSync(fd, footer, 0, FOOTER_BYTES, size - FOOTER_BYTES) !== FOOTER_BYTES) {
      throw new Error(`usearch index file ${path} is truncated`);
    }
    if (footer.toString('latin1', 0, 8) !== FOOTER_MAGIC || footer.readUInt32LE(8) !== 1) {
      throw new Error(`usearch index file ${path} is corrupt or was not written by UsearchIndex.save`);
    }
    const fileDimension = footer.readUInt32LE(12);
    if (fileDimension !== dimension) {
      throw new Error(`usearch index file ${path} has dimension ${fileDimension}, expected ${dimension}`);
    }
    const length = footer.readDoubleLE(16);
    if (length !== size - FOOTER_BYTES || !hashRange(fd, length).equals(footer.subarray(24, 56))) {
      throw new Error(`usearch index file ${path} is corrupt (length or checksum mismatch)`);
    }
  } finally {
    closeSync(fd);
  }
}

function hashRange(fd: number, length: number): Buffer {
  const hash = createHash('sha256');
  const chunk = Buffer.alloc(16 << 20);
  for (let position = 0; position < length;) {
    const got = readSync(fd, chunk, 0, Math.min(chunk.length, length - position), position);
    if (got <= 0) throw new Error('unexpected end of file while hashing');
    hash.update(chunk.subarray(0, got));
    position += got;
  }
  return hash.digest();
}

/** Factory for usearch indexes with fixed options. */
export function usearchIndexFactory(options: UsearchOptions = {}): AnnIndexFactory {
  const o = withDefaults(DEFAULTS, options);
  return {
    name: `usearch ${o.quantization} M=${o.connectivity} efC=${o.expansionAdd} ef=${o.expansionSearch} threads=${o.buildThreads || 'all'}`,
    create: (dimension) => UsearchIndex.create(dimension, o),
    load: (path, dimension) => UsearchIndex.load(path, dimension, o),
  };
}
