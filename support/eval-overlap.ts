/**
 * "No shared content word" check for the no-shared-word evaluation sets (data/eval/noshare-*):
 * a text's content keys are its tokens (the WordNet embedder's tokenizer, which splits hyphens),
 * minus the lexical embedder's stop words, each normalised BOTH by the lexical embedder's stemmer
 * and by WordNet morphy in every part of speech (every base form counts). Two texts share a
 * content word when any key meets: "grilling" ~ "grill", "knives" ~ "knife", "went" ~ "go".
 */
import { stem } from '../src/embedding/lexical/stem.js';
import { STOP_WORDS } from '../src/core/stop-words.js';
import { morphy } from '../src/embedding/wordnet/morphy.js';
import { POS_LIST } from '../src/embedding/wordnet/pos.js';
import { tokenize } from '../src/embedding/wordnet/tokenize.js';
import { isLemmaIn, loadWordNet, type WordNet } from '../src/embedding/wordnet/wordnet-db.js';

export class ContentWords {
  private readonly cache = new Map<string, string[]>();

  constructor(private readonly wn: WordNet = loadWordNet()) {}

  /** Normalised keys of one word (its stem, and the stem of every morphy base form). */
  keys(word: string): string[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const out = new Set([stem(word)]);
    for (const pos of POS_LIST) for (const base of morphy(word, pos, (l, p) => isLemmaIn(this.wn, l, p))) out.add(stem(base));
    const keys = [...out];
    this.cache.set(word, keys);
    return keys;
  }

  /** Map from normalised key to the surface word it came from, for every content word of `texts`. */
  of(texts: readonly string[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const text of texts) {
      for (const t of tokenize(text)) {
        if (STOP_WORDS.has(t)) continue;
        for (const k of this.keys(t)) if (!out.has(k)) out.set(k, t);
      }
    }
    return out;
  }

  /** The step's content words that meet a content word of `texts` ("step word ~ product word"); empty when none. */
  shared(step: string, texts: readonly string[]): string[] {
    const other = this.of(texts);
    const found: string[] = [];
    for (const [k, w] of this.of([step])) if (other.has(k)) found.push(`${w} ~ ${other.get(k)}`);
    return [...new Set(found)];
  }
}
