import { queryWords } from '../../../core/query-words.js';

/**
 * A step's free text → an FTS5 query that any of its content words can match (BM25 then ranks
 * texts matching more and rarer words higher). Each word is quoted, so FTS5 syntax in the step
 * ("AND", "NEAR", "*", quotes, column filters) is matched as text, never interpreted. Stop words
 * are left out: they match nearly every intention ("because they want to …"). Undefined when no
 * word is left, which matches nothing.
 */
export function ftsQuery(text: string): string | undefined {
  const kept = queryWords(text);
  return kept.length ? kept.map((w) => `"${w}"`).join(' OR ') : undefined;
}
