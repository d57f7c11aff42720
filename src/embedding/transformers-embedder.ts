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
import type { Embedder } from '../core/embedder.js';
import { l2normalize } from '../core/vector-math.js';
import { shippedVariant, verifyModelDir, type VerifiedModel } from './model-manifest.js';
import { SentenceEncoder } from './sentence-encoder.js';

export type TransformersDtype = 'q8' | 'fp32';

export interface TransformersEmbedderOptions {
  /** Hugging Face model id, e.g. "Xenova/all-MiniLM-L6-v2". */
  modelId: string;
  /** Local model root (MODEL_DIR): files are expected under `<modelDir>/<modelId>/`. */
  modelDir?: string;
  /** Whether the model may be downloaded from the Hugging Face hub when no local copy is complete. */
  allowRemoteModels: boolean;
  /**
   * Weights to load: 'q8' -> onnx/model_quantized.onnx, 'fp32' -> onnx/model.onnx. Default: the variant the
   * model directory's manifest ships, else 'q8'.
   */
  dtype?: TransformersDtype;
  /** Where downloads are cached (and looked up); default: transformers.js's own cache directory. */
  cacheDir?: string;
  /** Cosine threshold reported as `defaultThreshold` (default 0.45, calibrated for MiniLM). */
  defaultThreshold?: number;
  /** Most texts per ONNX run; larger batches are split (default 64). */
  maxBatchSize?: number;
  /** Calibrated thresholds under mean and top-m aggregation (Embedder.aggregateThresholds). */
  aggregateThresholds?: Embedder['aggregateThresholds'];
  /** onnxruntime's intra-op threads for one run; 0 or unset: onnxruntime's default (one per physical core). */
  threads?: number;
}

/** Default cosine threshold for MiniLM-family sentence embeddings. */
export const MINILM_DEFAULT_THRESHOLD = 0.45;
export const DEFAULT_MAX_BATCH_SIZE = 64;
/** Most word pieces (texts × the longest, padding included) in one ONNX run; see embed(). */
export const MAX_PIECES_PER_RUN = 4096;

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

/**
 * The first root, in order, holding the model: a directory with a manifest (checked in full, so a missing or
 * altered file throws ModelIntegrityError even when the files look incomplete), or one with every required file.
 */
async function localModelDir(
  roots: Array<string | undefined>,
  modelId: string,
  files: string[],
): Promise<{ dir: string; verified?: VerifiedModel } | undefined> {
  for (const root of roots) {
    if (!root) continue;
    const dir = join(resolve(root), ...modelId.split('/'));
    const verified = await verifyModelDir(dir, files);
    if (verified) return { dir, verified };
    if (files.every((f) => existsSync(join(dir, f)))) return { dir };
  }
  return undefined;
}

function shippedDtype(roots: Array<string | undefined>, modelId: string): TransformersDtype | undefined {
  for (const root of roots) {
    if (!root) continue;
    const variant = shippedVariant(join(resolve(root), ...modelId.split('/')));
    if (variant === 'fp32' || variant === 'q8') return variant;
  }
  return undefined;
}

export class TransformersEmbedder implements Embedder {
  readonly id: string;
  readonly dimension: number;
  readonly defaultThreshold: number;
  /** Directory the model was loaded from, or the model id when it came through the hub download path. */
  readonly source: string;
  /** The weights loaded: 'fp32' or 'q8' (int8). */
  readonly variant: TransformersDtype;
  /** Set when the model directory carries a manifest: every file was checked against its sha256. */
  readonly verified?: VerifiedModel;
  readonly aggregateThresholds?: Embedder['aggregateThresholds'];
  private readonly maxBatchSize: number;
  private encoder: SentenceEncoder | null;
  private closing: Promise<void> | null = null;

  private constructor(args: {
    id: string;
    dimension: number;
    defaultThreshold: number;
    aggregateThresholds?: Embedder['aggregateThresholds'];
    maxBatchSize: number;
    source: string;
    variant: TransformersDtype;
    verified?: VerifiedModel;
    encoder: SentenceEncoder;
  }) {
    this.id = args.id;
    this.dimension = args.dimension;
    this.defaultThreshold = args.defaultThreshold;
    if (args.aggregateThresholds) this.aggregateThresholds = args.aggregateThresholds;
    this.maxBatchSize = args.maxBatchSize;
    this.source = args.source;
    this.variant = args.variant;
    if (args.verified) this.verified = args.verified;
    this.encoder = args.encoder;
  }

