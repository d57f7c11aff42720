/** Messages between ThreadedTransformersEmbedder and its model thread (model-thread.ts). */
import type { Embedder } from '../core/embedder.js';
import type { VerifiedModel } from './model-manifest.js';
import type { TransformersDtype } from './transformers-embedder.js';

export interface SerializedError {
  name: string;
  message: string;
  unavailable?: { modelId: string; dtype: TransformersDtype; modelDir?: string; missingFiles: string[] };
  integrity?: { file: string; expectedSha256?: string; actualSha256?: string };
}

export interface ModelThreadInfo {
  id: string;
  dimension: number;
  defaultThreshold: number;
  aggregateThresholds?: Embedder['aggregateThresholds'];
  variant: TransformersDtype;
  source: string;
  verified?: VerifiedModel;
}

export type ModelThreadRequest = { type: 'embed'; id: number; texts: string[] } | { type: 'close' };

export type ModelThreadReply =
  | { type: 'ready'; info: ModelThreadInfo }
  | { type: 'failed'; error: SerializedError }
  | { type: 'embedded'; id: number; vectors: Float32Array }
  | { type: 'error'; id: number; error: SerializedError }
  | { type: 'closed' };
