/** What /readyz and the start-up log say about the embedding model in use. */
import type { Embedder } from '../core/embedder.js';
import { ThreadedTransformersEmbedder } from './threaded-transformers-embedder.js';
import { TransformersEmbedder } from './transformers-embedder.js';

export interface ModelInfo {
  /** The id every vector and response carries, e.g. "sentence-transformers/all-MiniLM-L6-v2@fp32". */
  id: string;
  /** The weights: fp32 or q8 (int8) for a transformer; "builtin" for the offline embedders. */
  variant: string;
  /** Where the model was loaded from (a directory, or the hub id). */
  source?: string;
  /** Set when every file was checked against the directory's manifest. */
  verified?: { manifest: string; from: string; files: number; onnxSha256: string[] };
}

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
