import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NON_BLANK, explicitClass } from '../../src/util/char-class.js';
import { textSchema } from '../../src/catalog/product-schema.js';
import { annotatorSchema } from '../../src/http/annotate/schemas/annotate-common-schemas.js';
import { renderAnnotateOpenApi, renderOpenApi } from '../../support/openapi-documents.js';

/**
 * The annotator name's pattern was `[^\p{Cc}\p{Cf}\p{Cs}]`, which schemathesis (Python's `re`)
 * cannot read: it generated no valid name, so the annotation API's positive cases went untested.
 * The explicit class must mean exactly the same, and the document must carry it.
 */
describe('explicitClass', () => {
  const property = /[\p{Cc}\p{Cf}\p{Cs}]/u;
  const explicit = new RegExp(explicitClass(property), 'u');

  it('matches exactly the code points the \\p{…} class matches, over all of Unicode', () => {
    let matched = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      const ch = String.fromCodePoint(cp);
      const expected = property.test(ch);
      if (explicit.test(ch) !== expected) assert.fail(`U+${cp.toString(16)}: \\p says ${expected}`);
      if (expected) matched++;
    }
    assert.ok(matched > 2048 + 65, `surrogates and C0/C1 controls at least; matched ${matched}`);
  });

  it('writes BMP code points as \\uXXXX escapes and uses no \\p{…}', () => {
    const source = explicitClass(property, true);
    assert.ok(source.startsWith('[^\\u0000-\\u001f\\u007f-\\u009f'), source.slice(0, 40));
    assert.doesNotMatch(source, /\\p\{/);
  });

  it('keeps the annotator rule: printable names pass, control and formatting characters do not', () => {
    assert.equal(annotatorSchema.safeParse('Ana 😀 Müller').success, true);
    for (const bad of ['a\u202eb', 'a\u0007', 'x\u200by', 'a\ud800', 'tag\u{e0041}']) {
      assert.equal(annotatorSchema.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });

  it("is what the annotation API's OpenAPI document states", async () => {
    const doc = JSON.parse(await renderAnnotateOpenApi());
    const schema = doc.paths['/api/next'].get.parameters.find((p: { name: string }) => p.name === 'annotator').schema;
    // zod states two patterns (printable, not blank) as an allOf.
    const patterns = (schema.allOf as { pattern: string }[]).map((s) => s.pattern);
    const pattern = patterns.find((p) => p.startsWith('^[^'))!;
    assert.equal(patterns.length, 2);
    assert.doesNotMatch(pattern, /\\p\{/);
    // Nor surrogates, which Rust's regex (jsonschema-rs, schemathesis' validator) cannot hold.
    assert.doesNotMatch(pattern, /\\ud[89a-f]/i);
    assert.equal(new RegExp(pattern, 'u').test('a\u202eb'), false);
    assert.equal(new RegExp(pattern, 'u').test('Ana 😀'), true);
  });

  // Found by schemathesis (positive_data_acceptance, ST202): a product title of spaces met the
  // document (minLength 1) and got 400 "must not be blank". The rule is now a pattern, stated in the document.
  it('NON_BLANK is exactly "trim() leaves something", and the service document states it', async () => {
    for (let cp = 0; cp <= 0xffff; cp++) {
      const ch = String.fromCodePoint(cp);
      if (NON_BLANK.test(` ${ch} `) !== ch.trim().length > 0) assert.fail(`U+${cp.toString(16)}`);
    }
    assert.equal(textSchema.safeParse(' \ufeff\u3000 ').success, false);
    assert.equal(textSchema.safeParse('\u001c').success, true, "Python's \\s would call it blank; trim() does not");
    const doc = JSON.parse(await renderOpenApi());
    const title = doc.paths['/products'].post.requestBody.content['application/json'].schema.properties.products.items.properties.title;
    assert.equal(title.pattern, NON_BLANK.source);
    assert.doesNotMatch(title.pattern, /\\s/);
  });
});
