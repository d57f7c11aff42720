import { createHash } from 'node:crypto';
import type { Product } from '../core/product.js';

/**
 * Hash of everything that determines a product's stored form and vectors. Includes the model id so
 * that the same content embedded by another model never counts as unchanged.
 */
export function contentHash(product: Product, modelId: string): string {
  const canonical = JSON.stringify([
    modelId,
    product.title,
    product.category ?? null,
    product.intentions,
    product.attributes === undefined ? null : sortKeys(product.attributes),
  ]);
  return createHash('sha256').update(canonical).digest('base64url');
}

/** Attribute key order must not make identical content look changed. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
