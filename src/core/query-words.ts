import { STOP_WORDS } from './stop-words.js';

/** Most words of one query a BM25 index is asked for: a step is at most a few sentences; more adds cost, not ranking. */
export const MAX_QUERY_WORDS = 64;

/**
 * A step's free text → the words a BM25 query is made of: lowercased letters-and-digits words,
 * stop words and repeats left out, at most MAX_QUERY_WORDS. Both stores' lexical search build
 * their queries from these (embedded FTS5: fts-query.ts; Qdrant: lexical-search.ts), so they ask
 * for the same words. Empty when no word is left, which matches nothing.
 */
export function queryWords(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => !STOP_WORDS.has(w)))].slice(0, MAX_QUERY_WORDS);
}
