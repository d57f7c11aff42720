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
  EMBEDDER: z.enum(['minilm', 'lexical']).default('minilm'),
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
  /** Seconds between background index snapshots (0 disables; a snapshot is always written on close). */
  SNAPSHOT_INTERVAL_S: z.coerce.number().int().min(0).default(300),
  /** Grace period for in-flight requests on shutdown. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
});

export type Config = {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  embedder: 'minilm' | 'lexical';
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
  snapshotIntervalS: number;
  shutdownTimeoutMs: number;
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
    snapshotIntervalS: e.SNAPSHOT_INTERVAL_S,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
