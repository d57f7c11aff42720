/**
 * The sentence-embedding model that ships with ecomalign: sentence-transformers' all-MiniLM-L6-v2, exported to
 * ONNX by tools/model/export.py and committed under models/ (see models/README.md). Loaded from the repository
 * itself, so a fresh clone serves it with no download.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BUNDLED_MODEL_ID = 'sentence-transformers/all-MiniLM-L6-v2';

/** `<package root>/models`, from src/embedding (tsx) or dist/src/embedding (the build). */
export function bundledModelsRoot(): string {
  const fromSource = fileURLToPath(new URL('../../models', import.meta.url));
  return existsSync(fromSource) ? fromSource : fileURLToPath(new URL('../../../models', import.meta.url));
}

/**
 * Thresholds of the shipped model when a product scores by the mean of its texts or of its 3 best, rather
 * than by its best one (0.45, the paper's τ). PROVISIONAL until calibrated on IntentionQA.
 */
export const MINILM_AGGREGATE_THRESHOLDS = { mean: 0.45, topm: 0.45 };
