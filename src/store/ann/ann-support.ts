import { existsSync } from 'node:fs';

/* Small helpers shared by the AnnIndex implementations. */

/** Atomic file replacement, shared with the store's manifest writer. */
export { saveAtomically } from '../../util/atomic-file.js';

/** Throws a clear error when an index file is absent (the native loaders' messages are poor). */
export function assertIndexFileExists(path: string, kind: string): void {
  if (!existsSync(path)) throw new Error(`${kind} index file not found: ${path}`);
}

/**
 * Validates a batch before anything is inserted, so a bad batch leaves the index untouched:
 * labels must be non-negative safe integers (native u64 / size_t keys), distinct within the
 * batch and not already live in the index; vectors must have the index's dimension.
 */
export function assertNewBatch(
  labels: readonly number[],
  vectors: readonly Float32Array[],
  dimension: number,
  isLive: (label: number, i: number) => boolean,
): void {
  if (labels.length !== vectors.length) {
    throw new Error(`${labels.length} labels but ${vectors.length} vectors`);
  }
  const seen = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isSafeInteger(label) || label < 0) {
      throw new Error(`ANN label must be a non-negative safe integer, got ${label}`);
    }
    if (vectors[i].length !== dimension) {
      throw new Error(`vector of length ${vectors[i].length}, index dimension is ${dimension}`);
    }
    if (seen.has(label) || isLive(label, i)) throw new Error(`label ${label} is already in the index`);
    seen.add(label);
  }
}

/** `{ ...defaults, ...options }`, except that options explicitly set to undefined keep the default. */
export function withDefaults<T extends object>(defaults: Required<T>, options: T): Required<T> {
  const merged = { ...defaults };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
