import fc from 'fast-check';

/**
 * Generators of hostile request bodies, as raw strings or bytes, so that the tests can send what
 * JSON.stringify would never produce (NaN, lone surrogates, duplicate and prototype keys, broken
 * UTF-8, absurd nesting).
 */

/** Keys an attacker or a buggy client would try, mixed with the API's real field names. */
const KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'steps',
  'objective',
  'k',
  'threshold',
  'match',
  'filter',
  'categories',
  'productIds',
  'scripts',
  'id',
  'products',
  'title',
  'category',
  'intentions',
  'attributes',
  '',
  ' ',
  '\u0000',
  '💥',
  'a'.repeat(300),
];

/** Strings from every corner of Unicode, including lone surrogates, controls and RTL overrides. */
export const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\udfff',
    '\u202e evil',
    '\ufeff',
    'e\u0301'.repeat(50),
    '𝕏'.repeat(30),
    '\n\r\t',
    '%00',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "'; DROP TABLE products; --",
  ),
  fc.nat({ max: 200_000 }).map((n) => 'x'.repeat(n)),
);

/** Number literals as raw JSON text, including the ones JSON forbids. */
const numberLiteral = fc.oneof(
  fc.double().map((d) => (Number.isFinite(d) ? JSON.stringify(d) : String(d))),
  fc.constantFrom(
    'NaN',
    'Infinity',
    '-Infinity',
    '1e999',
    '-1e999',
    '-0',
    '0.0000000000000000000000001',
    '9007199254740993',
    '1e-400',
    '0x10',
    '01',
    '.5',
    '+1',
  ),
  fc.integer().map(String),
);

/** Raw JSON-ish text for a value, nesting at most `depth` deep. */
export const rawValue: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    oddString.map((s) => JSON.stringify(s)),
    numberLiteral,
    fc.constantFrom('true', 'false', 'null', '"true"', '[]', '{}'),
    fc.array(tie('value'), { maxLength: 6 }).map((items) => `[${items.join(',')}]`),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 8 })), tie('value')), { maxLength: 6 })
      .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  ),
})).value;

/** Bodies built around the real shape, with one part replaced by something hostile. */
export function shaped(fields: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> {
  const names = Object.keys(fields);
  return fc.tuple(fc.subarray(names), fc.array(fc.tuple(fc.constantFrom(...KEYS), rawValue), { maxLength: 2 })).chain(([present, extra]) =>
    fc.tuple(...present.map((name) => fields[name])).map((values) => {
      const entries = present.map((name, i) => `${JSON.stringify(name)}:${values[i]}`);
      for (const [k, v] of extra) entries.push(`${JSON.stringify(k)}:${v}`);
      return `{${entries.join(',')}}`;
    }),
  );
}

const arrayOf = (item: fc.Arbitrary<string>, max: number) => fc.array(item, { maxLength: max }).map((xs) => `[${xs.join(',')}]`);
const stepText = fc.oneof(fc.constant('"light the charcoal"'), rawValue);
const hugeArray = fc
  .tuple(fc.integer({ min: 65, max: 20_000 }), fc.constantFrom('"a"', '1', '{}', '[]', 'null'))
  .map(([n, item]) => `[${Array(n).fill(item).join(',')}]`);

const steps = fc.oneof(arrayOf(stepText, 5), hugeArray, rawValue);
const alignOptions = {
  k: fc.oneof(numberLiteral, rawValue),
  threshold: fc.oneof(numberLiteral, rawValue),
  match: fc.oneof(fc.constantFrom('"intentions"', '"both"', '"INTENTIONS"', '"titles "'), rawValue),
  filter: fc.oneof(
    shaped({
      categories: fc.oneof(arrayOf(fc.oneof(fc.constant('"grilling"'), rawValue), 4), hugeArray),
      productIds: fc.oneof(arrayOf(rawValue, 4), hugeArray),
    }),
    rawValue,
  ),
};

export const alignBody = shaped({ objective: fc.oneof(fc.constant('"Host a barbecue"'), rawValue), steps, ...alignOptions });

const script = shaped({ id: fc.oneof(fc.constant('"s1"'), rawValue), objective: rawValue, steps });
export const alignBatchBody = shaped({ scripts: fc.oneof(arrayOf(script, 3), hugeArray, rawValue), ...alignOptions });

const product = shaped({
  id: fc.oneof(
    fc.constant('"hostile-1"'),
    oddString.map((s) => JSON.stringify(s)),
    rawValue,
  ),
  title: fc.oneof(fc.constant('"A title"'), rawValue),
  category: rawValue,
  intentions: fc.oneof(arrayOf(fc.oneof(fc.constant('"because they want to test"'), rawValue), 4), hugeArray, rawValue),
  attributes: rawValue,
});
export const productsBody = shaped({ products: fc.oneof(arrayOf(product, 3), hugeArray, rawValue) });

/** Whole-body pathologies that no shape-based generator reaches. */
export const pathologicalBody: fc.Arbitrary<string | Buffer> = fc.oneof(
  fc.integer({ min: 1, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 100_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1, max: 100_000 }).map((n) => '['.repeat(n)),
  fc.constantFrom(
    '',
    ' ',
    'null',
    'true',
    '[]',
    '"steps"',
    'NaN',
    '{',
    '{"steps":["a"]',
    '{"steps":["a"]}}',
    '\ufeff{"steps":["a"]}',
    '{"__proto__":{"polluted":true},"steps":["a"]}',
    '{"constructor":{"prototype":{"polluted":true}},"steps":["a"]}',
    '{"steps":["a"],"steps":["b"]}',
    '{"products":[{"id":"p","title":"t","intentions":["i"],"__proto__":{"polluted":true}}]}',
  ),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constant(Buffer.from([0x7b, 0x22, 0x73, 0x74, 0x65, 0x70, 0x73, 0x22, 0x3a, 0x5b, 0x22, 0xc3, 0x28, 0xff, 0x22, 0x5d, 0x7d])),
);

/** Path parameters for /products/:id: the URL layer is hostile too. */
export const productIdPath = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }).map((s) => encodeURIComponent(s)),
  fc.constantFrom(
    '%',
    '%E0%A4%A',
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    '%ff%fe',
    'a'.repeat(5000),
    '__proto__',
    'constructor',
    '%F0%9F%92%A5',
    '?x=1',
    '#frag',
  ),
);

export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json, text/html',
  '',
);
