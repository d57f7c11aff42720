import type { PriorityOptions } from './priority.js';

/**
 * The Embedder port: turns texts into L2-normalised vectors of a fixed dimension.
 *
 * Every vector that enters the store is tagged with `id`, and the store refuses to mix ids,
 * so two embedders must never share an id unless their vectors are interchangeable.
 */
export interface Embedder {
  /** Stable identifier of the model and its settings, e.g. "Xenova/all-MiniLM-L6-v2@q8". */
  readonly id: string;
  /** Length of every vector this embedder returns. */
  readonly dimension: number;
  /** Cosine threshold at which a match is considered useful for this model (calibrated). */
  readonly defaultThreshold: number;
  /**
   * Calibrated thresholds when a product scores by the mean of its texts, or of its m best (m = 3),
   * rather than by its best one (`defaultThreshold`). Absent: the same as `defaultThreshold`.
   */
  readonly aggregateThresholds?: {
    mean: number;
    topm: number;
    /**
     * Calibrated thresholds of weighted hybrid at alpha = 0.5, per aggregation. Absent: the alpha-mix of the
     * semantic and BM25 thresholds (align/scoring/thresholds.ts).
     */
    hybrid?: { max: number; mean: number; topm: number };
  };
  /**
   * Embeds a batch. Returns one L2-normalised vector per input text, in input order.
   * Vectors may be views into one shared buffer; callers must not assume ownership of the buffer.
   * `priority` orders calls that queue for the model (embedding-queue.ts); embedders that compute
   * at once ignore it.
   */
  embed(texts: readonly string[], options?: PriorityOptions): Promise<Float32Array[]>;
  /**
   * The most texts per call that keep one call short, so a bulk write is embedded in short calls and requests
   * queued meanwhile (a live /align) go in between: embedders that compute on the calling thread (lexical,
   * WordNet) hold the HTTP thread for a call; the sentence model serves one call at a time. Absent: any batch
   * size is fine.
   */
  readonly maxTextsPerCall?: number;
  /** Releases native resources (ONNX sessions). Safe to call twice. */
  close(): Promise<void>;
}

/** What /readyz says about the model behind an Embedder. */
export interface ModelInfo {
  /** The id every vector and response carries, e.g. "sentence-transformers/all-MiniLM-L6-v2@fp32". */
  id: string;
  /** The weights: fp32 or q8 (int8) for a transformer; "builtin" for the offline embedders. */
  variant: string;
  /** Where the model was loaded from (a directory, or the hub id). */
  source?: string;
  /** Set when every file was checked against the directory's manifest. */
  verified?: { manifest: string; from: string; files: number; onnxSha256: string[] };
}
