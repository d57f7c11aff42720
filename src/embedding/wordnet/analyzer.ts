/**
 * Text -> weighted word-table rows, the query-time half of the embedder.
 *   1. tokenize (tokenize.ts) and drop stop words (the lexical embedder's list, which also removes
 *      the "because they want to" template of every intention);
 *   2. join WordNet collocations greedily, longest first ("external hard drive" -> "hard_drive",
 *      "back up" -> "back_up", "sleeping bags" -> "sleeping_bag"); a collocation must start with a
 *      content word;
 *   3. normalise each word with morphy for every part of speech; the word's rows are mixed in
 *      proportion to their tag counts (+ posPrior) and weighted by gloss IDF;
 *   4. words WordNet does not know (brands, model numbers) become a hashed word feature, the same
 *      feature a known lemma carries for itself, so exact matches of unknown words still count.
 * Results per surface form are cached (bounded), so steady-state cost is a few map lookups and one
 * 384-wide multiply-add per row.
 */
import { STOP_WORDS } from '../../core/stop-words.js';
import { hashString } from './hashing.js';
import { morphy } from './morphy.js';
import type { WordNetParams } from './params.js';
import { POS_LIST } from './pos.js';
import { tokenize } from './tokenize.js';
import type { WordTable } from './word-table.js';

export interface Unit {
  rows: Int32Array;
  weights: Float32Array;
  /** For a word WordNet does not know: its feature hash (0 when known) and weight. */
  unknownHash: number;
  unknownWeight: number;
}

const MAX_CACHE = 200_000;
const NONE: Unit = { rows: new Int32Array(0), weights: new Float32Array(0), unknownHash: 0, unknownWeight: 0 };

export class Analyzer {
  private readonly cache = new Map<string, Unit>();

  constructor(
    private readonly table: WordTable,
    private readonly params: WordNetParams,
  ) {}

  /** The units of `text`, in order. */
  analyze(text: string): Unit[] {
    const tokens = tokenize(text);
    const content = tokens.some((t) => !STOP_WORDS.has(t));
    const out: Unit[] = [];
    for (let i = 0; i < tokens.length;) {
      const t = tokens[i];
      if (content && STOP_WORDS.has(t)) {
        i++;
        continue;
      }
      let consumed = 0;
      for (let len = Math.min(3, tokens.length - i); len >= 2 && consumed === 0; len--) {
        const parts = tokens.slice(i, i + len);
        const unit = this.collocation(parts);
        if (unit) {
          out.push(unit);
          consumed = len;
        }
      }
      if (consumed === 0) {
        out.push(this.word(t));
        consumed = 1;
      }
      i += consumed;
    }
    return out;
  }

  /** A known WordNet collocation spelled by `parts` (underscore or, for pairs, hyphen), else undefined. */
  private collocation(parts: string[]): Unit | undefined {
    const key = parts.join('_');
    const cached = this.cache.get(key);
    if (cached) return cached === NONE ? undefined : cached;
    let unit = this.lookup(key);
    if (!unit && parts.length === 2) unit = this.lookup(parts.join('-'));
    this.remember(key, unit ?? NONE);
    return unit;
  }

  private word(surface: string): Unit {
    const cached = this.cache.get(surface);
    if (cached && cached !== NONE) return cached;
    const unit = this.lookup(surface) ?? this.unknown(surface);
    this.remember(surface, unit);
    return unit;
  }

  /** Rows for every part of speech where morphy finds a base form of `word`; undefined when none. */
  private lookup(word: string): Unit | undefined {
    const { table, params } = this;
    const rows: number[] = [];
    for (const pos of POS_LIST) {
      for (const base of morphy(word, pos, table.isLemma)) {
        const r = table.rowOf(base, pos);
        if (r >= 0 && !rows.includes(r)) rows.push(r);
      }
    }
    if (rows.length === 0) return undefined;
    const data = table.data;
    let total = 0;
    for (const r of rows) total += data.rowTagCount[r] + params.posPrior;
    const weights = new Float32Array(rows.length);
    rows.forEach((r, k) => {
      const share = (data.rowTagCount[r] + params.posPrior) / total;
      weights[k] = share * this.idfWeight(data.lemmaIdf[lemmaOfRow(table, r)]);
    });
    return { rows: Int32Array.from(rows), weights, unknownHash: 0, unknownWeight: 0 };
  }

  private unknown(surface: string): Unit {
    return {
      rows: new Int32Array(0),
      weights: new Float32Array(0),
      unknownHash: hashString(surface),
      unknownWeight: this.params.unknownWeight,
    };
  }

  idfWeight(idf: number): number {
    const relative = Math.max(this.params.idfFloor, idf / this.table.maxIdf);
    return relative ** this.params.idfExponent;
  }

  private remember(key: string, unit: Unit): void {
    if (this.cache.size >= MAX_CACHE) this.cache.clear();
    this.cache.set(key, unit);
  }
}

/** The lemma id owning row `r` (binary search over the contiguous first-row array). */
function lemmaOfRow(table: WordTable, r: number): number {
  const first = table.data.lemmaFirstRow;
  let lo = 0;
  let hi = first.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (first[mid] <= r) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
