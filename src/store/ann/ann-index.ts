/**
 * Port for an in-process approximate-nearest-neighbour index over unit vectors (cosine).
 *
 * Labels are non-negative integers chosen by the caller (the catalog's text row ids, never reused),
 * so the index never needs its own id mapping. Scores are cosine similarities in [-1, 1], higher is better.
 */
export interface AnnSearchResult {
  labels: number[];
  /** Cosine similarity per label, descending. */
  scores: number[];
}

export interface AnnIndex {
  readonly dimension: number;
  /** Number of live (not removed) vectors. */
  size(): number;
  /** Adds vectors. `vectors[i]` belongs to `labels[i]`; labels are new (callers never reuse one). */
  add(labels: readonly number[], vectors: readonly Float32Array[]): void;
  /** Removes a label; unknown labels are ignored. */
  remove(label: number): void;
  has(label: number): boolean;
  /** The `n` nearest live vectors to `query` (fewer if the index holds fewer), best first. */
  search(query: Float32Array, n: number): AnnSearchResult;
  /** Writes the whole index to `path` atomically (temp file + rename). */
  save(path: string): void;
  /** Approximate resident bytes the index holds natively, for metrics and benchmarks. */
  memoryBytes(): number;
}

export interface AnnIndexFactory {
  /** Human-readable name used in benchmark reports, e.g. "hnswlib-node M=16 efC=200". */
  readonly name: string;
  create(dimension: number, expectedSize: number): AnnIndex;
  /** Loads an index written by `save`. Throws if the file is missing or unreadable. */
  load(path: string, dimension: number): AnnIndex;
}
