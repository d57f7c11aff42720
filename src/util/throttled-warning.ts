import type { Logger } from '../core/logger.js';

/**
 * One warning logged at most once per `everyMs`: a condition that repeats on every request (a full
 * disk under the embedding cache) is reported, not written thousands of times a second to a log
 * that may sit on the same full disk. The next line logged says how many were left out.
 */
export class ThrottledWarning {
  private lastAt?: number;
  private suppressed = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly msg: string,
    private readonly everyMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `fields` with the message unless one was logged less than `everyMs` ago; true when logged. */
  warn(fields: object): boolean {
    const at = this.now();
    if (this.lastAt !== undefined && at - this.lastAt < this.everyMs) {
      this.suppressed++;
      return false;
    }
    this.logger.warn(this.suppressed > 0 ? { ...fields, suppressedSinceLast: this.suppressed } : fields, this.msg);
    this.lastAt = at;
    this.suppressed = 0;
    return true;
  }
}
