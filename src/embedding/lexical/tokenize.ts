/**
 * Text -> words for the lexical embedder: lowercase with compatibility forms and accents folded, split into
 * maximal runs of letters and digits. It walks the string by code unit rather than with a regular expression
 * and fills a caller-owned array, so embedding allocates nothing per word beyond the word strings.
 */
const NON_ASCII = /[^\p{ASCII}]/u;
const COMBINING_MARKS = /\p{M}+/gu;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Lowercase; for non-ASCII text first fold compatibility forms and strip accents ("Café" -> "cafe", "ＧＲＩＬＬ" -> "grill"). */
export function normalise(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
}

function isWordCode(c: number, s: string, i: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39); // already lowercased
  // Surrogate pairs: test the whole code point on its high half, treat the low half as part of the word.
  if (c >= 0xdc00 && c <= 0xdfff) return i > 0 && isWordCode(s.charCodeAt(i - 1), s, i - 1);
  return WORD_CHAR.test(String.fromCodePoint(s.codePointAt(i) ?? c));
}

function isApostrophe(c: number): boolean {
  return c === 0x27 || c === 0x2019;
}

/**
 * Splits a normalised text into words: maximal runs of letters/digits. Apostrophes inside a word are
 * dropped ("kid's" -> "kids", "don't" -> "dont"). Pushes into `out` (reused between texts).
 */
export function tokenize(s: string, out: string[]): void {
  out.length = 0;
  const n = s.length;
  let i = 0;
  while (i < n) {
    while (i < n && !isWordCode(s.charCodeAt(i), s, i)) i++;
    if (i >= n) break;
    let start = i;
    let word = '';
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isWordCode(c, s, i)) {
        i++;
      } else if (isApostrophe(c) && i + 1 < n && i > start && isWordCode(s.charCodeAt(i + 1), s, i + 1)) {
        word += s.slice(start, i);
        i++;
        start = i;
      } else {
        break;
      }
    }
    out.push(word + s.slice(start, i));
  }
}
