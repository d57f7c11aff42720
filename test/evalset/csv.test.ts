import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvCell, csvRow } from '../../src/evalset/csv.js';

describe('CSV (RFC 4180)', () => {
  it('quotes fields with commas, quotes or line breaks and doubles inner quotes', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a, b'), '"a, b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('1. a\n2. b'), '"1. a\n2. b"');
    assert.equal(csvCell('cr\rhere'), '"cr\rhere"');
    assert.equal(csvCell(null), '');
    assert.equal(csvCell(3), '3');
    assert.equal(csvRow(['a', 'b,c', '']), 'a,"b,c",\r\n');
  });

  it('defuses spreadsheet formulas with a leading apostrophe, numbers excepted', () => {
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvCell('+1 tent'), "'+1 tent");
    assert.equal(csvCell('-rf'), "'-rf");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell('\tx'), "'\tx");
    assert.equal(csvCell('a=b'), 'a=b');
    assert.equal(csvCell(-0.5), '-0.5');
  });
});
