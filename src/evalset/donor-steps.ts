import { Random } from './random.js';
import type { ScriptIn } from './types.js';

export interface DonorStep {
  scriptId: string;
  objective: string | null;
  /** Normalised objective; scripts with the same key count as having the same objective. */
  objectiveKey: string;
  step: string;
}

/** Scripts without an objective get a key of their own: nothing says two of them share one. */
export function objectiveKey(script: { id: string; objective?: string | null }): string {
  const o = script.objective?.trim().toLowerCase().replace(/\s+/g, ' ');
  return o ? `o:${o}` : `id:${script.id}`;
}

/**
 * A fixed-size uniform sample (reservoir sampling, Algorithm R) of all steps of all scripts, filled
 * in a first pass over the scripts file. "Swapped" corruptions draw from it, so a script's donor
 * does not depend on batching or on its position in the file, and memory stays bounded however
 * many scripts there are.
 */
export class DonorReservoir {
  private readonly items: DonorStep[] = [];
  private seen = 0;
  private readonly random: Random;

  constructor(
    seed: number,
    private readonly capacity = 4096,
  ) {
    this.random = Random.for(seed, 'donor-reservoir');
  }

  add(script: ScriptIn): void {
    const key = objectiveKey(script);
    for (const step of script.steps) {
      const item = { scriptId: script.id, objective: script.objective ?? null, objectiveKey: key, step };
      this.seen++;
      if (this.items.length < this.capacity) this.items.push(item);
      else {
        const j = this.random.int(this.seen);
        if (j < this.capacity) this.items[j] = item;
      }
    }
  }

  get size(): number {
    return this.items.length;
  }

  /**
   * A donor step from a script with another objective whose text is not already in the script,
   * or undefined when a bounded number of tries finds none (e.g. every script shares one objective).
   */
  draw(random: Random, key: string, exclude: ReadonlySet<string>): DonorStep | undefined {
    if (this.items.length === 0) return undefined;
    for (let attempt = 0; attempt < 64; attempt++) {
      const item = random.pick(this.items);
      if (item.objectiveKey !== key && !exclude.has(item.step)) return item;
    }
    return undefined;
  }
}
