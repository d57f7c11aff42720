import type { Aligner } from '../align/aligner.js';
import type { CatalogService } from '../catalog/catalog-service.js';
import type { Embedder } from '../core/embedder.js';
import type { VectorStore } from '../core/vector-store.js';

/**
 * The use cases and adapters the HTTP layer serves from. The composition root (services.ts) builds
 * them; HTTP names only their ports, so it does not depend on how they are wired.
 */
export interface ServedServices {
  embedder: Embedder;
  store: VectorStore;
  aligner: Aligner;
  catalog: CatalogService;
  /** Routes the duration of every embedding batch to `observe` (metrics); replaces any earlier one. */
  setEmbeddingObserver(observe: (seconds: number, texts: number, model: string) => void): void;
  close(): Promise<void>;
}

/**
 * What the HTTP layer serves from. The server listens before the model has loaded (loading a
 * model takes seconds), so services arrive later; until then /readyz and the API answer 503.
 */
export interface AppState {
  services?: ServedServices;
  /** Set when start-up failed for good; reported by /readyz. */
  failure?: string;
}
