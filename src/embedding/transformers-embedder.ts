/**
 * TransformersEmbedder: a SentenceBERT-style embedder (e.g. Xenova/all-MiniLM-L6-v2) on @huggingface/transformers.
 *
 * Uses the feature-extraction pipeline with mean pooling over the attention mask and L2 normalisation.
 *
 * Model files are looked up, in order:
 *   1. `<modelDir>/<modelId>/` (MODEL_DIR, transformers.js's local-model layout),
 *   2. `<cacheDir>/<modelId>/` (where an earlier download was cached),
 *   3. the Hugging Face hub, only when `allowRemoteModels` is true (downloaded into `cacheDir`).
 * When a complete local copy exists it is loaded by absolute path, so no network access is attempted even when
 * downloads are allowed.
 *
 * transformers.js keeps its settings in a global `env` object; `load` sets every setting it relies on at each
 * load (loads are serialised) and leaves remote access disabled afterwards when the load disallowed it.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { FeatureExtractionPipeline } from '@huggingface/transformers';
import type { Embedder } from '../core/embedder.js';
import { l2normalize } from '../core/vector-math.js';

export type TransformersDtype = 'q8' | 'fp32';

export interface TransformersEmbedderOptions {
  /** Hugging Face model id, e.g. "Xenova/all-MiniLM-L6-v2". */
  modelId: string;
  /** Local model root (MODEL_DIR): files are expected under `<modelDir>/<modelId>/`. */
  modelDir?: string;
  /** Whether the model may be downloaded from the Hugging Face hub when no local copy is complete. */
  allowRemoteModels: boolean;
  /** Weights to load: 'q8' -> onnx/model_quantized.onnx (default), 'fp32' -> onnx/model.onnx. */
  dtype?: TransformersDtype;
  /** Where downloads are cached (and looked up); default: transformers.js's own cache directory. */
  cacheDir?: string;
  /** Cosine threshold reported as `defaultThreshold` (default 0.45, calibrated for MiniLM). */
  defaultThreshold?: number;
  /** Most texts per ONNX run; larger batches are split (default 64). */
  maxBatchSize?: number;
}

/** Default cosine threshold for MiniLM-family sentence embeddings. */
export const MINILM_DEFAULT_THRESHOLD = 0.45;
export const DEFAULT_MAX_BATCH_SIZE = 64;

const ONNX_FILE: Record<TransformersDtype, string> = {
  q8: 'onnx/model_quantized.onnx',
  fp32: 'onnx/model.onnx',
};
const REQUIRED_TEXT_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

/** The files a model needs under `<MODEL_DIR>/<modelId>/` for the given dtype. */
export function requiredModelFiles(dtype: TransformersDtype = 'q8'): string[] {
  return [...REQUIRED_TEXT_FILES, ONNX_FILE[dtype]];
}

/**
 * The embedding model could not be found or loaded. The message says how to provide it; `cause` holds the
 * underlying error, if any.
 */
export class ModelUnavailableError extends Error {
  readonly modelId: string;
  readonly dtype: TransformersDtype;
  readonly modelDir?: string;
  /** Files that were looked for and not found in the local directories (empty if the failure was elsewhere). */
  readonly missingFiles: string[];

