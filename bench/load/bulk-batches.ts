import { generatedScripts, type GeneratedScript } from '../lib/generated-scripts.js';

/**
 * The request body of a benchmark builder: `scripts` scripts of exactly `stepsPerScript` steps for
 * POST /align/batch, new for every request. Steps come from the generated scripts (several of them
 * joined, since a generated script has ~6 steps), so they repeat inside one request as steps repeat
 * across real scripts (~22 % of a 4,096-step request are repeats). Every step also carries the
 * request's tag: measured on the generated stream, after 10 requests of 4,096 steps only ~half of a
 * new request's texts had not been seen before, so without the tag the embedding cache would make
 * each scenario cheaper than the one before it and the scenarios would not be comparable.
 */

export interface BulkBatchShape {
  scripts: number;
  stepsPerScript: number;
  k: number;
  /** Sent as the request's threshold (undefined: the model's calibrated one). */
  threshold?: number;
}

/** FNV-1a of the tag: a different generated stream per request, the same one for the same tag. */
function seedOf(tag: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < tag.length; i++) h = Math.imul(h ^ tag.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function bulkBatch(tag: string, shape: BulkBatchShape): { scripts: GeneratedScript[]; k: number; threshold?: number } {
  const source = generatedScripts(Number.MAX_SAFE_INTEGER, seedOf(tag));
  const scripts: GeneratedScript[] = [];
  for (let i = 0; i < shape.scripts; i++) {
    const steps: string[] = [];
    let objective: string | undefined;
    while (steps.length < shape.stepsPerScript) {
      const next = source.next().value as GeneratedScript;
      objective ??= next.objective;
      for (const step of next.steps) if (steps.length < shape.stepsPerScript) steps.push(`${step} (list ${tag})`);
    }
    scripts.push({ id: `${tag}-${i}`, objective: objective!, steps });
  }
  return { scripts, k: shape.k, threshold: shape.threshold };
}
