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
