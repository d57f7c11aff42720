import { availableParallelism } from 'node:os';
import { z } from 'zod';

/**
 * The one place that reads the environment. Everything else receives a validated `Config`.
 * Invalid settings stop start-up with a message naming each bad variable.
 *
 * Each setting is written once, in SETTINGS: its variable, its schema (limits and default) and a
 * line of description. The table's nesting is the shape of `Config`; the `Config` type, the loader
 * and the CLI's list of variables are derived from it.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** One environment variable: its name, how it is validated (limits, default) and what it does. */
export class Setting<S extends z.ZodType = z.ZodType> {
  constructor(
    readonly env: string,
    readonly schema: S,
    readonly doc: string,
  ) {}
}

/** Settings that only mean something together: the group is undefined unless `present` is set. */
export class OptionalGroup<G extends SettingGroup = SettingGroup, K extends keyof G & string = keyof G & string> {
  constructor(
    readonly present: K,
    readonly settings: G,
  ) {}
}

export interface SettingGroup {
  readonly [key: string]: Setting | SettingGroup | OptionalGroup<SettingGroup, string>;
}

const setting = <S extends z.ZodType>(env: string, schema: S, doc: string) => new Setting(env, schema, doc);

const boolFromEnv = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

function parseOrigins(raw: string): string[] | '*' {
  if (raw === '*') return '*';
  return raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
}