  constructor(
    message: string,
    details: { modelId: string; dtype: TransformersDtype; modelDir?: string; missingFiles?: string[]; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ModelUnavailableError';
    this.modelId = details.modelId;
    this.dtype = details.dtype;
    this.modelDir = details.modelDir;
    this.missingFiles = details.missingFiles ?? [];
  }
}

/** How to provide the model: the exact directory layout under MODEL_DIR, or enabling downloads. */
export function modelProvisioningHelp(modelId: string, dtype: TransformersDtype, modelDir?: string): string {
  const root = modelDir ? resolve(modelDir) : '<MODEL_DIR>';
  const dir = join(root, ...modelId.split('/'));
  const files = requiredModelFiles(dtype)
    .map((f) => `    ${join(dir, f)}`)
    .join('\n');
  return [
    `To provide the model offline, set MODEL_DIR${modelDir ? ` (currently ${JSON.stringify(modelDir)})` : ''} to a directory laid out as:`,
    files,
    `  (the files of https://huggingface.co/${modelId}, e.g. fetched on a machine with network access with` +
      ` \`git clone https://huggingface.co/${modelId}\` or \`huggingface-cli download ${modelId} ${requiredModelFiles(dtype).join(' ')} --local-dir ${dir}\`).`,
    `Or allow the service to download it from the Hugging Face hub: ALLOW_MODEL_DOWNLOAD=true (allowRemoteModels), with network access to huggingface.co.`,
    `Or run with EMBEDDER=lexical to use the offline lexical embedder.`,
  ].join('\n');
}

/** The error's message followed by its nested causes ("fetch failed (getaddrinfo ENOTFOUND huggingface.co)"). */
function describe(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    // Anything can be thrown; String() is the one rendering that works for all of it (a custom toString included).
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- '[object Object]' is an acceptable last resort here
    const msg = e instanceof Error ? e.message : String(e);
    if (msg && !parts.includes(msg)) parts.push(msg);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.length > 1 ? `${parts[0]} (${parts.slice(1).join('; ')})` : (parts[0] ?? 'unknown error');
}

/** Serialises loads: transformers.js's `env` is global, so two concurrent loads must not interleave settings. */
let loadQueue: Promise<unknown> = Promise.resolve();
function serialised<T>(fn: () => Promise<T>): Promise<T> {
  const run = loadQueue.then(fn, fn);
  loadQueue = run.catch(() => undefined);
  return run;
}

type TransformersModule = typeof import('@huggingface/transformers');
let libraryDefaults: { localModelPath: string; cacheDir: string | null } | undefined;

async function importTransformers(): Promise<TransformersModule> {
  const lib = await import('@huggingface/transformers');
  // Capture the library's own defaults once, before we change them, so a load without modelDir/cacheDir
  // does not inherit a previous load's directories.
  libraryDefaults ??= { localModelPath: lib.env.localModelPath, cacheDir: lib.env.cacheDir };
  return lib;
}

function firstCompleteDir(roots: Array<string | undefined>, modelId: string, files: string[]): string | undefined {
  for (const root of roots) {
    if (!root) continue;
    const dir = join(resolve(root), ...modelId.split('/'));
    if (files.every((f) => existsSync(join(dir, f)))) return dir;
  }
  return undefined;
}

export class TransformersEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;
  readonly defaultThreshold: number;
  /** Directory the model was loaded from, or the model id when it came through the hub download path. */
  readonly source: string;
  private readonly maxBatchSize: number;
  private extractor: FeatureExtractionPipeline | null;
  private closing: Promise<void> | null = null;

  private constructor(args: {
    id: string;
    dimension: number;
    defaultThreshold: number;
    maxBatchSize: number;
    source: string;
    extractor: FeatureExtractionPipeline;
  }) {
    this.id = args.id;
    this.dimension = args.dimension;
    this.defaultThreshold = args.defaultThreshold;
    this.maxBatchSize = args.maxBatchSize;
    this.source = args.source;
    this.extractor = args.extractor;
  }

  /**
   * Loads the model and embeds one probe text to learn the output dimension.
   * Throws ModelUnavailableError when the model cannot be found or loaded.
   */
  static async load(opts: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
    const dtype = opts.dtype ?? 'q8';
    const maxBatchSize = opts.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
      throw new RangeError(`maxBatchSize must be a positive integer, got ${maxBatchSize}`);
    }
    if (!opts.modelId || opts.modelId.trim() !== opts.modelId || isAbsolute(opts.modelId) || opts.modelId.includes('..')) {
      // A configuration error, not an unavailable model: never silently replaced by a fallback.
      throw new TypeError(
        `Invalid embedding model id ${JSON.stringify(opts.modelId)}: expected a Hugging Face id "<org>/<name>" such as ` +
          `"Xenova/all-MiniLM-L6-v2"; put local files under MODEL_DIR/<org>/<name>/ rather than passing a path.`,
      );
    }
    const help = (): string => modelProvisioningHelp(opts.modelId, dtype, opts.modelDir);
    const files = requiredModelFiles(dtype);

