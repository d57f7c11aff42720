/**
 * One word-table cache directory shared by the test files that only need *a* WordNet embedder (not a clean
 * build): the table is built once, by whichever test process gets there first, and loaded (~0.5 s) by every
 * later one and by later runs. Safe to share: the file name carries the embedder id and a hash of the build
 * parameters and format, files are written atomically (temp file + rename), and a torn or stale file is
 * rebuilt. The clean-install build itself is tested once, in wordnet-embedder.test.ts, from an empty dir.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WORDNET_PARAMS, WORDNET_EMBEDDER_ID } from '../../../src/embedding/wordnet/params.js';
import { cacheFileName } from '../../../src/embedding/wordnet/table-cache.js';

export function sharedWordNetCacheDir(): string {
  const dir = join(tmpdir(), 'ecomalign-test-wordnet-cache');
  mkdirSync(dir, { recursive: true });
  // Drop tables of earlier versions (61 MB each); leave temp files of concurrent writers alone.
  const current = cacheFileName(WORDNET_EMBEDDER_ID, { ...DEFAULT_WORDNET_PARAMS });
  for (const f of readdirSync(dir)) if (f.endsWith('.bin') && f !== current) rmSync(join(dir, f), { force: true });
  return dir;
}
