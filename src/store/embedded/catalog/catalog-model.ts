import type { CatalogDb } from './catalog-db.js';
import { ModelMismatchError } from '../../../core/errors.js';

/**
 * Records the embedding model in a new catalog, and refuses to open one written with another
 * model or dimension: vectors of different models cannot be compared.
 */
export function claimModel(db: CatalogDb, expected: { dataDir: string; modelId: string; dimension: number }): void {
  const model = db.getMeta('model_id');
  const dimension = db.getMeta('dimension');
  if (model === undefined) {
    db.setMeta('model_id', expected.modelId);
    db.setMeta('dimension', String(expected.dimension));
    return;
  }
  if (model !== expected.modelId || Number(dimension) !== expected.dimension) {
    throw new ModelMismatchError(
      `The store in ${expected.dataDir} holds vectors from model "${model}" (${dimension} dimensions), ` +
        `but the active embedder is "${expected.modelId}" (${expected.dimension} dimensions). Vectors of different models ` +
        `cannot be compared. Either select the original model again (EMBEDDER / MODEL_ID), point DATA_DIR at another ` +
        `folder, or delete ${expected.dataDir} and ingest the catalog again.`,
    );
  }
}
