import { createHash } from 'node:crypto';
import type { TextKind } from '../../core/product.js';

/**
 * Qdrant point ids must be unsigned integers or UUIDs. Ours are name-based UUIDs (RFC 9562 version 5:
 * SHA-1 of a namespace and a name) derived from (product id, text kind, text), so the same text of
 * the same product always lands on the same point: re-ingesting overwrites instead of duplicating,
 * and a retried upsert is harmless.
 */

/** Fixed namespace for ecomalign points (a random UUID chosen once; changing it re-keys every point). */
const NAMESPACE = Buffer.from('6f1d3c52-8a0e-4e0b-9c57-2b4f1e0d7a39'.replace(/-/g, ''), 'hex');

export function pointId(productId: string, kind: TextKind, text: string): string {
  // JSON encoding keeps the three parts unambiguous ("a|b" + "c" vs "a" + "b|c").
  const name = JSON.stringify([productId, kind, text]);
  const bytes = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
