import type { Embedder } from '../../src/core/embedder.js';

/** An embedder that answers only once the test calls `release()`, so a request can be held mid-flight. */
export function heldEmbedder(inner: Embedder): { embedder: Embedder; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const embedder: Embedder = {
    id: inner.id,
    dimension: inner.dimension,
    defaultThreshold: inner.defaultThreshold,
    embed: async (texts) => {
      await gate;
      return inner.embed(texts);
    },
    close: async () => {},
  };
  return { embedder, release };
}