  /** Word pieces per text, special tokens included, after truncation: what the model sees. */
  wordPieces(text: string): number {
    if (!this.encoder) throw new Error(`embedder ${this.id} is closed`);
    return this.encoder.ids(text).length;
  }

  /**
   * Loads the model and embeds one probe text to learn the output dimension.
   * Throws ModelUnavailableError when the model cannot be found or loaded.
   */
  static async load(opts: TransformersEmbedderOptions): Promise<TransformersEmbedder> {
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
    // Unset: the variant a shipped model directory's manifest names, else q8 (transformers.js's usual default).
    const dtype = opts.dtype ?? shippedDtype([opts.modelDir, opts.cacheDir], opts.modelId) ?? 'q8';
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

      // A directory that carries a manifest is checked file by file before anything is loaded from it: a missing
      // or altered file stops start-up (ModelIntegrityError), it never falls back to another model or a download.
      const local = await localModelDir([opts.modelDir, opts.cacheDir], opts.modelId, files);
      const localDir = local?.dir;
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

      const verified = local?.verified;
      let model: Awaited<ReturnType<typeof lib.AutoModel.from_pretrained>> | undefined;
      try {
        // A complete local copy is loaded by absolute path: transformers.js then reads exactly that directory
        // and its per-model-id memoisation cannot mix up two directories holding the same model id.
        const from = localDir ?? opts.modelId;
        const common = {
          local_files_only: !env.allowRemoteModels,
          ...(opts.cacheDir ? { cache_dir: resolve(opts.cacheDir) } : {}),
        };
        const tokenizer = await lib.AutoTokenizer.from_pretrained(from, common);
        model = await lib.AutoModel.from_pretrained(from, {
          ...common,
          dtype,
          device: 'cpu',
          ...(opts.threads ? { session_options: { intraOpNumThreads: opts.threads, interOpNumThreads: 1 } } : {}),
        });
        const maxLength = Number(tokenizer.model_max_length);
        const encoder = new SentenceEncoder(tokenizer, model, lib.Tensor, Number.isInteger(maxLength) && maxLength > 2 ? maxLength : 512);
        const dimension = await encoder.probeDimension();
        return new TransformersEmbedder({
          id: `${opts.modelId}@${dtype}`,
          dimension,
          defaultThreshold: opts.defaultThreshold ?? MINILM_DEFAULT_THRESHOLD,
          ...(opts.aggregateThresholds ? { aggregateThresholds: opts.aggregateThresholds } : {}),
          maxBatchSize,
          source: localDir ?? opts.modelId,
          variant: dtype,
          ...(verified ? { verified } : {}),
          encoder,
        });
      } catch (cause) {
        if (model) await model.dispose().catch(() => undefined);
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
    const encoder = this.encoder;
    if (!encoder) throw new Error(`embedder ${this.id} is closed`);
    const n = texts.length;
    const d = this.dimension;
    const buffer = new Float32Array(n * d);
    const out = new Array<Float32Array>(n);
    if (n === 0) return out;

    // Group texts of similar length into the same ONNX run to minimise padding (padding does not change a
    // text's vector: mean pooling and attention both honour the mask; it only costs time), and bound each run
    // by word pieces as well as texts: attention's memory grows with texts × length², and one run of 64 texts
    // of 256 pieces grew the process by 430 MiB, which onnxruntime's arena then keeps.
    const ids = texts.map((t) => encoder.ids(String(t ?? '')));
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => ids[a].length - ids[b].length || a - b);
    let start = 0;
    while (start < n) {
      let end = start + 1;
      while (end < n && end - start < this.maxBatchSize && (end - start + 1) * ids[order[end]].length <= MAX_PIECES_PER_RUN) end++;
      const run = order.slice(start, end);
      await encoder.encodeInto(
        run.map((i) => ids[i]),
        buffer,
        run,
        d,
      );
      start = end;
    }
    for (let i = 0; i < n; i++) {
      const v = buffer.subarray(i * d, (i + 1) * d);
      l2normalize(v);
      out[i] = v;
    }
    return out;
  }

  async close(): Promise<void> {
    if (!this.closing) {
      const encoder = this.encoder;
      this.encoder = null;
      this.closing = encoder ? encoder.dispose() : Promise.resolve();
    }
    return this.closing;
  }
}
