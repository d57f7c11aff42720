import { STOP_WORDS } from '../../core/stop-words.js';

/** Most words of one query sent to FTS5: a step is at most a few sentences; more adds cost, not ranking. */
const MAX_QUERY_WORDS = 64;

/**
 * A step's free text → an FTS5 query that any of its content words can match (BM25 then ranks
 * texts matching more and rarer words higher). Each word is quoted, so FTS5 syntax in the step
 * ("AND", "NEAR", "*", quotes, column filters) is matched as text, never interpreted. Stop words
 * are left out: they match nearly every intention ("because they want to …"). Undefined when no
 * word is left, which matches nothing.
 */
export function ftsQuery(text: string): string | undefined {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const kept = [...new Set(words.filter((w) => !STOP_WORDS.has(w)))].slice(0, MAX_QUERY_WORDS);
  return kept.length ? kept.map((w) => `"${w}"`).join(' OR ') : undefined;
}
