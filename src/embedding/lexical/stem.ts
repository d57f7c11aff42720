function isVowel(c: number): boolean {
  return c === 0x61 || c === 0x65 || c === 0x69 || c === 0x6f || c === 0x75; // a e i o u
}

function hasVowel(w: string, end: number): boolean {
  for (let i = 0; i < end; i++) if (isVowel(w.charCodeAt(i)) || (i > 0 && w.charCodeAt(i) === 0x79)) return true;
  return false;
}

function isAsciiLetters(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 0x61 || c > 0x7a) return false;
  }
  return true;
}

/**
 * A light, deterministic English suffix stripper (not Porter; deliberately conservative). It only needs to
 * map inflections of the same word to one key:
 *   plurals     tents->tent, boxes->box, batteries->batteri, glasses->glass (but bus, analysis kept)
 *   -ing / -ed  grilling->grill, grilled->grill, running->run, baking->bak, needed->need (speed, bring kept)
 *   -ly         quickly->quick
 *   final -y/-e battery->batteri, bake->bak, cookie->cooki (so they meet their inflected forms)
 * Words shorter than 4 letters, and anything that is not plain ASCII letters, are returned unchanged.
 */
export function stem(word: string): string {
  if (word.length < 4 || !isAsciiLetters(word)) return word;
  let w = word;

  // Plurals / third person.
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}i`;
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);

  // Progressive / past.
  let stripped = false;
  if (w.endsWith('ing') && w.length - 3 >= 3 && hasVowel(w, w.length - 3)) {
    w = w.slice(0, -3);
    stripped = true;
  } else if (w.endsWith('ed') && !w.endsWith('eed') && w.length - 2 >= 3 && hasVowel(w, w.length - 2)) {
    w = w.slice(0, -2);
    stripped = true;
  } else if (w.endsWith('ly') && w.length - 2 >= 4) {
    w = w.slice(0, -2);
  }
  if (stripped) {
    // running -> runn -> run; keep ll/ss/zz (grilling -> grill, dressed -> dress).
    const n = w.length;
    const last = w.charCodeAt(n - 1);
    if (n >= 3 && last === w.charCodeAt(n - 2) && !isVowel(last) && last !== 0x6c && last !== 0x73 && last !== 0x7a) {
      w = w.slice(0, -1);
    }
  }

  // Final -y after a consonant -> i; drop a final -e.
  const n = w.length;
  if (n > 3) {
    const last = w.charCodeAt(n - 1);
    if (last === 0x79 && !isVowel(w.charCodeAt(n - 2))) w = `${w.slice(0, -1)}i`;
    else if (last === 0x65) w = w.slice(0, -1);
  }
  return w;
}