export const SETTINGS = {
  nodeEnv: setting('NODE_ENV', z.enum(['development', 'production', 'test']).default('development'), 'runtime mode'),
  port: setting('PORT', z.coerce.number().int().min(0).max(65535).default(8080), 'port the HTTP server listens on'),
  host: setting('HOST', z.string().min(1).default('127.0.0.1'), 'address the HTTP server listens on'),
  dataDir: setting('DATA_DIR', z.string().min(1).default('.data'), 'directory of the embedded store, the embedding cache and checkpoints'),
  embedder: setting('EMBEDDER', z.enum(['minilm', 'wordnet', 'lexical']).default('minilm'), 'embedding model family'),
  modelId: setting(
    'MODEL_ID',
    // BUNDLED_MODEL_ID (src/embedding/bundled-model.ts; config.ts imports nothing of ours, a test keeps them equal).
    z.string().min(1).default('sentence-transformers/all-MiniLM-L6-v2'),
    'Hugging Face model id of the minilm embedder; the default ships in models/ and is checked against its manifest',
  ),
  modelDir: setting(
    'MODEL_DIR',
    z.string().min(1).optional(),
    'directory models are looked for (and downloaded) in; unset: models/ of the installation for the shipped model',
  ),
  modelDtype: setting(
    'MODEL_DTYPE',
    z.enum(['fp32', 'q8']).optional(),
    'weights of the minilm embedder: fp32 or q8 (int8); unset: the variant the model directory ships',
  ),
  embedThreads: setting(
    'EMBED_THREADS',
    z.coerce.number().int().min(0).max(256).default(0),
    "onnxruntime threads per embedding run; 0: onnxruntime's default (one per physical core)",
  ),
  allowModelDownload: setting(
    'ALLOW_MODEL_DOWNLOAD',
    boolFromEnv.default(true),
    'fetch the model from the Hugging Face hub when not found locally',
  ),
  defaultThreshold: setting(
    'DEFAULT_THRESHOLD',
    z.coerce.number().min(-1).max(1).optional(),
    "overrides the active model's calibrated threshold",
  ),
  apiKey: setting(
    'API_KEY',
    z.string().min(8, 'API_KEY must be at least 8 characters').optional(),
    'key every API request must present; unset: none',
  ),
  logLevel: setting('LOG_LEVEL', z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), 'log level'),
  // 1000 products with long intention lists need several MiB.
  bodyLimitBytes: setting(
    'BODY_LIMIT_BYTES',
    z.coerce
      .number()
      .int()
      .min(1024)
      .max(512 * 1024 * 1024)
      .default(16 * 1024 * 1024),
    'largest accepted request body',
  ),
  embedBatchSize: setting(
    'EMBED_BATCH_SIZE',
    z.coerce.number().int().min(1).max(4096).default(256),
    'texts per embedding call; bounds memory and the time one call holds the CPU',
  ),
  /**
   * Higher finds more of the true neighbours and costs latency; 128 gives recall@10 ≈ 0.95 on the
   * scaled sample catalog (docs/measurements.md, "Service (offline lexical embedder)").
   */
  annEfSearch: setting(
    'ANN_EF_SEARCH',
    z.coerce.number().int().min(8).max(4096).default(128),
    'candidate list size of the HNSW search (efSearch)',
  ),
  /**
   * 256 reaches recall@10 ≥ 0.97 at 1M vectors; 128 inserts about twice as fast for ~1 point of recall
   * (docs/measurements.md, "Index at 1M vectors").
   */
  annEfConstruction: setting(
    'ANN_EF_CONSTRUCTION',
    z.coerce.number().int().min(8).max(4096).default(256),
    'candidate list size while inserting (efConstruction)',
  ),
  // See bench/results/ann-choice.md for why the default.
  annIndex: setting('ANN_INDEX', z.enum(['usearch', 'hnswlib']).default('hnswlib'), 'ANN library of the embedded store'),
  snapshotIntervalS: setting(
    'SNAPSHOT_INTERVAL_S',
    z.coerce.number().int().min(0).default(300),
    'seconds between background index snapshots (0 disables; one is always written on close)',
  ),
  indexCheckIntervalS: setting(
    'INDEX_CHECK_INTERVAL_S',
    z.coerce.number().int().min(0).default(300),
    'seconds between checks of the embedded indexes against the catalog, which put missing texts back; 0: on open only',
  ),
  indexCheckProbes: setting(
    'INDEX_CHECK_PROBES',
    z.coerce.number().int().min(0).default(2000),
    'texts per check searched by their own vector, to prove the ANN index returns them (a rotating window)',
  ),
  /** Every search scans the exact tail, so it must stay small (8192 × 384-d ≈ 1–2 ms a scan). */
  indexMaxPendingTexts: setting(
    'INDEX_MAX_PENDING_TEXTS',
    z.coerce.number().int().min(1).default(8192),
    'most committed texts waiting for HNSW in the exact tail before writers are slowed to its pace',
  ),
  /** A native call that never returns: the process is killed so a supervisor restarts it, and recovery replays from SQLite. */
  eventLoopStallExitMs: setting(
    'EVENT_LOOP_STALL_EXIT_MS',
    z.coerce.number().int().min(0).default(30_000),
    'a main thread that answers nothing this long is logged and killed; 0 disables',
  ),
  /**
   * Search runs beside the HTTP thread and on more than one core. Default: cores − 1, at least 1.
   * 0 keeps the index and the write transactions on the main thread (src/store/embedded/search-placement.ts).
   */
  searchThreads: setting(
    'SEARCH_THREADS',
    z.coerce
      .number()
      .int()
      .min(0)
      .max(256)
      .default(Math.max(1, availableParallelism() - 1)),
    'worker threads that each hold a replica of the embedded index and answer searches; default cores − 1, at least 1',
  ),
  shutdownTimeoutMs: setting(
    'SHUTDOWN_TIMEOUT_MS',
    z.coerce.number().int().min(0).default(10_000),
    'grace period for in-flight requests on shutdown',
  ),

  /**
   * Refusing at a floor keeps room for what must still be written when the catalog stops growing:
   * SQLite's WAL checkpoints, index snapshots and the log, if it is on the same volume.
   */
  storageMinFreeBytes: setting(
    'STORAGE_MIN_FREE_BYTES',
    z.coerce.number().int().min(0).default(0),
    'catalog writes are refused (507) while the data volume has fewer free bytes than this; 0: only when it is full',
  ),

  embeddingCache: setting(
    'EMBEDDING_CACHE',
    boolFromEnv.default(true),
    'persisted embedding cache (by model id and text) shared by ingest, align and the benchmark commands',
  ),

  store: setting(
    'STORE',
    z.enum(['embedded', 'qdrant']).default('embedded'),
    'where vectors live: the in-process store or a Qdrant cluster',
  ),
  qdrant: {
    url: setting(
      'QDRANT_URL',
      z.url({ protocol: /^https?$/, message: 'QDRANT_URL must be an http(s) URL' }).optional(),
      'Qdrant URL; required when STORE=qdrant',
    ),
    apiKey: setting('QDRANT_API_KEY', z.string().min(1).optional(), 'Qdrant API key'),
    collection: setting(
      'QDRANT_COLLECTION',
      z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,255}$/, 'QDRANT_COLLECTION may hold letters, digits, _ and -')
        .default('ecomalign'),
      'Qdrant collection',
    ),
    timeoutMs: setting(
      'QDRANT_TIMEOUT_MS',
      z.coerce.number().int().min(100).max(600_000).default(5_000),
      'per-request timeout towards Qdrant',
    ),
    shards: setting('QDRANT_SHARDS', z.coerce.number().int().min(1).max(1024).default(1), 'shards of the collection'),
    replicationFactor: setting(
      'QDRANT_REPLICATION_FACTOR',
      z.coerce.number().int().min(1).max(16).default(1),
      'replication factor of the collection',
    ),
    quantization: setting(
      'QDRANT_QUANTIZATION',
      z.enum(['none', 'int8']).default('none'),
      'int8: scalar quantization with rescoring, ~4x less RAM for vectors at a small recall cost',
    ),
    onDisk: setting(
      'QDRANT_ON_DISK',
      boolFromEnv.default(false),
      'keep original vectors and the HNSW graph on disk, memory-mapped, instead of in RAM',
    ),
  },

  rateLimit: new OptionalGroup('max', {
    max: setting(
      'RATE_LIMIT_MAX',
      z.coerce.number().int().min(1).optional(),
      'requests per window per API key (or client address); unset: no rate limiting (a gateway usually does it)',
    ),
    windowMs: setting('RATE_LIMIT_WINDOW_MS', z.coerce.number().int().min(100).default(60_000), 'rate-limit window'),
  }),
  corsOrigins: setting(
    'CORS_ORIGINS',
    z.string().min(1).transform(parseOrigins).optional(),
    'comma-separated origins allowed by CORS, or "*"; unset: no CORS headers (same-origin only)',
  ),
  /**
   * Last-resort shedding only. Admission is decided by queueing delay (ADMISSION_*); this one
   * catches a main thread stalled by something the admission queue cannot see.
   */
  maxEventLoopDelayMs: setting(
    'MAX_EVENT_LOOP_DELAY_MS',
    z.coerce.number().int().min(0).default(1000),
    'event-loop lag (ms) above which a growing share of requests gets 503 + Retry-After; 0 disables',
  ),
  admission: {
    /**
     * With 4 (the first default) CoDel shed 0.3 % of requests at 1,120 /s while p99 was 32 ms,
     * because short bursts queued at the gate; 16 in flight cost at most ~10 ms of queueing inside
     * (0.6 ms of HTTP-thread work each) and left shedding to real overload.
     */
    readConcurrency: setting(
      'ADMISSION_READ_CONCURRENCY',
      z.coerce.number().int().min(0).default(0),
      '/align requests served at once, more wait in the admission queue; 0: 8 × (SEARCH_THREADS + 1), at least 16',
    ),
    writeConcurrency: setting(
      'ADMISSION_WRITE_CONCURRENCY',
      z.coerce.number().int().min(1).default(4),
      'catalog writes (POST/DELETE /products) served at once; more wait in the admission queue',
    ),
    targetMs: setting(
      'ADMISSION_TARGET_MS',
      z.coerce.number().int().min(1).default(10),
      'CoDel target: queueing delay (ms) that counts as overload when it persists for a whole interval',
    ),
    intervalMs: setting(
      'ADMISSION_INTERVAL_MS',
      z.coerce.number().int().min(1).default(100),
      'CoDel interval (ms), and the longest a request waits for admission when not overloaded',
    ),
    bulkMinSteps: setting(
      'ADMISSION_BULK_MIN_STEPS',
      z.coerce.number().int().min(1).default(65),
      'alignment requests with at least this many steps (all scripts together) are bulk: admitted by cost and served in slices behind interactive ones',
    ),
    bulkConcurrency: setting(
      'ADMISSION_BULK_CONCURRENCY',
      z.coerce.number().int().min(1).default(2),
      'bulk alignment requests served at once (their slices take turns); more wait in the bulk queue',
    ),
    bulkBacklogRatio: setting(
      'ADMISSION_BULK_BACKLOG_RATIO',
      z.coerce.number().min(0).default(2),
      'a bulk request is refused at once (503 + Retry-After) when the bulk steps ahead of it exceed this many times its own',
    ),
    maxQueue: setting(
      'ADMISSION_MAX_QUEUE',
      z.coerce.number().int().min(0).default(256),
      'most requests waiting for admission per class; beyond it new ones get 503 at once',
    ),
  },
  bulkSliceMs: setting(
    'BULK_SLICE_MS',
    z.coerce.number().min(0.1).default(5),
    'target duration (ms) of one slice of a bulk request at the search workers: the most an interactive request waits behind bulk work there',
  ),
  embedBulkSliceTexts: setting(
    'EMBED_BULK_SLICE_TEXTS',
    z.coerce.number().int().min(0).default(0),
    "texts of bulk work (large batches, catalog writes) per model call: the most an interactive request waits for the model; 0: the model's own short-call size",
  ),
  bodyTimeoutMs: setting(
    'BODY_TIMEOUT_MS',
    z.coerce.number().int().min(100).default(10_000),
    'a request body not fully received this long after its headers is answered 408 and its connection closed',
  ),
  maxHeapUsedBytes: setting(
    'MAX_HEAP_USED_BYTES',
    z.coerce.number().int().min(0).default(0),
    'shed load when the V8 heap in use exceeds this; 0 disables',
  ),
  embedQueueMaxDepth: setting(
    'EMBED_QUEUE_MAX_DEPTH',
    z.coerce.number().int().min(1).default(256),
    'most embedding requests waiting for the embedder; beyond it requests get 503',
  ),
  embedTimeoutMs: setting(
    'EMBED_TIMEOUT_MS',
    z.coerce.number().int().min(1).default(10_000),
    'longest a request may wait for (and spend in) embedding before it is answered 503',
  ),
} satisfies SettingGroup;

