import { z } from 'zod';
import { alignOptionsShape } from '../align/script-schema.js';
import { SETTINGS } from '../config.js';
import { LIMITS } from '../core/product.js';
import { fromSetting, numeric } from './options.js';

/** Options more than one command declares, with the limits of the domain they feed. */

/** Where the store is and which model embeds: the commands that open the services take these. */
export const storeOptions = {
  'data-dir': fromSetting(SETTINGS.dataDir, 'DIR'),
  embedder: fromSetting(SETTINGS.embedder, 'NAME'),
};

export const portOption = fromSetting(SETTINGS.port, 'N');

/** Products per catalog or store upsert: the same bound as one POST /products. */
export const productBatchSize = numeric('products per upsert', z.number().int().min(1).max(LIMITS.maxProductsPerBatch).default(256));

/** Scripts per alignment call. */
export const scriptBatchSize = numeric('scripts per alignment call', z.number().int().min(1).max(4096).default(64));

/** Products per step and the minimum similarity, as POST /align takes them. */
export const kOption = numeric('products per step', alignOptionsShape.k);
export const thresholdOption = numeric(
  "minimum cosine similarity; unset: the model's calibrated threshold",
  alignOptionsShape.threshold,
  'T',
);
