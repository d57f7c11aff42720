/**
 * A character class written out as explicit ranges: `[^\p{Cc}\p{Cf}]` becomes `[^\u0000-\u001f…]`.
 * JavaScript reads both, but JSON Schema tools outside JavaScript (Python's `re`, used by
 * schemathesis and hypothesis-jsonschema) do not know `\p{…}`, so an OpenAPI `pattern` with it
 * cannot be used there. Built from the running engine's own Unicode tables, so it means exactly
 * what the `\p{…}` form means. BMP code points are written as \uXXXX; others as the character
 * itself, which both Python's `re` and a JavaScript `u`-flag regex read as one code point.
 */
export function explicitClass(property: RegExp, negated = false): string {
  const test = new RegExp(`^${property.source}$`, 'u');
  const ranges: [number, number][] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (!test.test(String.fromCodePoint(cp))) continue;
    const last = ranges[ranges.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  const char = (cp: number) => (cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : String.fromCodePoint(cp));
  const body = ranges.map(([a, b]) => (a === b ? char(a) : `${char(a)}-${char(b)}`)).join('');
  return `[${negated ? '^' : ''}${body}]`;
}

/**
 * Not blank: some character that String.prototype.trim() would not remove. A regex, not a refine,
 * so an OpenAPI document built from the schema states it too (a `pattern`), written out so it means
 * the same to JSON Schema tools outside JavaScript, whose `\s` differs (Python's includes
 * U+001C–U+001F, JavaScript's U+FEFF).
 */
export const NON_BLANK = new RegExp(explicitClass(/\s/u, true), 'u');
