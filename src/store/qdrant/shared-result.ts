/**
 * One outcome shared by every caller for `ttlMs` from the moment its request started: concurrent
 * callers share the request in flight, later ones reuse its outcome (a failure too, so a flood of
 * callers costs one request per period even while the answer is an error) until the period ends.
 * invalidate() forgets it, in flight or settled, so the next caller asks again.
 */
export class SharedResult<T> {
  private last?: { at: number; result: Promise<T> };

  constructor(
    private readonly now: () => number,
    private readonly ttlMs: number,
  ) {}

  get(request: () => Promise<T>): Promise<T> {
    const now = this.now();
    if (this.last && now - this.last.at < this.ttlMs) return this.last.result;
    const result = request();
    result.catch(() => {}); // observed by the callers; avoid an unhandled rejection when cached unused
    this.last = { at: now, result };
    return result;
  }

  invalidate(): void {
    this.last = undefined;
  }
}
