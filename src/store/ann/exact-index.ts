import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import type { AnnIndex, AnnIndexFactory, AnnSearchResult } from './ann-index.js';
import { l2normalize } from '../../core/vector-math.js';
import { assertIndexFileExists, assertNewBatch, saveAtomically } from './ann-support.js';

/** Embedders already normalise; leaving near-unit vectors untouched keeps their exact floats. */
const NEAR_UNIT = 1e-7;

/**
 * Exact brute-force cosine search over one contiguous, growable Float32Array.
 *
 * Vectors are stored unit-normalised (and queries normalised) so a dot product is the cosine.
 * Removal moves the last row into the hole, so rows stay dense and a scan never meets a tombstone.
 * The scan keeps the best `n` in a bounded min-heap: O(size·dim + size·log n), no full sort.
 * This is the benchmark baseline and the index of choice for small (e.g. filtered) subsets.
 */
export class ExactIndex implements AnnIndex {
  private data: Float32Array;
  private labels: Float64Array;
  private count = 0;
  private readonly slotOf = new Map<number, number>();

  constructor(
    readonly dimension: number,
    initialCapacity = 1024,
  ) {
    if (!Number.isInteger(dimension) || dimension <= 0) throw new Error(`bad dimension ${dimension}`);
    const capacity = Math.min(Math.floor(MAX_TYPED_ARRAY_LENGTH / dimension), Math.max(16, Math.ceil(initialCapacity)));
    this.data = new Float32Array(capacity * dimension);
    this.labels = new Float64Array(capacity);
  }

  size(): number {
    return this.count;
  }

  has(label: number): boolean {
    return this.slotOf.has(label);
  }

  add(labels: readonly number[], vectors: readonly Float32Array[]): void {
    assertNewBatch(labels, vectors, this.dimension, (label) => this.slotOf.has(label));
    this.reserve(this.count + labels.length);
    const dim = this.dimension;
    for (let i = 0; i < labels.length; i++) {
      const slot = this.count++;
      const row = this.data.subarray(slot * dim, slot * dim + dim);
      row.set(vectors[i]);
      l2normalize(row, NEAR_UNIT);
      this.labels[slot] = labels[i];
      this.slotOf.set(labels[i], slot);
    }
  }

  remove(label: number): void {
    const slot = this.slotOf.get(label);
    if (slot === undefined) return;
    this.slotOf.delete(label);
    const last = --this.count;
    if (slot !== last) {
      const dim = this.dimension;
      this.data.copyWithin(slot * dim, last * dim, last * dim + dim);
      this.labels[slot] = this.labels[last];
      this.slotOf.set(this.labels[slot], slot);
    }
  }

  search(query: Float32Array, n: number): AnnSearchResult {
    if (query.length !== this.dimension) {
      throw new Error(`query of length ${query.length}, index dimension is ${this.dimension}`);
    }
    const k = Math.min(Math.floor(n), this.count);
    if (!(k > 0)) return { labels: [], scores: [] };
    const q = l2normalize(Float32Array.from(query), NEAR_UNIT);
    const heapScores = new Float64Array(k);
    const heapSlots = new Int32Array(k);
    const size = scanTopK(this.data, this.count, this.dimension, q, heapScores, heapSlots);
    // Popping the min-heap yields ascending scores; fill the output from the back.
    const labels = new Array<number>(size);
    const scores = new Array<number>(size);
    for (let end = size; end > 0; end--) {
      labels[end - 1] = this.labels[heapSlots[0]];
      scores[end - 1] = heapScores[0];
      siftDown(heapScores, heapSlots, end - 1, heapScores[end - 1], heapSlots[end - 1]);
    }
    return { labels, scores };
  }

  /**
   * File layout (little-endian): 8-byte magic, u32 version, u32 dimension, f64 count,
   * 32-byte SHA-256 of the body, then the body: count f64 labels, count×dimension f32 values.
   */
  save(path: string): void {
    saveAtomically(path, (temp) => {
      const fd = openSync(temp, 'w');
      try {
        const body = [bytesOf(this.labels.subarray(0, this.count)), bytesOf(this.data.subarray(0, this.count * this.dimension))];
        const hash = createHash('sha256');
        for (const part of body) hash.update(part);
        writeSync(fd, makeHeader(this.dimension, this.count, hash.digest()));
        for (const part of body) writeAll(fd, part);
      } finally {
        closeSync(fd);
      }
    });
  }

  memoryBytes(): number {
    // Typed arrays at capacity, plus roughly 40 bytes per Map entry.
    return this.data.byteLength + this.labels.byteLength + this.slotOf.size * 40;
  }

