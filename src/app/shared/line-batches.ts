import type { Progress } from '../../util/progress.js';

/**
 * Records read from a JSONL file, handed on in batches of `size`. The bytes of every line read
 * (skipped ones too) count towards the batch being filled, so progress over the file advances by
 * what was read when a batch is done. Ingest, bulk alignment and benchmark construction all stream
 * their input this way.
 */
export class LineBatches<T> {
  private batch: T[] = [];
  private bytes = 0;

  constructor(
    private readonly size: number,
    private readonly progress: Pick<Progress, 'update'>,
    private readonly handle: (batch: T[]) => Promise<void>,
  ) {}

  /** A line of `bytes` was read, whether or not it yields a record. */
  read(bytes: number): void {
    this.bytes += bytes;
  }

  async add(record: T): Promise<void> {
    this.batch.push(record);
    if (this.batch.length >= this.size) await this.flush();
  }

  /** Hands on what is waiting (a last, short batch). */
  async flush(): Promise<void> {
    if (!this.batch.length) return;
    const batch = this.batch;
    await this.handle(batch);
    this.progress.update(this.bytes, batch.length);
    this.batch = [];
    this.bytes = 0;
  }
}
