import type { Embedder } from '../core/embedder.js';

/** Decorates an embedder to report how long each batch takes (for metrics). */
export function timedEmbedder(inner: Embedder, observe: (seconds: number, texts: number) => void): Embedder {
  return {
    id: inner.id,
    dimension: inner.dimension,
    defaultThreshold: inner.defaultThreshold,
    aggregateThresholds: inner.aggregateThresholds,
    maxTextsPerCall: inner.maxTextsPerCall,
    async embed(texts, options) {
      const started = performance.now();
      try {
        return await inner.embed(texts, options);
      } finally {
        observe((performance.now() - started) / 1000, texts.length);
      }
    },
    close: () => inner.close(),
  };
}