  static load(path: string, dimension: number): ExactIndex {
    assertIndexFileExists(path, 'exact');
    const fd = openSync(path, 'r');
    try {
      const header = new Uint8Array(HEADER_BYTES);
      const fileBytes = fstatSync(fd).size;
      if (fileBytes < HEADER_BYTES || readSync(fd, header, 0, HEADER_BYTES, 0) !== HEADER_BYTES) {
        throw new Error(`exact index file ${path} is truncated`);
      }
      const view = new DataView(header.buffer);
      if (Buffer.from(header.subarray(0, 8)).toString('latin1') !== MAGIC || view.getUint32(8, true) !== VERSION) {
        throw new Error(`${path} is not an exact index file (bad magic/version)`);
      }
      const fileDim = view.getUint32(12, true);
      const count = view.getFloat64(16, true);
      if (fileDim !== dimension) {
        throw new Error(`exact index file ${path} has dimension ${fileDim}, expected ${dimension}`);
      }
      if (!Number.isSafeInteger(count) || count < 0 || fileBytes !== HEADER_BYTES + count * (8 + 4 * dimension)) {
        throw new Error(`exact index file ${path} is corrupt (size does not match its header)`);
      }
      const index = new ExactIndex(dimension, count);
      const body = [bytesOf(index.labels.subarray(0, count)), bytesOf(index.data.subarray(0, count * dimension))];
      const hash = createHash('sha256');
      let position = HEADER_BYTES;
      for (const part of body) {
        readAll(fd, part, position);
        position += part.byteLength;
        hash.update(part);
      }
      if (!hash.digest().equals(header.subarray(24, 56))) {
        throw new Error(`exact index file ${path} is corrupt (checksum mismatch)`);
      }
      for (let slot = 0; slot < count; slot++) {
        const label = index.labels[slot];
        if (!Number.isSafeInteger(label) || label < 0 || index.slotOf.has(label)) {
          throw new Error(`exact index file ${path} is corrupt (bad label ${label})`);
        }
        index.slotOf.set(label, slot);
      }
      index.count = count;
      return index;
    } finally {
      closeSync(fd);
    }
  }

  /** Grows capacity by doubling (capped at the largest typed array) so that `needed` rows fit. */
  private reserve(needed: number): void {
    const capacity = this.labels.length;
    if (needed <= capacity) return;
    const maxRows = Math.floor(MAX_TYPED_ARRAY_LENGTH / this.dimension);
    if (needed > maxRows) throw new Error(`exact index cannot hold more than ${maxRows} vectors`);
    const next = Math.min(maxRows, Math.max(needed, capacity * 2));
    const data = new Float32Array(next * this.dimension);
    data.set(this.data.subarray(0, this.count * this.dimension));
    const labels = new Float64Array(next);
    labels.set(this.labels.subarray(0, this.count));
    this.data = data;
    this.labels = labels;
  }
}

export const exactIndexFactory: AnnIndexFactory = {
  name: 'exact (brute force)',
  create: (dimension, expectedSize) => new ExactIndex(dimension, expectedSize),
  load: (path, dimension) => ExactIndex.load(path, dimension),
};

const MAX_TYPED_ARRAY_LENGTH = 2 ** 32 - 1;
const MAGIC = 'ECALEXA1';
const VERSION = 1;
const HEADER_BYTES = 56;

if (endianness() !== 'LE') throw new Error('ExactIndex files assume a little-endian host');

function makeHeader(dimension: number, count: number, digest: Uint8Array): Uint8Array {
  const header = new Uint8Array(HEADER_BYTES);
  header.set(Buffer.from(MAGIC, 'latin1'), 0);
  const view = new DataView(header.buffer);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, dimension, true);
  view.setFloat64(16, count, true);
  header.set(digest, 24);
  return header;
}

function bytesOf(a: Float32Array | Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Writes in ≤1 GiB pieces (a single write() is capped near 2 GiB). */
function writeAll(fd: number, bytes: Uint8Array): void {
  for (let off = 0; off < bytes.byteLength;) {
    off += writeSync(fd, bytes, off, Math.min(bytes.byteLength - off, 1 << 30));
  }
}

function readAll(fd: number, into: Uint8Array, position: number): void {
  for (let off = 0; off < into.byteLength;) {
    const got = readSync(fd, into, off, Math.min(into.byteLength - off, 1 << 30), position + off);
    if (got <= 0) throw new Error('unexpected end of exact index file');
    off += got;
  }
}

/**
 * The hot loop: dot products of `q` with every row, keeping the best `heapScores.length` in a
 * min-heap (root = worst kept). Four independent accumulators let the CPU overlap the
 * multiply-adds; once the heap is full most rows fail the root comparison and cost only the dot.
 * Returns how many heap entries are filled.
 */
function scanTopK(data: Float32Array, rows: number, dim: number, q: Float32Array, heapScores: Float64Array, heapSlots: Int32Array): number {
  const k = heapScores.length;
  const dim4 = dim - (dim % 4);
  let filled = 0;
  let worst = -Infinity;
  for (let row = 0, base = 0; row < rows; row++, base += dim) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let j = 0;
    for (; j < dim4; j += 4) {
      s0 += data[base + j] * q[j];
      s1 += data[base + j + 1] * q[j + 1];
      s2 += data[base + j + 2] * q[j + 2];
      s3 += data[base + j + 3] * q[j + 3];
    }
    for (; j < dim; j++) s0 += data[base + j] * q[j];
    const score = s0 + s1 + (s2 + s3);
    if (filled < k) {
      siftUp(heapScores, heapSlots, filled++, score, row);
      if (filled === k) worst = heapScores[0];
    } else if (score > worst) {
      siftDown(heapScores, heapSlots, k, score, row);
      worst = heapScores[0];
    }
  }
  return filled;
}

/** Inserts (score, slot) at position `at` (the new last leaf) of a min-heap. */
function siftUp(scores: Float64Array, slots: Int32Array, at: number, score: number, slot: number): void {
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (scores[parent] <= score) break;
    scores[i] = scores[parent];
    slots[i] = slots[parent];
    i = parent;
  }
  scores[i] = score;
  slots[i] = slot;
}

/** Replaces the root of a min-heap of `size` entries with (score, slot) and restores order. */
function siftDown(scores: Float64Array, slots: Int32Array, size: number, score: number, slot: number): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && scores[child + 1] < scores[child]) child++;
    if (scores[child] >= score) break;
    scores[i] = scores[child];
    slots[i] = slots[child];
    i = child;
  }
  scores[i] = score;
  slots[i] = slot;
}