// The Config type: the table with each setting replaced by its schema's output. A setting that
// may be unset is an optional key, as is an optional group.
type Simplify<T> = { [K in keyof T]: T[K] } & {};
type ValueOf<E> =
  E extends Setting<infer S>
    ? z.output<S>
    : E extends OptionalGroup<infer G, infer K>
      ? Simplify<Omit<Values<G>, K> & { [P in K & keyof Values<G>]-?: Exclude<Values<G>[P], undefined> }> | undefined
      : Values<E>;
type Values<G> = Simplify<
  { [K in keyof G as undefined extends ValueOf<G[K]> ? never : K]: ValueOf<G[K]> } & {
    [K in keyof G as undefined extends ValueOf<G[K]> ? K : never]?: Exclude<ValueOf<G[K]>, undefined>;
  }
>;

export type Config = Values<typeof SETTINGS>;

/** Settings one value depends on that the table cannot say, checked once every value is valid. */
const RULES: ((c: Config) => { setting: Setting; message: string } | undefined)[] = [
  (c) =>
    c.store === 'qdrant' && !c.qdrant.url
      ? { setting: SETTINGS.qdrant.url, message: `${SETTINGS.qdrant.url.env} is required when ${SETTINGS.store.env}=qdrant` }
      : undefined,
];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Every setting with its place in Config, in table order. */
export function settingEntries(group: SettingGroup = SETTINGS, path: string[] = []): { path: string[]; setting: Setting }[] {
  return Object.entries(group).flatMap(([key, entry]) => {
    if (entry instanceof Setting) return [{ path: [...path, key], setting: entry }];
    return settingEntries(entry instanceof OptionalGroup ? entry.settings : entry, [...path, key]);
  });
}

