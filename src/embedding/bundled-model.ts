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
 * The shipped model's thresholds other than max (max is 0.45, the EcomScriptBench paper's τ for this model),
 * calibrated on the IntentionQA tuning split by equal selectivity: each is the threshold at which a step gets
 * as many products on average as under max at 0.45, over the whole held-out catalog (353 clauses × 1,710
 * products; `npm run bench -- --only quality`, section (e) of bench/results/quality.md, measured 0.254, 0.255,
 * and for weighted hybrid at alpha 0.5: 0.243, 0.137, 0.138). docs/model.md says what they give, there and on
 * script-shaped steps.
 */
export const MINILM_AGGREGATE_THRESHOLDS = {
  mean: 0.254,
  topm: 0.255,
  hybrid: { max: 0.243, mean: 0.137, topm: 0.138 },
};
