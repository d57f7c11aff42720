import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { csvRow } from '../../src/evalset/csv.js';
import { CsvReader, CsvSyntaxError, unneutralise, type CsvRecord } from '../../src/evalset/csv-reader.js';

const readAll = (text: string, chunk = text.length || 1): CsvRecord[] => {
  const reader = new CsvReader();
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...reader.push(text.slice(i, i + chunk)));
  return [...out, ...reader.end()];
};

describe('CsvReader', () => {
  it('reads what csv.ts writes, whatever the chunking (round trip)', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom('a,b', 'say "hi"', 'two\r\nlines', 'one\nline', '=1+1', '-x', '', ' '),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        (rows, chunk) => {
          // A record of one empty cell is a blank line, which readers skip; give such rows a second cell.
          const written = rows.map((r) => (r.length === 1 && r[0] === '' ? [...r, 'x'] : r));
          const text = written.map((r) => csvRow(r)).join('');
          assert.deepEqual(
            readAll(text, chunk).map((r) => r.fields.map(unneutralise)),
            written.map((r) => r.map((c) => c)),
          );
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it('numbers records by the line they start on, counting line breaks inside quotes', () => {
    const records = readAll('h1,h2\r\n"a\nb",c\r\nd,e\n\nf,"g"');
    assert.deepEqual(records, [
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['a\nb', 'c'] },
      { line: 4, fields: ['d', 'e'] },
      { line: 6, fields: ['f', 'g'] },
    ]);
  });

  it('names the line of malformed quoting', () => {
    assert.throws(
      () => readAll('a,b\nc,"open\nstill open'),
      (e: unknown) => e instanceof CsvSyntaxError && e.line === 2 && /never closed/.test(e.message),
    );
    assert.throws(
      () => readAll('a,b\nc,d"e'),
      (e: unknown) => e instanceof CsvSyntaxError && e.line === 2,
    );
    assert.throws(
      () => readAll('a,"b"c'),
      (e: unknown) => e instanceof CsvSyntaxError && /after the closing quote/.test(e.message),
    );
  });
});
