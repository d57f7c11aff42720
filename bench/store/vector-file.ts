import { closeSync, openSync, readSync } from 'node:fs';

/** Reads `floats` float32 values written raw to `path` (the benchmarks hand vectors to child processes this way). */
export function readVectorFile(path: string, floats: number): Float32Array {
  const out = new Float32Array(floats);
  const bytes = new Uint8Array(out.buffer);
  const fd = openSync(path, 'r');
  try {
    // Reads of at most 1 GiB: a single readSync cannot return more than 2 GiB.
    for (let off = 0; off < bytes.length;) {
      const got = readSync(fd, bytes, off, Math.min(bytes.length - off, 1 << 30), off);
      if (got <= 0) throw new Error(`benchmark data file ${path} is short`);
      off += got;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