/**
 * Validates `env` (default: the process environment) into a Config, or throws ConfigError.
 * `overrides` (e.g. from command-line flags) take precedence over the environment; `defaults`
 * (a command's own, e.g. the demo's data directory) apply where neither gives a value.
 */
export function loadConfig(env: Env = process.env, overrides: Env = {}, defaults: Env = {}): Config {
  // Empty strings mean "unset" (a common result of `FOO= cmd` and of compose files).
  const raw = (name: string) => {
    const value = overrides[name] ?? env[name] ?? defaults[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const problems: string[] = [];
  const problem = (name: string, message: string) => problems.push(`${name}: ${message} (got ${JSON.stringify(raw(name))})`);
  const read = (group: SettingGroup): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(group)) {
      if (entry instanceof Setting) {
        const parsed = entry.schema.safeParse(raw(entry.env));
        if (parsed.success) out[key] = parsed.data;
        else for (const issue of parsed.error.issues) problem(entry.env, issue.message);
      } else if (entry instanceof OptionalGroup) {
        const values = read(entry.settings);
        out[key] = values[entry.present] === undefined ? undefined : values;
      } else out[key] = read(entry);
    }
    return out;
  };
  const config = read(SETTINGS) as Config;
  if (problems.length === 0) {
    for (const rule of RULES) {
      const broken = rule(config);
      if (broken) problem(broken.setting.env, broken.message);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  config.admission.readConcurrency ||= Math.max(16, 8 * (config.searchThreads + 1));
  return config;
}

/** PATH as the environment gives it, for commands that look for helper programs (PNG renderers). */
export function executableSearchPath(env: Env = process.env): string {
  return env.PATH ?? '';
}
