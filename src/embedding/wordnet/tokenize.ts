/**
 * Text -> lowercase word tokens for the WordNet embedder: accents folded, split on anything that
 * is not a letter or digit (so "camp-outs" -> "camp", "outs"; the analyser re-joins hyphenated and
 * spaced collocations against WordNet), possessive "'s" dropped ("father's" -> "father"), other
 * inner apostrophes removed ("don't" -> "dont").
 */
const NON_ASCII = /[^\x00-\x7f]/;
const COMBINING_MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu;

export function tokenize(text: string): string[] {
  let s = NON_ASCII.test(text) ? text.normalize('NFKD').replace(COMBINING_MARKS, '') : text;
  s = s.toLowerCase();
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
