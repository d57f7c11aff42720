/**
 * Parses WordNet's index files.
 *   index.<pos>: lemma pos synset_cnt p_cnt {ptr_symbol} sense_cnt tagsense_cnt {synset_offset}
 *     The offsets are listed in WordNet's sense order: by decreasing tag count in the semantic
 *     concordances, then in lexicographer order for untagged senses.
 *   index.sense: sense_key synset_offset sense_number tag_cnt, where
 *     sense_key = lemma%ss_type:lex_filenum:lex_id:head_word:head_id.
 */
import { posOf, type Pos } from './pos.js';

export interface IndexEntry {
  lemma: string;
  /** Synset offsets in sense order (most frequent first). */
  offsets: number[];
}

export function parseIndexFile(text: string): IndexEntry[] {
  const out: IndexEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.charCodeAt(0) === 0x20) continue;
    const f = line.trim().split(' ');
    const synsetCount = Number(f[2]);
    out.push({ lemma: f[0], offsets: f.slice(f.length - synsetCount).map(Number) });
  }
  return out;
}

/** Tag counts keyed by senseCountKey(lemma, pos, offset). */
export function parseSenseIndex(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const f = line.split(' ');
    const pct = f[0].indexOf('%');
    const lemma = f[0].slice(0, pct);
    const pos = posOf(f[0].charAt(pct + 1));
    const tagCount = Number(f[3]);
    if (tagCount > 0) counts.set(senseCountKey(lemma, pos, Number(f[1])), tagCount);
  }
  return counts;
}

export function senseCountKey(lemma: string, pos: Pos, offset: number): string {
  return `${lemma}\t${pos}\t${offset}`;
}
