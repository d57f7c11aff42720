/** WordNet's four parts of speech, as small integers so they fit typed arrays. */
export const NOUN = 0;
export const VERB = 1;
export const ADJ = 2;
export const ADV = 3;
export type Pos = 0 | 1 | 2 | 3;

export const POS_LIST: readonly Pos[] = [NOUN, VERB, ADJ, ADV];
export const POS_FILE_SUFFIX = ['noun', 'verb', 'adj', 'adv'] as const;
export const POS_LETTER = ['n', 'v', 'a', 'r'] as const;

/** Maps a data-file/sense-key part-of-speech letter or digit to a Pos ('s', adjective satellites, are adjectives). */
export function posOf(code: string): Pos {
  switch (code) {
    case 'n':
    case '1':
      return NOUN;
    case 'v':
    case '2':
      return VERB;
    case 'a':
    case 's':
    case '3':
    case '5':
      return ADJ;
    case 'r':
    case '4':
      return ADV;
    default:
      throw new Error(`unknown WordNet part of speech ${JSON.stringify(code)}`);
  }
}
