import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * The one place that reads the environment. Everything else receives a validated `Config`.
 * Invalid settings stop start-up with a message naming each bad variable.
 */

const boolFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDER: z.enum(['minilm', 'wordnet', 'lexical']).default('minilm'),
  MODEL_ID: z.string().min(1).default('Xenova/all-MiniLM-L6-v2'),
  MODEL_DIR: z.string().min(1).optional(),
  /** Whether the model may be fetched from the Hugging Face hub when it is not found locally. */
  ALLOW_MODEL_DOWNLOAD: boolFromEnv.default(true),
  /** Overrides the active model's calibrated default threshold. */
  DEFAULT_THRESHOLD: z.coerce.number().min(-1).max(1).optional(),
  API_KEY: z.string().min(8, 'API_KEY must be at least 8 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Largest accepted request body. 1000 products with long intention lists need several MiB. */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(512 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Texts per embedding call; bounds memory and the time one call holds the CPU. */
  EMBED_BATCH_SIZE: z.coerce.number().int().min(1).max(4096).default(256),
  /**
   * Candidate list size of the HNSW search (efSearch). Higher finds more of the true neighbours
   * and costs latency; 128 gives recall@10 ≈ 0.95 on the scaled sample catalog (see README).
   */
  ANN_EF_SEARCH: z.coerce.number().int().min(8).max(4096).default(128),
  /**
   * Candidate list size while inserting (efConstruction): 256 reaches recall@10 ≥ 0.97 at 1M
   * vectors; 128 inserts about twice as fast for ~1 point of recall (see README).
   */
  ANN_EF_CONSTRUCTION: z.coerce.number().int().min(8).max(4096).default(256),
  /** ANN library of the embedded store (see bench/results/ann-choice.md for why the default). */
  ANN_INDEX: z.enum(['usearch', 'hnswlib']).default('hnswlib'),
  /** Seconds between background index snapshots (0 disables; a snapshot is always written on close). */
  SNAPSHOT_INTERVAL_S: z.coerce.number().int().min(0).default(300),
  /** Seconds between checks of the embedded indexes against the catalog (missing texts are put back); 0: on open only. */
  INDEX_CHECK_INTERVAL_S: z.coerce.number().int().min(0).default(300),
  /** Texts per check searched by their own vector, to prove the ANN index can return them (a rotating window). */
  INDEX_CHECK_PROBES: z.coerce.number().int().min(0).default(2000),
  /**
   * Most committed texts that may wait for HNSW in the exact tail before writers are slowed to the
   * index's pace: every search scans the tail, so it must stay small (8192 × 384-d ≈ 1–2 ms a scan).
   */
  INDEX_MAX_PENDING_TEXTS: z.coerce.number().int().min(1).default(8192),
  /**
   * A main thread that answers nothing for this long (a native call that never returns) is logged
   * and the process killed, so a supervisor restarts it and recovery replays from SQLite; 0 disables.
   */
  EVENT_LOOP_STALL_EXIT_MS: z.coerce.number().int().min(0).default(30_000),
  /**
   * Worker threads that each hold a replica of the embedded index and answer searches, so search
   * runs beside the HTTP thread and on more than one core. Default: cores − 1, at least 1. 0 keeps
   * the index on the main thread (the issue-10 layout; used by tests that inject index faults).
   */
  SEARCH_THREADS: z.coerce.number().int().min(0).max(256).default(Math.max(1, availableParallelism() - 1)),
  /** Grace period for in-flight requests on shutdown. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),

  /** Persisted embedding cache (keyed by model id and text) shared by ingest, align and the benchmark commands. */
  EMBEDDING_CACHE: boolFromEnv.default(true),

  /** Where vectors live: the in-process store (default) or a Qdrant cluster. */
  STORE: z.enum(['embedded', 'qdrant']).default('embedded'),
  QDRANT_URL: z.url({ protocol: /^https?$/, message: 'QDRANT_URL must be an http(s) URL' }).optional(),
  QDRANT_API_KEY: z.string().min(1).optional(),
  QDRANT_COLLECTION: z.string().regex(/^[A-Za-z0-9_-]{1,255}$/, 'QDRANT_COLLECTION may hold letters, digits, _ and -').default('ecomalign'),
  /** Per-request timeout towards Qdrant. */
  QDRANT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  QDRANT_SHARDS: z.coerce.number().int().min(1).max(1024).default(1),
  QDRANT_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(16).default(1),
  /** int8 scalar quantization with rescoring: ~4x less RAM for vectors at a small recall cost. */
  QDRANT_QUANTIZATION: z.enum(['none', 'int8']).default('none'),
  /** Keep original vectors (and the HNSW graph) on disk, memory-mapped, instead of in RAM. */
  QDRANT_ON_DISK: boolFromEnv.default(false),

  /** Requests per window per API key (or client address); unset = no rate limiting (a gateway usually does it). */
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).optional(),
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
  /** Comma-separated allowed origins for CORS, or "*"; unset = no CORS headers (same-origin only). */
  CORS_ORIGINS: z.string().min(1).optional(),
  /**
   * Last-resort shedding only: event-loop lag (ms) above which a growing share of requests gets
   * 503 + Retry-After; 0 disables. Admission is decided by queueing delay (ADMISSION_*); this one
   * catches a main thread stalled by something the admission queue cannot see.
   */
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  /**
   * /align requests served at once; more wait in the admission queue. 0: 8 × (SEARCH_THREADS + 1),
   * at least 16. With 4 (the first default) CoDel shed 0.3 % of requests at 1,120 /s while p99 was
   * 32 ms, because short bursts queued at the gate; 16 in flight cost at most ~10 ms of queueing
   * inside (0.6 ms of HTTP-thread work each) and left shedding to real overload.
   */
  ADMISSION_READ_CONCURRENCY: z.coerce.number().int().min(0).default(0),
  /** Catalog writes (POST/DELETE /products) served at once; more wait in the admission queue. */
  ADMISSION_WRITE_CONCURRENCY: z.coerce.number().int().min(1).default(4),
  /** CoDel target: queueing delay (ms) that, when it persists for a whole interval, counts as overload. */
  ADMISSION_TARGET_MS: z.coerce.number().int().min(1).default(10),
  /** CoDel interval (ms), and the longest a request may wait for admission when not overloaded. */
  ADMISSION_INTERVAL_MS: z.coerce.number().int().min(1).default(100),
  /** Most requests waiting for admission per class; beyond it new ones get 503 at once. */
  ADMISSION_MAX_QUEUE: z.coerce.number().int().min(0).default(256),
  /** Shed load when the V8 heap in use exceeds this many bytes; 0 disables. */
  MAX_HEAP_USED_BYTES: z.coerce.number().int().min(0).default(0),
  /** Most embedding requests waiting for the embedder at once; beyond it requests are shed with 503. */
  EMBED_QUEUE_MAX_DEPTH: z.coerce.number().int().min(1).default(256),
  /** Longest a request may wait for (and spend in) embedding before it is answered 503. */
  EMBED_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
}).superRefine((e, ctx) => {
  if (e.STORE === 'qdrant' && !e.QDRANT_URL) {
    ctx.addIssue({ code: 'custom', path: ['QDRANT_URL'], message: 'QDRANT_URL is required when STORE=qdrant' });
  }
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  embedder: 'minilm' | 'wordnet' | 'lexical';
  modelId: string;
  modelDir?: string;
  allowModelDownload: boolean;
  defaultThreshold?: number;
  apiKey?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  embedBatchSize: number;
  annEfSearch: number;
  annEfConstruction: number;
  annIndex: 'usearch' | 'hnswlib';
  snapshotIntervalS: number;
  indexCheckIntervalS: number;
  indexCheckProbes: number;
  indexMaxPendingTexts: number;
  eventLoopStallExitMs: number;
  searchThreads: number;
  shutdownTimeoutMs: number;
  embeddingCache: boolean;
  store: 'embedded' | 'qdrant';
  qdrant: {
    url?: string;
    apiKey?: string;
    collection: string;
    timeoutMs: number;
    shards: number;
    replicationFactor: number;
    quantization: 'none' | 'int8';
    onDisk: boolean;
  };
  rateLimit?: { max: number; windowMs: number };
  corsOrigins?: string[] | '*';
  maxEventLoopDelayMs: number;
  admission: {
    readConcurrency: number;
    writeConcurrency: number;
    targetMs: number;
    intervalMs: number;
    maxQueue: number;
  };
  maxHeapUsedBytes: number;
  embedQueueMaxDepth: number;
  embedTimeoutMs: number;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates `env` (default: the process environment) into a Config, or throws ConfigError.
 * `overrides` (e.g. from command-line flags) take precedence over the environment.
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Record<string, string | undefined> = {},
): Config {
  // Empty strings mean "unset" (a common result of `FOO= cmd` and of compose files).
  const cleaned: Record<string, string> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = overrides[key] ?? env[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message} (got ${JSON.stringify(cleaned[String(i.path[0])])})`),
    );
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    embedder: e.EMBEDDER,
    modelId: e.MODEL_ID,
    modelDir: e.MODEL_DIR,
    allowModelDownload: e.ALLOW_MODEL_DOWNLOAD,
    defaultThreshold: e.DEFAULT_THRESHOLD,
    apiKey: e.API_KEY,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    embedBatchSize: e.EMBED_BATCH_SIZE,
    annEfSearch: e.ANN_EF_SEARCH,
    annEfConstruction: e.ANN_EF_CONSTRUCTION,
    annIndex: e.ANN_INDEX,
    snapshotIntervalS: e.SNAPSHOT_INTERVAL_S,
    indexCheckIntervalS: e.INDEX_CHECK_INTERVAL_S,
    indexCheckProbes: e.INDEX_CHECK_PROBES,
    indexMaxPendingTexts: e.INDEX_MAX_PENDING_TEXTS,
    eventLoopStallExitMs: e.EVENT_LOOP_STALL_EXIT_MS,
    searchThreads: e.SEARCH_THREADS,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    embeddingCache: e.EMBEDDING_CACHE,
    store: e.STORE,
    qdrant: {
      url: e.QDRANT_URL,
      apiKey: e.QDRANT_API_KEY,
      collection: e.QDRANT_COLLECTION,
      timeoutMs: e.QDRANT_TIMEOUT_MS,
      shards: e.QDRANT_SHARDS,
      replicationFactor: e.QDRANT_REPLICATION_FACTOR,
      quantization: e.QDRANT_QUANTIZATION,
      onDisk: e.QDRANT_ON_DISK,
    },
    rateLimit: e.RATE_LIMIT_MAX === undefined ? undefined : { max: e.RATE_LIMIT_MAX, windowMs: e.RATE_LIMIT_WINDOW_MS },
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    maxEventLoopDelayMs: e.MAX_EVENT_LOOP_DELAY_MS,
    admission: {
      readConcurrency: e.ADMISSION_READ_CONCURRENCY || Math.max(16, 8 * (e.SEARCH_THREADS + 1)),
      writeConcurrency: e.ADMISSION_WRITE_CONCURRENCY,
      targetMs: e.ADMISSION_TARGET_MS,
      intervalMs: e.ADMISSION_INTERVAL_MS,
      maxQueue: e.ADMISSION_MAX_QUEUE,
    },
    maxHeapUsedBytes: e.MAX_HEAP_USED_BYTES,
    embedQueueMaxDepth: e.EMBED_QUEUE_MAX_DEPTH,
    embedTimeoutMs: e.EMBED_TIMEOUT_MS,
  };
}

function parseOrigins(raw: string | undefined): string[] | '*' | undefined {
  if (raw === undefined) return undefined;
  if (raw === '*') return '*';
  return raw.split(',').map((o) => o.trim()).filter(Boolean);
}
