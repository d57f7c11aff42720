import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncPath } from '../embedded/atomic-file.js';

let tempCounter = 0;

/**
 * Atomic save for writers that can only write to a path (the native index libraries): `write`
 * fills a sibling temp file, which is fsynced and renamed over `path`; then the folder is fsynced
 * so the rename itself is durable. Readers see the old file or the new one, never a torn one.
 */
export function saveAtomically(path: string, write: (tempPath: string) => void): void {
  const temp = `${path}.tmp-${process.pid}-${tempCounter++}`;
  try {
    write(temp);
    fsyncPath(temp);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
  fsyncPath(dirname(path));
}

/** Throws a clear error when an index file is absent (the native loaders' messages are poor). */
export function assertIndexFileExists(path: string, kind: string): void {
  if (!existsSync(path)) throw new Error(`${kind} index file not found: ${path}`);
}

/** Labels must be non-negative safe integers (they become native u64 keys / size_t labels). */
export function assertLabel(label: number): void {
  if (!Number.isSafeInteger(label) || label < 0) {
    throw new Error(`ANN label must be a non-negative safe integer, got ${label}`);
  }
}
