import { textsOf, type Product } from '../../src/core/product.js';
import { LexicalEmbedder } from '../../src/embedding/lexical/lexical-embedder.js';
import { annIndexFactory, DEFAULT_ANN_LIBRARY, type AnnLibrary } from '../../src/store/ann/default-index.js';

/**
 * The ceiling of any ingest path into the embedded store: how fast the ANN library alone takes the
 * catalog's vectors, with no SQLite, HTTP, validation or bookkeeping. The store indexes each
 * product's title in a second index beside its intentions, so both are added, as the store must,
 * and the intention rate it allows is intentions over the time of both. Embedding is timed on its
 * own first (lexical embedder, the same code the server runs), which lets the ingest benchmark
 * estimate how much of an end-to-end rate is embedding.
 */

export interface AnnCeiling {
  library: AnnLibrary;
  efConstruction: number;
  intentions: number;
  titles: number;
  /** Lexical embedding of every text (titles and intentions), in this process. */
  embedSeconds: number;
  /** Adding the intention vectors to their index. */
  intentionAddSeconds: number;
  /** Adding the title vectors to theirs. */
  titleAddSeconds: number;
  /** intentions / intentionAddSeconds: the library's raw add rate. */
  rawIntentionsPerS: number;
  /** intentions / (both adds): the ceiling for a store that indexes titles too; ingest rates are compared with it. */
  ceilingIntentionsPerS: number;
  /** Texts per second through the lexical embedder. */
  embedTextsPerS: number;
}

export function measureAnnCeiling(
  products: readonly Product[],
  opts: { library?: AnnLibrary; efConstruction?: number; batch?: number } = {},
): AnnCeiling {
  const library = opts.library ?? DEFAULT_ANN_LIBRARY;
  const efConstruction = opts.efConstruction ?? 256;
  const batch = opts.batch ?? 256;
  const texts = products.flatMap((p) => textsOf(p));
  const intentionTexts = texts.filter((t) => t.kind === 'intention').map((t) => t.text);
  const titleTexts = texts.filter((t) => t.kind === 'title').map((t) => t.text);

  const embedder = new LexicalEmbedder();
  const embedStarted = performance.now();
  // The embedder returns views into one buffer per call: copy, since the next call reuses it.
  const embedAll = (list: string[]) => {
    const out: Float32Array[] = [];
    for (let i = 0; i < list.length; i += batch) for (const v of embedder.embedSync(list.slice(i, i + batch))) out.push(v.slice());
    return out;
  };
  const intentionVectors = embedAll(intentionTexts);
  const titleVectors = embedAll(titleTexts);
  const embedSeconds = (performance.now() - embedStarted) / 1000;

  const factory = annIndexFactory(library, { efConstruction });
  const addAll = (vectors: Float32Array[]) => {
    const index = factory.create(embedder.dimension, vectors.length);
    const started = performance.now();
    for (let i = 0; i < vectors.length; i += batch) {
      const chunk = vectors.slice(i, i + batch);
      index.add(
        chunk.map((_, j) => i + j),
        chunk,
      );
    }
    return (performance.now() - started) / 1000;
  };
  const intentionAddSeconds = addAll(intentionVectors);
  const titleAddSeconds = addAll(titleVectors);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return {
    library,
    efConstruction,
    intentions: intentionTexts.length,
    titles: titleTexts.length,
    embedSeconds: round(embedSeconds),
    intentionAddSeconds: round(intentionAddSeconds),
    titleAddSeconds: round(titleAddSeconds),
    rawIntentionsPerS: Math.round(intentionTexts.length / intentionAddSeconds),
    ceilingIntentionsPerS: Math.round(intentionTexts.length / (intentionAddSeconds + titleAddSeconds)),
    embedTextsPerS: Math.round(texts.length / embedSeconds),
  };
}
