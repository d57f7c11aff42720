/**
 * Parses one WordNet data file (data.noun, ...) into synset records. Line format (wndb(5)):
 *   offset lex_filenum ss_type w_cnt(hex) {word lex_id(hex)} p_cnt {symbol offset pos source/target(hex)} [frames] | gloss
 * Lines starting with a space are the licence header.
 */
import { posOf, type Pos } from './pos.js';

export interface RawPointer {
  symbol: string;
  targetOffset: number;
  targetPos: Pos;
  /** 1-based index of the source word in this synset; 0 for a semantic (whole-synset) pointer. */
  sourceWord: number;
}

export interface RawSynset {
  offset: number;
  pos: Pos;
  /** Lowercased lemmas, WordNet spelling (spaces as underscores), adjective markers like "(a)" removed. */
  words: string[];
  pointers: RawPointer[];
  /** The definition, without the quoted usage examples. */
  definition: string;
}

export function parseDataFile(text: string): RawSynset[] {
  const out: RawSynset[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (text.charCodeAt(start) !== 0x20 && end > start) out.push(parseDataLine(text.slice(start, end)));
    start = end + 1;
  }
  return out;
}

export function parseDataLine(line: string): RawSynset {
  const bar = line.indexOf(' | ');
  const head = (bar >= 0 ? line.slice(0, bar) : line).trim().split(' ');
  const gloss = bar >= 0 ? line.slice(bar + 3).trim() : '';
  const offset = Number(head[0]);
  const pos = posOf(head[2]);
  const wordCount = parseInt(head[3], 16);
  const words: string[] = [];
  let i = 4;
  for (let w = 0; w < wordCount; w++, i += 2) words.push(head[i].toLowerCase().replace(/\([a-z]+\)$/, ''));
  const pointerCount = Number(head[i++]);
  const pointers: RawPointer[] = [];
  for (let p = 0; p < pointerCount; p++, i += 4) {
    pointers.push({
      symbol: head[i],
      targetOffset: Number(head[i + 1]),
      targetPos: posOf(head[i + 2]),
      sourceWord: parseInt(head[i + 3].slice(0, 2), 16),
    });
  }
  return { offset, pos, words, pointers, definition: definitionOf(gloss) };
}

/** The gloss up to its first quoted example ('a portable shelter ...; "they pitched a tent"'). */
function definitionOf(gloss: string): string {
  const quote = gloss.indexOf('"');
  const def = quote >= 0 ? gloss.slice(0, quote) : gloss;
  return def.replace(/[;\s]+$/, '');
}
