/**
 * LexicalEmbedder: an offline, dependency-free embedder based on feature hashing.
 *
 * Each text is normalised and tokenized (tokenize.ts), stop words are dropped (stop-words.ts), the remaining
 * words are stemmed by a light deterministic English suffix stripper (stem.ts: "grilling", "grilled", "grills"
 * and "grill" all become "grill"), and their unigrams, bigrams and character n-grams (features.ts) are hashed
 * (signed) into a fixed number of dimensions (feature-table.ts). Stop words matter because every purchase
 * intention starts with "because they want to", which must not make two intentions look alike.
 * Feature weights are sublinear in their count (1 + ln tf) and every vector is L2-normalised.
 *
 * It is fast (no model, no allocation per feature) and fully deterministic. It is not the fallback when the
 * MiniLM model is unavailable (that is the WordNet embedder, see create-embedder.ts): it runs only when chosen
 * with EMBEDDER=lexical, and it is the embedder of the tests, the benchmarks and the tuning scripts. It captures
 * word overlap, not meaning: synonyms ("barbecue" vs "grill") do not meet.
 *
 * Texts with no word characters (empty, whitespace, punctuation only) embed to the zero vector, which has
 * cosine 0 with everything. A text made only of stop words is embedded from its stop words instead.
 *
 * The vectors are pinned bit for bit by test/embedding/lexical/lexical-vectors-pinned.test.ts: the id below
 * tags stored vectors, so any change to what they contain needs a new id.
 */
import { l2normalize } from '../../core/vector-math.js';
import { PerTextEmbedder } from '../text-vectors/per-text-embedder.js';
import { FeatureTable } from './feature-table.js';
import { addTextFeatures } from './features.js';
import { stem } from './stem.js';
import { STOP_WORDS } from '../../core/stop-words.js';
import { normalise, tokenize } from './tokenize.js';

export const LEXICAL_EMBEDDER_ID = 'lexical-hash-384-v1';
export const LEXICAL_DIMENSION = 384;

/**
 * Provisional cosine threshold for the lexical embedder: roughly where two short intentions that share one
 * content word (and its character n-grams) and differ in one or two others score, while unrelated texts
 * stay near 0 (hash-collision noise is about ±0.05). To be calibrated by the lead on the sample catalog.
 */
export const LEXICAL_DEFAULT_THRESHOLD = 0.3;

/**
 * Thresholds under mean and top-m (m = 3): where a step gets as many products on average as under
 * max at 0.30 (3.2 on the sample data), measured with `npx tsx scripts/aggregate-thresholds.ts`
 * (0.125 and 0.174). A mean is lower than a max, so the same number would return almost nothing.
 */
export const LEXICAL_AGGREGATE_THRESHOLDS = { mean: 0.125, topm: 0.17 };

export interface LexicalEmbedderOptions {
  /** Cosine threshold reported as `defaultThreshold` (default LEXICAL_DEFAULT_THRESHOLD). */
  defaultThreshold?: number;
}

export class LexicalEmbedder extends PerTextEmbedder {
  readonly id = LEXICAL_EMBEDDER_ID;
  readonly dimension = LEXICAL_DIMENSION;
  readonly defaultThreshold: number;
  readonly aggregateThresholds = LEXICAL_AGGREGATE_THRESHOLDS;
  /** ~25 µs a text here: 64 texts hold the thread ~2 ms (see Embedder.maxTextsPerCall). */
  readonly maxTextsPerCall = 64;

  private readonly table = new FeatureTable();
  private readonly words: string[] = [];
  private readonly content: string[] = [];
  private readonly stems: string[] = [];

  constructor(opts: LexicalEmbedderOptions = {}) {
    super();
    this.defaultThreshold = opts.defaultThreshold ?? LEXICAL_DEFAULT_THRESHOLD;
  }

  protected embedInto(text: string, out: Float32Array): void {
    const { words, content, stems, table } = this;
    tokenize(normalise(text), words);
    if (words.length === 0) return; // zero vector

    content.length = 0;
    for (const w of words) if (!STOP_WORDS.has(w)) content.push(w);
    // A text made only of stop words still deserves a vector of its own.
    const source = content.length > 0 ? content : words;

    stems.length = 0;
    for (const w of source) stems.push(stem(w));

    table.clear();
    addTextFeatures(table, source, stems);
    table.scatter(out, this.dimension);
    l2normalize(out);
  }
}
