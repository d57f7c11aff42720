import { Random } from '../../src/evalset/random.js';
import { readSample } from './scaled-catalog.js';

/**
 * Many scripts made from the 31 sample scripts, deterministic for a seed, for bulk-alignment
 * benchmarks. Each takes a sample script's objective and steps, sometimes drops one, and gives
 * most steps one or two qualifiers, so step texts repeat the way they do across real scripts
 * (common steps recur, most wordings are new) instead of 217 texts repeating forever.
 */
const WHEN = [
  'before the guests arrive',
  'this weekend',
  'the night before',
  'first thing in the morning',
  'after work',
  'on Saturday',
  'before it gets dark',
  'while the kids nap',
  'in the afternoon',
  'a week ahead',
  'right after lunch',
  'before leaving',
  'once everyone is home',
  'at the last minute',
  'early on',
  'on the first warm day',
  'before winter',
  'after the rain',
  'on a budget',
  'with a friend',
  'for the first time',
  'like last year',
  'as planned',
  'without rushing',
];
const HOW = [
  'carefully',
  'quickly',
  'with the kids',
  'step by step',
  'as a team',
  'following the checklist',
  'the easy way',
  'to save money',
  'to save time',
  'for a big group',
  'for two people',
  'in the small apartment',
  'in the garage',
  'on the patio',
  'at the campsite',
  'in the kitchen',
  'in the backyard',
  'at grandma’s house',
  'in the new place',
  'outdoors',
];

export interface GeneratedScript {
  id: string;
  objective: string;
  steps: string[];
}

export function* generatedScripts(count: number, seed = 1): Generator<GeneratedScript> {
  const sample = readSample<GeneratedScript>('scripts.jsonl');
  const random = Random.for(seed, 'generated-scripts');
  for (let i = 0; i < count; i++) {
    const base = random.pick(sample);
    let steps = base.steps;
    if (steps.length > 3 && random.float() < 0.3) {
      const drop = random.int(steps.length);
      steps = steps.filter((_, j) => j !== drop);
    }
    steps = steps.map((step) => {
      const r = random.float();
      if (r < 0.2) return step;
      const when = random.pick(WHEN);
      return r < 0.6 ? `${step} ${when}` : `${step} ${random.pick(HOW)} ${when}`;
    });
    yield { id: `gen-${String(i).padStart(7, '0')}`, objective: base.objective, steps };
  }
}
