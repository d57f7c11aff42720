/**
 * The precomputed word table the embedder reads at query time: for every WordNet lemma and part of
 * speech, its concept vector already projected to `dimension` floats and quantised to int8 with a
 * per-row scale (~155k rows x 388 bytes ~ 60 MB), plus what a query needs to weight it: the lemma's
 * gloss IDF and the row's tag count (for mixing parts of speech). Rows of one lemma are contiguous.
 */
import type { Pos } from './pos.js';

export interface WordTableData {
  dimension: number;
  maxIdf: number;
  lemmas: string[];
  lemmaIdf: Float32Array;
  lemmaFirstRow: Int32Array;
  lemmaRowCount: Uint8Array;
  rowPos: Uint8Array;
  /** Total tag count of the row's senses. */
  rowTagCount: Float32Array;
  rowScale: Float32Array;
  /** rowCount x dimension, row-major. */
  rows: Int8Array;
}

export class WordTable {
  readonly dimension: number;
  readonly maxIdf: number;
  readonly data: WordTableData;
  private readonly lemmaIndex: Map<string, number>;

  constructor(data: WordTableData) {
    this.data = data;
    this.dimension = data.dimension;
    this.maxIdf = data.maxIdf;
    this.lemmaIndex = new Map();
    data.lemmas.forEach((l, i) => this.lemmaIndex.set(l, i));
  }

  get rowCount(): number {
    return this.data.rowPos.length;
  }

  lemmaId(lemma: string): number {
    return this.lemmaIndex.get(lemma) ?? -1;
  }

  /** Row of (`lemma`, `pos`), or -1. */
  rowOf(lemma: string, pos: Pos): number {
    const id = this.lemmaIndex.get(lemma);
    if (id === undefined) return -1;
    const first = this.data.lemmaFirstRow[id];
    for (let r = first, end = first + this.data.lemmaRowCount[id]; r < end; r++) if (this.data.rowPos[r] === pos) return r;
    return -1;
  }

  isLemma = (lemma: string, pos: Pos): boolean => this.rowOf(lemma, pos) >= 0;

  /** Adds `weight` x row `r` (dequantised) into `out`. */
  addRow(out: Float32Array, r: number, weight: number): void {
    const d = this.dimension;
    const rows = this.data.rows;
    const w = weight * this.data.rowScale[r];
    for (let i = 0, base = r * d; i < d; i++) out[i] += w * rows[base + i];
  }

  /** Row `r` dequantised into a new vector (for tests and diagnostics). */
  rowVector(r: number): Float32Array {
    const v = new Float32Array(this.dimension);
    this.addRow(v, r, 1);
    return v;
  }
}
