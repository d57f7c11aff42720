import type { DonorReservoir } from './donor-steps.js';
import { objectiveKey } from './donor-steps.js';
import type { Random } from './random.js';
import { recordId } from './record-id.js';
import type { Corruption, ScriptIn, T1Record } from './types.js';

/**
 * T1, script verification: the script itself as the positive, and up to `negatives` corrupted
 * copies as negatives. Kinds are tried in a random rotation so that with fewer negatives than kinds
 * every kind still appears across the benchmark:
 * - shuffled: the same steps in another order (must differ from the original);
 * - swapped: one step replaced by a step of a script with another objective;
 * - dropped: one step removed (only for scripts of ≥ 3 steps, so a script of ≥ 2 steps remains).
 * Variants with the same steps as the original or as an earlier variant are discarded.
 */
export function t1Records(script: ScriptIn, negatives: number, random: Random, donors: DonorReservoir): T1Record[] {
  const objective = script.objective ?? null;
  const steps = [...script.steps];
  const record = (s: string[], corruption: Corruption | null): T1Record => ({
    id: recordId(['t1', script.id, corruption?.kind ?? 'original', ...s]),
    task: 't1',
    scriptId: script.id,
    objective,
    steps: s,
    silverLabel: corruption ? 0 : 1,
    origin: corruption?.kind ?? 'original',
    corruption,
  });
  const out = [record(steps, null)];
  const seen = new Set([JSON.stringify(steps)]);
  const kinds = random.shuffled(['shuffled', 'swapped', 'dropped'] as const);
  const maxAttempts = negatives * 4 + 3;
  for (let attempt = 0; attempt < maxAttempts && out.length - 1 < negatives; attempt++) {
    const made = corrupt(kinds[attempt % kinds.length], steps, script, random, donors);
    if (!made) continue;
    const key = JSON.stringify(made.steps);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(record(made.steps, made.corruption));
  }
  return out;
}

function corrupt(
  kind: Corruption['kind'],
  steps: readonly string[],
  script: ScriptIn,
  random: Random,
  donors: DonorReservoir,
): { steps: string[]; corruption: Corruption } | undefined {
  if (kind === 'shuffled') {
    if (new Set(steps).size < 2) return undefined; // every order is the same script
    let order = random.shuffled(steps.map((_, i) => i));
    if (order.every((o, i) => steps[o] === steps[i])) {
      // The shuffle reproduced the script: swap two positions holding different steps instead.
      order = steps.map((_, i) => i);
      const j = steps.findIndex((s) => s !== steps[0]);
      [order[0], order[j]] = [order[j], order[0]];
    }
    return { steps: order.map((o) => steps[o]), corruption: { kind, order } };
  }
  if (kind === 'swapped') {
    const donor = donors.draw(random, objectiveKey(script), new Set(steps));
    if (!donor) return undefined;
    const stepIndex = random.int(steps.length);
    const out = steps.slice();
    out[stepIndex] = donor.step;
    return {
      steps: out,
      corruption: {
        kind,
        stepIndex,
        removed: steps[stepIndex],
        inserted: donor.step,
        donorScriptId: donor.scriptId,
        donorObjective: donor.objective,
      },
    };
  }
  if (steps.length < 3) return undefined;
  const stepIndex = random.int(steps.length);
  return { steps: steps.filter((_, i) => i !== stepIndex), corruption: { kind, stepIndex, removed: steps[stepIndex] } };
}
