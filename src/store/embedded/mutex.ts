/** A minimal async mutex: callers run one at a time, in arrival order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task);
    // Keep the chain alive whatever the task did; the caller sees the task's own outcome.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
