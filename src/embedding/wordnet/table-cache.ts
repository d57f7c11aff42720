/**
 * Gets the word table: from `${cacheDir}/${id}-${paramsHash}.bin` when present and valid, else
 * built from WordNet (a few seconds) and written there atomically (temp file, fsync, rename), so
 * concurrent first starts cannot leave a torn file. Without a cache directory the table is built
 * in memory every time. Within one process the table is shared by every embedder with the same
 * parameters.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { writeFileAtomic } from '../../util/atomic-file.js';
import { join } from 'node:path';
import { buildWordTable } from './table-build.js';
import { deserializeWordTable, serializeWordTable } from './table-file.js';
import { paramsHash, type WordNetParams } from './params.js';
import type { WordTable } from './word-table.js';

/** Bump when the file layout or the build algorithm changes (part of the cache key). */
export const TABLE_FORMAT_VERSION = 3;

export interface TableSource {
  table: WordTable;
  /** 'cache' when read from disk, 'built' otherwise. */
  origin: 'cache' | 'built';
  path?: string;
  millis: number;
}

const loaded = new Map<string, WordTable>();

export function cacheFileName(id: string, params: WordNetParams): string {
  return `${id}-${paramsHash(params, TABLE_FORMAT_VERSION)}.bin`;
}

export function loadOrBuildWordTable(id: string, params: WordNetParams, cacheDir?: string): TableSource {
  const started = performance.now();
  const hash = paramsHash(params, TABLE_FORMAT_VERSION);
  const path = cacheDir ? join(cacheDir, cacheFileName(id, params)) : undefined;
  const memoKey = `${id}/${hash}/${path ?? ''}`;
  const memo = loaded.get(memoKey);
  if (memo) return { table: memo, origin: 'cache', path, millis: performance.now() - started };

  if (path) {
    try {
      const table = deserializeWordTable(readFileSync(path), { id, paramsHash: hash });
      loaded.set(memoKey, table);
      return { table, origin: 'cache', path, millis: performance.now() - started };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') rmSync(path, { force: true }); // corrupt or stale: rebuild
    }
  }
  const table = buildWordTable(params);
  if (path && cacheDir) {
    mkdirSync(cacheDir, { recursive: true });
    writeFileAtomic(path, serializeWordTable(table, id, hash));
  }
  loaded.set(memoKey, table);
  return { table, origin: 'built', path, millis: performance.now() - started };
}
