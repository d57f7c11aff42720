/**
 * The word table's binary file: "ECWNTBL1", a little-endian u32 header length, a JSON header,
 * then the arrays, each starting on an 8-byte boundary. Loading maps typed-array views onto the
 * file's bytes (no copy), so resident memory is about the file size.
 */
import { WordTable, type WordTableData } from './word-table.js';

const MAGIC = 'ECWNTBL1';

interface Header {
  id: string;
  paramsHash: string;
  dimension: number;
  maxIdf: number;
  lemmaCount: number;
  rowCount: number;
  /** Byte offsets of each section from the start of the file. */
  sections: Record<string, number>;
  lemmaBytes: number;
}

const align8 = (n: number) => (n + 7) & ~7;

export function serializeWordTable(table: WordTable, id: string, paramsHash: string): Buffer {
  const t = table.data;
  const lemmaBlock = Buffer.from(t.lemmas.join('\n'), 'utf8');
  const arrays: [string, ArrayBufferView][] = [
    ['lemmaIdf', t.lemmaIdf],
    ['lemmaFirstRow', t.lemmaFirstRow],
    ['lemmaRowCount', t.lemmaRowCount],
    ['rowPos', t.rowPos],
    ['rowTagCount', t.rowTagCount],
    ['rowScale', t.rowScale],
    ['rows', t.rows],
  ];
  // Two passes: the header's size depends on the offsets, which depend on the header's size.
  let headerJson = '';
  let sections: Record<string, number> = {};
  for (let pass = 0, headerSize = 0; pass < 3; pass++) {
    let offset = align8(8 + 4 + headerSize);
    sections = { lemmas: offset };
    offset = align8(offset + lemmaBlock.length);
    for (const [name, a] of arrays) {
      sections[name] = offset;
      offset = align8(offset + a.byteLength);
    }
    const header: Header = {
      id,
      paramsHash,
      dimension: t.dimension,
      maxIdf: t.maxIdf,
      lemmaCount: t.lemmas.length,
      rowCount: t.rowPos.length,
      sections,
      lemmaBytes: lemmaBlock.length,
    };
    headerJson = JSON.stringify(header);
    headerSize = Buffer.byteLength(headerJson) + 64; // slack so a longer number does not shift sections
  }
  const last = arrays[arrays.length - 1];
  const total = align8(sections[last[0]] + last[1].byteLength);
  const out = Buffer.alloc(total);
  out.write(MAGIC, 0, 'latin1');
  const hj = Buffer.from(headerJson, 'utf8');
  out.writeUInt32LE(hj.length, 8);
  hj.copy(out, 12);
  lemmaBlock.copy(out, sections.lemmas);
  for (const [name, a] of arrays) Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, sections[name]);
  return out;
}

/** Parses a table file; throws when it is not one or does not match `expect`. */
export function deserializeWordTable(file: Buffer, expect: { id: string; paramsHash: string }): WordTable {
  if (file.length < 12 || file.toString('latin1', 0, 8) !== MAGIC) throw new Error('not a word-table file');
  const headerLength = file.readUInt32LE(8);
  const header = JSON.parse(file.toString('utf8', 12, 12 + headerLength)) as Header;
  if (header.id !== expect.id || header.paramsHash !== expect.paramsHash) {
    throw new Error(`word table is for ${header.id}/${header.paramsHash}, expected ${expect.id}/${expect.paramsHash}`);
  }
  // Views need an aligned base; a Buffer from readFileSync of a large file owns its ArrayBuffer, but copy when not.
  const bytes = file.byteOffset % 8 === 0 ? file : Buffer.from(file);
  const { sections: s, lemmaCount: L, rowCount: R, dimension: d } = header;
  const at = <T>(Ctor: new (b: ArrayBufferLike, o: number, n: number) => T, name: string, n: number): T =>
    new Ctor(bytes.buffer, bytes.byteOffset + s[name], n);
  const data: WordTableData = {
    dimension: d,
    maxIdf: header.maxIdf,
    lemmas: bytes.toString('utf8', s.lemmas, s.lemmas + header.lemmaBytes).split('\n'),
    lemmaIdf: at(Float32Array, 'lemmaIdf', L),
    lemmaFirstRow: at(Int32Array, 'lemmaFirstRow', L),
    lemmaRowCount: at(Uint8Array, 'lemmaRowCount', L),
    rowPos: at(Uint8Array, 'rowPos', R),
    rowTagCount: at(Float32Array, 'rowTagCount', R),
    rowScale: at(Float32Array, 'rowScale', R),
    rows: at(Int8Array, 'rows', R * d),
  };
  if (s.rows + R * d > bytes.length) throw new Error('word-table file is truncated');
  return new WordTable(data);
}
