import { closeSync, openSync, renameSync, writeSync } from 'node:fs';

/**
 * An output file written as `<path>.partial` and renamed to `<path>` on commit, so a crashed build
 * never leaves a file that looks complete. Appends go through a 1 MiB buffer with synchronous
 * writes (natural back-pressure).
 */
export class PartialFile {
  private readonly fd: number;
  private chunks: string[] = [];
  private pending = 0;
  private closed = false;

  constructor(private readonly path: string) {
    this.fd = openSync(`${path}.partial`, 'w');
  }

  write(text: string): void {
    this.chunks.push(text);
    this.pending += text.length;
    if (this.pending >= 1 << 20) this.flush();
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }

  commit(): void {
    this.close();
    renameSync(`${this.path}.partial`, this.path);
  }

  private flush(): void {
    if (!this.chunks.length) return;
    writeSync(this.fd, this.chunks.join(''));
    this.chunks = [];
    this.pending = 0;
  }
}
