import { createHash } from 'node:crypto';

/**
 * Stable record ids: a hash of what identifies the record (task, script id, step index, product id,
 * origin, ...), not of its position in the output, so the same record gets the same id in every
 * build and labels collected for one build can be joined onto the next. JSON encoding of the parts
 * keeps ("a:b", "c") and ("a", "b:c") apart. 96 bits: collisions are not a concern at millions of records.
 */
export function recordId(parts: readonly (string | number | null)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24);
}
