/**
 * Morphological normalisation after WordNet's morphy(7WN): for each part of speech, first the
 * exception list (exceptions.ts), then the word itself if it is a lemma, then WordNet's
 * detachment rules (suffix substitutions), keeping only candidates that are lemmas of that part of
 * speech. Two additions to WordNet's rules, because the shipped data has no verb.exc/adj.exc
 * that would list these forms: after stripping -ing/-ed/-er/-est a doubled final consonant is
 * undoubled ("running" -> "runn" -> "run", "bigger" -> "big"), and -ied/-ier/-iest become -y
 * ("carried" -> "carry", "happier" -> "happy"); both are marked EXTRA below.
 */
import { IRREGULAR_ADJECTIVES, IRREGULAR_NOUNS, IRREGULAR_VERBS } from './exceptions.js';
import { ADJ, ADV, NOUN, VERB, type Pos } from './pos.js';

/** [suffix, replacement] pairs from morphy(7WN), per part of speech. */
export const DETACHMENT_RULES: Readonly<Record<Pos, readonly (readonly [string, string])[]>> = {
  [NOUN]: [
    ['s', ''],
    ['ses', 's'],
    ['xes', 'x'],
    ['zes', 'z'],
    ['ches', 'ch'],
    ['shes', 'sh'],
    ['men', 'man'],
    ['ies', 'y'],
  ],
  [VERB]: [
    ['s', ''],
    ['ies', 'y'],
    ['es', 'e'],
    ['es', ''],
    ['ed', 'e'],
    ['ed', ''],
    ['ing', 'e'],
    ['ing', ''],
  ],
  [ADJ]: [
    ['er', ''],
    ['est', ''],
    ['er', 'e'],
    ['est', 'e'],
  ],
  [ADV]: [],
};

/** EXTRA rules (not WordNet's): forms WordNet lists one by one in its exception files. */
const EXTRA_RULES: Readonly<Record<Pos, readonly (readonly [string, string])[]>> = {
  [NOUN]: [],
  [VERB]: [['ied', 'y']],
  [ADJ]: [
    ['ier', 'y'],
    ['iest', 'y'],
  ],
  [ADV]: [],
};

const EXCEPTIONS: Record<Pos, ReadonlyMap<string, string[]>> = {
  [NOUN]: IRREGULAR_NOUNS,
  [VERB]: IRREGULAR_VERBS,
  [ADJ]: IRREGULAR_ADJECTIVES,
  [ADV]: new Map(),
};

const UNDOUBLE_AFTER = new Set(['ing', 'ed', 'er', 'est']);

/**
 * Base forms of `word` (lowercase; collocations with underscores) for part of speech `pos` that
 * `isLemma` accepts, most specific first, without duplicates. For a collocation only its last
 * word is inflected ("sleeping_bags" -> "sleeping_bag").
 */
export function morphy(word: string, pos: Pos, isLemma: (lemma: string, pos: Pos) => boolean): string[] {
  const out: string[] = [];
  const add = (c: string) => {
    if (c.length > 0 && !out.includes(c) && isLemma(c, pos)) out.push(c);
  };
  const split = word.lastIndexOf('_');
  const prefix = split >= 0 ? word.slice(0, split + 1) : '';
  const last = split >= 0 ? word.slice(split + 1) : word;

  for (const base of EXCEPTIONS[pos].get(last) ?? []) add(prefix + base);
  add(word);
  for (const [suffix, replacement] of [...DETACHMENT_RULES[pos], ...EXTRA_RULES[pos]]) {
    if (last.length <= suffix.length || !last.endsWith(suffix)) continue;
    const stem = last.slice(0, last.length - suffix.length);
    add(prefix + stem + replacement);
    if (replacement === '' && UNDOUBLE_AFTER.has(suffix) && isDoubledConsonant(stem)) add(prefix + stem.slice(0, -1));
  }
  return out;
}

function isDoubledConsonant(s: string): boolean {
  const n = s.length;
  if (n < 3) return false;
  const c = s.charAt(n - 1);
  return c === s.charAt(n - 2) && !'aeiouy'.includes(c);
}
