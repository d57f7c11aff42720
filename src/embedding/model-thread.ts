/**
 * The model's worker thread: loads a TransformersEmbedder here and answers embedding requests.
 *
 * onnxruntime-node runs a session synchronously on the thread that calls it (its async `run` only defers the
 * call with setImmediate), and transformers.js tokenizes in JavaScript on that thread too, so on the HTTP
 * thread a batch of 128 texts held it for about 0.8 s. Here it holds only this thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ModelIntegrityError } from './model-manifest.js';
import type { ModelThreadReply, ModelThreadRequest, SerializedError } from './model-thread-protocol.js';
import { ModelUnavailableError, TransformersEmbedder, type TransformersEmbedderOptions } from './transformers-embedder.js';

const port = parentPort!;

function serialize(err: unknown): SerializedError {
  if (err instanceof ModelUnavailableError) {
    return {
      name: err.name,
      message: err.message,
      unavailable: { modelId: err.modelId, dtype: err.dtype, modelDir: err.modelDir, missingFiles: err.missingFiles },
    };
  }
  if (err instanceof ModelIntegrityError) {
    return {
      name: err.name,
      message: err.message,
      integrity: { file: err.file, expectedSha256: err.expectedSha256, actualSha256: err.actualSha256 },
    };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: e.name, message: e.message };
}

const post = (reply: ModelThreadReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);

let embedder: TransformersEmbedder;
try {
  embedder = await TransformersEmbedder.load(workerData as TransformersEmbedderOptions);
  post({
    type: 'ready',
    info: {
      id: embedder.id,
      dimension: embedder.dimension,
      defaultThreshold: embedder.defaultThreshold,
      ...(embedder.aggregateThresholds ? { aggregateThresholds: embedder.aggregateThresholds } : {}),
      variant: embedder.variant,
      source: embedder.source,
      ...(embedder.verified ? { verified: embedder.verified } : {}),
    },
  });
} catch (err) {
  post({ type: 'failed', error: serialize(err) });
  process.exit(0);
}

port.on('message', (request: ModelThreadRequest) => {
  if (request.type === 'close') {
    void embedder.close().finally(() => {
      post({ type: 'closed' });
      process.exit(0);
    });
    return;
  }
  embedder.embed(request.texts).then(
    (vectors) => {
      // One buffer for the whole batch, moved (not copied) to the caller.
      const packed = new Float32Array(vectors.length * embedder.dimension);
      vectors.forEach((v, i) => packed.set(v, i * embedder.dimension));
      post({ type: 'embedded', id: request.id, vectors: packed }, [packed.buffer]);
    },
    (err: unknown) => post({ type: 'error', id: request.id, error: serialize(err) }),
  );
});
