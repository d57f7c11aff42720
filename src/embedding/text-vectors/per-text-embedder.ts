/**
 * Base of the embedders that compute on the calling thread, one text at a time (lexical, WordNet): a subclass
 * writes each text's vector into a zeroed slice, and `embed` is `embedSync` behind a promise, one buffer per batch.
 */
import type { Embedder } from '../../core/embedder.js';
import { embedEach } from './embed-each.js';

export abstract class PerTextEmbedder implements Embedder {
  abstract readonly id: string;
  abstract readonly dimension: number;
  abstract readonly defaultThreshold: number;
  abstract readonly maxTextsPerCall: number;

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    return this.embedSync(texts);
  }

  /** Synchronous variant of `embed` (same result); vectors are views into one buffer for the batch. */
  embedSync(texts: readonly string[]): Float32Array[] {
    return embedEach(texts, this.dimension, (text, out) => this.embedInto(text, out));
  }

  async close(): Promise<void> {
    // Nothing native to release: what a subclass holds is plain memory, garbage-collected.
  }

  /** Writes the vector of `text` into `out` (`dimension` zeroed floats); leaving it zero means "no content". */
  protected abstract embedInto(text: string, out: Float32Array): void;
}
