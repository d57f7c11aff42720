/** What /readyz says about the embedding model in use. */
import type { Embedder, ModelInfo } from '../core/embedder.js';
import { ThreadedTransformersEmbedder } from './threaded-transformers-embedder.js';
import { TransformersEmbedder } from './transformers-embedder.js';

export function modelInfo(embedder: Embedder): ModelInfo {
  if (!(embedder instanceof TransformersEmbedder || embedder instanceof ThreadedTransformersEmbedder))
    return { id: embedder.id, variant: 'builtin' };
  const v = embedder.verified;
  return {
    id: embedder.id,
    variant: embedder.variant,
    source: embedder.source,
    ...(v ? { verified: { manifest: v.manifest, from: v.source, files: v.files, onnxSha256: Object.values(v.onnx) } } : {}),
  };
}