    return serialised(async () => {
      let lib: TransformersModule;
      try {
        lib = await importTransformers();
      } catch (cause) {
        throw new ModelUnavailableError(
          `Embedding model ${opts.modelId} cannot be loaded: @huggingface/transformers (onnxruntime-node) failed to load: ${describe(cause)}`,
          { modelId: opts.modelId, dtype, modelDir: opts.modelDir, cause },
        );
      }
      const { env } = lib;
      const defaults = libraryDefaults!;

      const localDir = firstCompleteDir([opts.modelDir, opts.cacheDir], opts.modelId, files);
      if (!localDir && !opts.allowRemoteModels) {
        const searched = [opts.modelDir, opts.cacheDir].filter((d): d is string => Boolean(d));
        const where = searched.length
          ? searched.map((d) => join(resolve(d), ...opts.modelId.split('/'))).join(' or ')
          : 'no MODEL_DIR configured';
        const missing = files.filter((f) => !searched.some((d) => existsSync(join(resolve(d), ...opts.modelId.split('/'), f))));
        throw new ModelUnavailableError(
          `Embedding model ${opts.modelId} (${dtype}) was not found locally (looked in ${where}; missing: ${missing.join(', ')}) ` +
            `and downloads are disabled.\n${help()}`,
          { modelId: opts.modelId, dtype, modelDir: opts.modelDir, missingFiles: missing },
        );
      }

      // Global transformers.js settings, set on every load.
      env.allowLocalModels = true;
      env.allowRemoteModels = localDir ? false : opts.allowRemoteModels;
      env.localModelPath = opts.modelDir ? `${resolve(opts.modelDir)}/` : defaults.localModelPath;
      env.cacheDir = opts.cacheDir ? resolve(opts.cacheDir) : defaults.cacheDir;
      env.useFSCache = true;
      env.useBrowserCache = false;

      let extractor: FeatureExtractionPipeline | undefined;
      try {
        // A complete local copy is loaded by absolute path: transformers.js then reads exactly that directory
        // and its per-model-id memoisation cannot mix up two directories holding the same model id.
        extractor = await lib.pipeline('feature-extraction', localDir ?? opts.modelId, {
          dtype,
          device: 'cpu',
          local_files_only: !env.allowRemoteModels,
          ...(opts.cacheDir ? { cache_dir: resolve(opts.cacheDir) } : {}),
        });
        const probe = await extractor(['dimension probe'], { pooling: 'mean', normalize: true });
        const dims = probe.dims;
        if (dims.length !== 2 || dims[0] !== 1 || !(dims[1] > 0)) {
          throw new Error(`unexpected pooled output shape [${dims.join(', ')}]; is this a sentence-embedding model?`);
        }
        return new TransformersEmbedder({
          id: `${opts.modelId}@${dtype}`,
          dimension: dims[1],
          defaultThreshold: opts.defaultThreshold ?? MINILM_DEFAULT_THRESHOLD,
          maxBatchSize,
          source: localDir ?? opts.modelId,
          extractor,
        });
      } catch (cause) {
        if (extractor) await extractor.dispose().catch(() => undefined);
        const from = localDir
          ? `from ${localDir}`
          : `from the Hugging Face hub (no complete local copy under ${opts.modelDir ?? 'MODEL_DIR (unset)'}${opts.cacheDir ? ` or ${opts.cacheDir}` : ''})`;
        throw new ModelUnavailableError(
          `Embedding model ${opts.modelId} (${dtype}) could not be loaded ${from}: ${describe(cause)}\n${help()}`,
          { modelId: opts.modelId, dtype, modelDir: opts.modelDir, cause },
        );
      } finally {
        // Never leave the library able to reach the network when this load disallowed it.
        if (!opts.allowRemoteModels) env.allowRemoteModels = false;
      }
    });
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const extractor = this.extractor;
    if (!extractor) throw new Error(`embedder ${this.id} is closed`);
    const n = texts.length;
    const d = this.dimension;
    const buffer = new Float32Array(n * d);
    const out = new Array<Float32Array>(n);
    if (n === 0) return out;

    // Group texts of similar length into the same ONNX run to minimise padding (padding does not change a
    // text's vector: mean pooling and attention both honour the mask; it only costs time).
    const order = Array.from({ length: n }, (_, i) => i);
    const lengths = texts.map((t) => String(t ?? '').length);
    order.sort((a, b) => lengths[a] - lengths[b] || a - b);

    for (let start = 0; start < n; start += this.maxBatchSize) {
      const idx = order.slice(start, start + this.maxBatchSize);
      const chunk = idx.map((i) => String(texts[i] ?? ''));
      const result = await extractor(chunk, { pooling: 'mean', normalize: true });
      const data = result.data as Float32Array;
      if (result.dims[0] !== chunk.length || result.dims[1] !== d) {
        throw new Error(`embedder ${this.id}: expected output [${chunk.length}, ${d}], got [${result.dims.join(', ')}]`);
      }
      for (let j = 0; j < idx.length; j++) {
        const i = idx[j];
        const v = buffer.subarray(i * d, (i + 1) * d);
        v.set(data.subarray(j * d, (j + 1) * d));
        l2normalize(v);
        out[i] = v;
      }
      result.dispose?.();
    }
    return out;
  }

  async close(): Promise<void> {
    if (!this.closing) {
      const extractor = this.extractor;
      this.extractor = null;
      this.closing = extractor ? extractor.dispose() : Promise.resolve();
    }
    return this.closing;
  }
}
