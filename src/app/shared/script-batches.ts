import type { ScriptRecord } from '../../align/script-schema.js';
import type { Progress } from '../../util/progress.js';

/**
 * Scripts read from a JSONL file, handed on in batches of `size`. The bytes of every line read
 * (skipped ones too) count towards the batch being filled, so progress over the file advances by
 * what was read when a batch is done. Bulk alignment and benchmark construction both stream their
 * scripts this way.
 */
export class ScriptBatches {
  private batch: ScriptRecord[] = [];
  private bytes = 0;
  /** Steps of all scripts handed on so far. */
  steps = 0;

  constructor(
    private readonly size: number,
    private readonly progress: Pick<Progress, 'update'>,
    private readonly handle: (batch: ScriptRecord[]) => Promise<void>,
  ) {}

  /** A line of `bytes` was read, whether or not it yields a script. */
  read(bytes: number): void {
    this.bytes += bytes;
  }

  async add(script: ScriptRecord): Promise<void> {
    this.batch.push(script);
    if (this.batch.length >= this.size) await this.flush();
  }

  /** Hands on what is waiting (a last, short batch). */
  async flush(): Promise<void> {
    if (!this.batch.length) return;
    const batch = this.batch;
    await this.handle(batch);
    this.steps += batch.reduce((n, s) => n + s.steps.length, 0);
    this.progress.update(this.bytes, batch.length);
    this.batch = [];
    this.bytes = 0;
  }
}
