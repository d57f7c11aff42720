import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

let tempCounter = 0;

/**
 * Replaces `path` so that readers see either the old or the new content, never a torn one, even
 * if the process dies mid-write: `write` fills a sibling temp file (native index libraries can
 * only write to a path), which is fsynced and renamed over `path`; then the folder is fsynced so
 * the rename itself is durable.
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

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  saveAtomically(path, (temp) => writeFileSync(temp, data));
}

export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
