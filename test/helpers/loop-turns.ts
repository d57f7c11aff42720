import assert from 'node:assert/strict';

/**
 * Counts turns of the event loop: each count schedules the next for the following turn
 * (setImmediate), so two calls that see different counts ran in different macrotasks. For checks
 * that work is handed back to the loop between slices, without timing anything.
 */
export function countLoopTurns(): { readonly turns: number; stop(): void } {
  let turns = 0;
  let ticking = true;
  const tickOn = () => {
    turns++;
    if (ticking) setImmediate(tickOn);
  };
  setImmediate(tickOn);
  return {
    get turns() {
      return turns;
    },
    stop() {
      ticking = false;
    },
  };
}

/** Waits, turn by turn of the event loop (not by time), until `done` holds; fails after `timeoutMs`. */
export async function until(done: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}
