/**
 * Text -> lowercase word tokens for the WordNet embedder: case, compatibility forms and accents folded
 * as the lexical embedder folds them (lexical/tokenize.ts), split on anything that
 * is not a letter or digit (so "camp-outs" -> "camp", "outs"; the analyser re-joins hyphenated and
 * spaced collocations against WordNet), possessive "'s" dropped ("father's" -> "father"), other
 * inner apostrophes removed ("don't" -> "dont").
 */
import { normalise } from '../lexical/tokenize.js';

const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu;

export function tokenize(text: string): string[] {
  const s = normalise(text);
  const out: string[] = [];
  for (const m of s.matchAll(WORD)) {
    let w = m[0];
    if (w.includes("'") || w.includes('\u2019')) {
      w = w.replace(/['\u2019]s$/, '').replace(/['\u2019]/g, '');
    }
    out.push(w);
  }
  return out;
}
