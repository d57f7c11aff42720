/**
 * Informativeness from a fixed corpus, never from the live catalog (whose changes would shift
 * vectors already indexed):
 *   - gloss IDF: for a word's canonical base form, ln((N + 1) / (df + 1)) where df is the number of
 *     the N WordNet definitions that use it. "make", "use", "part" score low; "tent" high.
 *   - synset information content: 1 - ln(1 + descendants) / ln(1 + size of its part of speech),
 *     from the hyponym tree; "entity" ~ 0, leaves 1. Adjectives and adverbs have no tree: 1.
 */
import { STOP_WORDS } from '../../core/stop-words.js';
import { morphy } from './morphy.js';
import { POS_LIST } from './pos.js';
import { Relation } from './relations.js';
import { tokenize } from './tokenize.js';
import { isLemmaIn, type WordNet } from './wordnet-db.js';

/** The word a surface form is indexed under: itself if it is a lemma, else its first morphy base (noun, verb, adj, adv). */
export function canonicalBase(wn: WordNet, surface: string, cache?: Map<string, string>): string {
  const hit = cache?.get(surface);
  if (hit !== undefined) return hit;
  let base = surface;
  if (!wn.senses.has(surface)) {
    for (const pos of POS_LIST) {
      const found = morphy(surface, pos, (l, p) => isLemmaIn(wn, l, p));
      if (found.length > 0) {
        base = found[0];
        break;
      }
    }
  }
  cache?.set(surface, base);
  return base;
}

/** Content words of each synset's definition, as canonical bases (stop words dropped). */
export function definitionWords(wn: WordNet): string[][] {
  const cache = new Map<string, string>();
  return wn.definitions.map((d) => {
    const out: string[] = [];
    for (const t of tokenize(d)) if (!STOP_WORDS.has(t) && !/^\d+$/.test(t)) out.push(canonicalBase(wn, t, cache));
    return out;
  });
}

export interface GlossIdf {
  /** IDF of a canonical base form (max IDF for words no definition uses). */
  idf(word: string): number;
  readonly maxIdf: number;
}

export function glossIdf(definitions: string[][]): GlossIdf {
  const df = new Map<string, number>();
  for (const words of definitions) for (const w of new Set(words)) df.set(w, (df.get(w) ?? 0) + 1);
  const n = definitions.length;
  const maxIdf = Math.log(n + 1);
  return { idf: (w) => Math.log((n + 1) / ((df.get(w) ?? 0) + 1)), maxIdf };
}

/** Information content of every synset in [0, 1] (see the file comment). */
export function synsetInformation(wn: WordNet): Float32Array {
  const n = wn.synsetCount;
  const descendants = new Float64Array(n);
  const state = new Uint8Array(n); // 0 unvisited, 1 in progress, 2 done
  const visit = (root: number) => {
    // Iterative post-order over hyponym pointers (WordNet's noun tree is ~18 levels deep, but stay safe).
    const stack = [root];
    while (stack.length > 0) {
      const s = stack[stack.length - 1];
      if (state[s] === 0) {
        state[s] = 1;
        for (let k = wn.ptrStart[s]; k < wn.ptrStart[s + 1]; k++) {
          const t = wn.ptrTarget[k];
          if (wn.ptrRelation[k] === Relation.Hyponym && state[t] === 0) stack.push(t);
        }
      } else {
        stack.pop();
        if (state[s] === 2) continue;
        let sum = 0;
        for (let k = wn.ptrStart[s]; k < wn.ptrStart[s + 1]; k++) {
          if (wn.ptrRelation[k] === Relation.Hyponym && state[wn.ptrTarget[k]] === 2) sum += descendants[wn.ptrTarget[k]] + 1;
        }
        descendants[s] = sum;
        state[s] = 2;
      }
    }
  };
  for (let s = 0; s < n; s++) if (state[s] === 0) visit(s);

  const perPos = new Float64Array(4);
  for (let s = 0; s < n; s++) perPos[wn.synsetPos[s]]++;
  const ic = new Float32Array(n);
  for (let s = 0; s < n; s++) {
    const pos = wn.synsetPos[s];
    ic[s] = pos >= 2 ? 1 : Math.max(0, 1 - Math.log1p(descendants[s]) / Math.log1p(perPos[pos]));
  }
  return ic;
}

/** For each canonical definition word, the synsets whose definitions use it (each synset once, ascending). */
export function glossBacklinks(definitions: string[][]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  definitions.forEach((words, s) => {
    for (const w of new Set(words)) {
      const list = out.get(w);
      if (list) list.push(s);
      else out.set(w, [s]);
    }
  });
  return out;
}
