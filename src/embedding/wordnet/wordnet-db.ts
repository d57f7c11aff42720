/**
 * The WordNet database in memory, for building the word table: synsets with their words,
 * definitions and relations (compressed-sparse-row pointer arrays), and per lemma and part of
 * speech its senses in WordNet order with their tag counts from index.sense.
 * Only the table builder loads this (a few seconds, ~300 MB transient); query time never does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { wordnetDictPath } from './dict-path.js';
import { parseDataFile } from './parse-data.js';
import { parseIndexFile, parseSenseIndex, senseCountKey } from './parse-index.js';
import { POS_FILE_SUFFIX, POS_LIST, type Pos } from './pos.js';
import { Relation, relationOf } from './relations.js';

export interface Senses {
  /** Synset indices, most frequent sense first. */
  synsets: Int32Array;
  /** Tag count of each sense in the semantic concordances (0 when untagged). */
  tagCounts: Int32Array;
}

export interface WordNet {
  synsetCount: number;
  synsetPos: Uint8Array;
  synsetWords: string[][];
  definitions: string[];
  /** Pointers of synset s are ptrRelation/ptrTarget/ptrSource[ptrStart[s] .. ptrStart[s + 1]). */
  ptrStart: Int32Array;
  ptrRelation: Uint8Array;
  ptrTarget: Int32Array;
  /** 1-based source word of a lexical pointer, 0 for a semantic one. */
  ptrSource: Uint8Array;
  /** lemma -> senses per part of speech (undefined where the lemma has none). */
  senses: Map<string, (Senses | undefined)[]>;
}

export function isLemmaIn(wn: WordNet, lemma: string, pos: Pos): boolean {
  return wn.senses.get(lemma)?.[pos] !== undefined;
}

export function loadWordNet(dictPath = wordnetDictPath()): WordNet {
  const read = (name: string) => readFileSync(join(dictPath, name), 'utf8');
  const raw = POS_LIST.flatMap((pos) => parseDataFile(read(`data.${POS_FILE_SUFFIX[pos]}`)));
  const key = (pos: number, offset: number) => pos * 100_000_000 + offset;
  const indexOf = new Map<number, number>();
  raw.forEach((s, i) => indexOf.set(key(s.pos, s.offset), i));

  const n = raw.length;
  const synsetPos = new Uint8Array(n);
  const ptrStart = new Int32Array(n + 1);
  let total = 0;
  raw.forEach((s, i) => {
    synsetPos[i] = s.pos;
    ptrStart[i] = total;
    total += s.pointers.length;
  });
  ptrStart[n] = total;
  const ptrRelation = new Uint8Array(total);
  const ptrTarget = new Int32Array(total);
  const ptrSource = new Uint8Array(total);
  raw.forEach((s, i) => {
    let k = ptrStart[i];
    for (const p of s.pointers) {
      ptrRelation[k] = relationOf(p.symbol);
      ptrTarget[k] = indexOf.get(key(p.targetPos, p.targetOffset)) ?? -1;
      if (ptrTarget[k] < 0) ptrRelation[k] = Relation.Other;
      ptrSource[k] = p.sourceWord;
      k++;
    }
  });

  const tagCounts = parseSenseIndex(read('index.sense'));
  const senses = new Map<string, (Senses | undefined)[]>();
  for (const pos of POS_LIST) {
    for (const entry of parseIndexFile(read(`index.${POS_FILE_SUFFIX[pos]}`))) {
      const synsets = Int32Array.from(entry.offsets, (o) => indexOf.get(key(pos, o)) ?? -1);
      const counts = Int32Array.from(entry.offsets, (o) => tagCounts.get(senseCountKey(entry.lemma, pos, o)) ?? 0);
      let perPos = senses.get(entry.lemma);
      if (!perPos) senses.set(entry.lemma, (perPos = [undefined, undefined, undefined, undefined]));
      perPos[pos] = { synsets, tagCounts: counts };
    }
  }

  return {
    synsetCount: n,
    synsetPos,
    synsetWords: raw.map((s) => s.words),
    definitions: raw.map((s) => s.definition),
    ptrStart,
    ptrRelation,
    ptrTarget,
    ptrSource,
    senses,
  };
}
