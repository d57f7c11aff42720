/**
 * Chooses and builds the embedder from configuration.
 *
 * `lexical` -> LexicalEmbedder (offline, no model).
 * `minilm`  -> TransformersEmbedder; when the model is unavailable, either fall back to the lexical embedder with
 *              one loud warning (`onUnavailable: 'fallback'`) or rethrow the ModelUnavailableError ('fail').
 * Errors other than ModelUnavailableError (e.g. invalid options) always propagate.
 */
import type { Embedder } from './embedder.js';
import { LEXICAL_EMBEDDER_ID, LexicalEmbedder } from './lexical-embedder.js';
import { ModelUnavailableError, TransformersEmbedder, type TransformersDtype } from './transformers-embedder.js';

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
}

export async function createEmbedder(opts: CreateEmbedderOptions): Promise<Embedder> {
  if (opts.kind === 'lexical') return new LexicalEmbedder();
  if (opts.kind === 'wordnet') throw new Error('the wordnet embedder is not built yet (issue 6)');
  if (opts.kind !== 'minilm') throw new Error(`unknown embedder kind ${JSON.stringify(opts.kind)}`);

  try {
    return await TransformersEmbedder.load({
      modelId: opts.modelId,
      modelDir: opts.modelDir,
      allowRemoteModels: opts.allowRemoteModels,
      ...(opts.dtype ? { dtype: opts.dtype } : {}),
      ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
      ...(opts.maxBatchSize !== undefined ? { maxBatchSize: opts.maxBatchSize } : {}),
    });
  } catch (err) {
    if (!(err instanceof ModelUnavailableError) || opts.onUnavailable === 'fail') throw err;
    opts.warn(fallbackWarning(err));
    return new LexicalEmbedder();
  }
}

function fallbackWarning(err: ModelUnavailableError): string {
  const cause = err.cause instanceof Error ? `\nUnderlying error: ${err.cause.message}` : '';
  return [
    '!!! EMBEDDING MODEL UNAVAILABLE - USING THE LEXICAL FALLBACK EMBEDDER !!!',
    `The sentence-embedding model ${err.modelId} (${err.dtype}) could not be loaded, so the service is running with ` +
      `the lexical embedder "${LEXICAL_EMBEDDER_ID}" (word-overlap hashing, not semantic similarity). Matches will ` +
      `be noticeably worse, and vectors stored now are tagged "${LEXICAL_EMBEDDER_ID}" and are not interchangeable ` +
      `with ${err.modelId} vectors.`,
    `What failed: ${err.message}${cause}`,
    'Set EMBEDDER=lexical to choose the lexical embedder explicitly (and silence this warning); with ' +
      'NODE_ENV=production a missing model stops start-up instead of falling back.',
  ].join('\n');
}
