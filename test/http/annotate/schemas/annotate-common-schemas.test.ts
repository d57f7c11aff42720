import assert from 'node:assert/strict';
import { it } from 'node:test';
import { annotatorSchema } from '../../../../src/http/annotate/schemas/annotate-common-schemas.js';

/**
 * The document states the annotator's rules for the name as sent (maxLength, printable, not blank);
 * the server checked some of them after trimming, so " name " of 65 characters met neither the
 * document nor the limit but was accepted. Every rule now holds for the name as sent; then it is trimmed.
 */
it('annotator names: the rules hold for the name as sent, then it is trimmed', () => {
  assert.equal(annotatorSchema.parse('  Ana  '), 'Ana');
  assert.equal(annotatorSchema.safeParse(` ${'a'.repeat(63)} `).success, false, '65 characters as sent');
  assert.equal(annotatorSchema.safeParse('\tAna').success, false, 'a control character, even where trim would remove it');
  assert.equal(annotatorSchema.safeParse('   ').success, false);
  assert.equal(annotatorSchema.safeParse('Ana\ud800').success, false, 'a lone surrogate');
  assert.equal(annotatorSchema.safeParse('Ana 😀').success, true);
});
