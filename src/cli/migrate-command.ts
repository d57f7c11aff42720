import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SETTINGS, type Config } from '../config.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { EmbeddedExport } from '../store/embedded/embedded-export.js';
import { qdrantOptionsFrom } from '../store/qdrant/qdrant-options.js';
import { QdrantStore } from '../store/qdrant/qdrant-store.js';
import type { Logger } from '../core/logger.js';
import type { ProductUpsert, VectorStore } from '../core/vector-store.js';
import { defineCommand, UsageError } from './command.js';
import { productBatchSize, storeOptions } from './common-options.js';
import { choice, flag } from './options.js';
import { Progress } from '../util/progress.js';
import { cliLogger } from './with-services.js';

/**
 * `ecomalign migrate --from embedded --to qdrant`: copies products with their stored vectors (no
 * re-embedding, so no model is loaded) in id order, batch by batch. After every batch a checkpoint
 * (the last copied id) is replaced atomically, so an interrupted run resumes where it stopped; a
 * product already in the target with the same content hash is not written again, so even a run
 * without a checkpoint only copies what is missing or changed. Deletions made in the source are
 * not propagated; migrate into an empty collection, or delete removed products in the target.
 */

export interface MigrationSource {
  readonly modelId: string;
  readonly dimension: number;
  productCount(): number;
  /** Up to `limit` products with id > `after`, ascending, with their content hashes and vectors. */
  page(after: string | undefined, limit: number): ProductUpsert[];
}

export type MigrationTarget = Pick<VectorStore, 'upsert' | 'contentHashes'>;

export interface MigrateOptions {
  source: MigrationSource;
  target: MigrationTarget;
  /** Names the source and the target; a checkpoint of another migration is not resumed. */
  route: string;
  checkpointFile: string;
  batchSize: number;
  /** Ignore the checkpoint and walk the whole source again. */
  restart?: boolean;
  stderr: NodeJS.WritableStream;
}

export interface MigrateSummary {
  products: number;
  copied: number;
  unchanged: number;
  texts: number;
  resumedAfter: string | null;
  model: string;
}

interface Checkpoint {
  version: 1;
  route: string;
  model: string;
  lastId: string | null;
  copied: number;
  unchanged: number;
  texts: number;
  done: boolean;
}

export class MigrationError extends Error {}

export async function migrateStore(o: MigrateOptions): Promise<MigrateSummary> {
  const model = `${o.source.modelId} (${o.source.dimension} dimensions)`;
  let state = fresh(o.route, model);
  const saved = o.restart ? undefined : readCheckpoint(o.checkpointFile);
  if (saved) {
    if (saved.route !== o.route || saved.model !== model) {
      throw new MigrationError(
        `${o.checkpointFile} belongs to another migration (${saved.route}, model ${saved.model}); ` +
          `run with --restart to start this one (${o.route}, model ${model}) from the beginning`,
      );
    }
    if (saved.done) o.stderr.write(`migrate: the previous run finished; checking everything again (unchanged products are skipped)\n`);
    else state = saved;
  }
  const resumedAfter = state.lastId;
  if (resumedAfter !== null)
    o.stderr.write(`migrate: resuming after product ${JSON.stringify(resumedAfter)} (${state.copied + state.unchanged} done)\n`);
  const progress = new Progress({ label: 'migrate', total: o.source.productCount(), itemName: 'products', stream: o.stderr });
  progress.update(state.copied + state.unchanged, 0);
  for (;;) {
    const page = o.source.page(state.lastId ?? undefined, o.batchSize);
    if (page.length === 0) break;
    const existing = await o.target.contentHashes(page.map((p) => p.product.id));
    const changed = page.filter((p) => existing.get(p.product.id) !== p.contentHash);
    if (changed.length > 0) await o.target.upsert(changed);
    state = {
      ...state,
      lastId: page[page.length - 1].product.id,
      copied: state.copied + changed.length,
      unchanged: state.unchanged + page.length - changed.length,
      texts: state.texts + changed.reduce((n, p) => n + p.texts.length, 0),
    };
    // Only after the target acknowledged the batch: a crash repeats at most this batch, harmlessly.
    saveCheckpoint(o.checkpointFile, state);
    progress.update(page.length, page.length);
  }
  progress.finish();
  saveCheckpoint(o.checkpointFile, { ...state, done: true });
  return {
    products: state.copied + state.unchanged,
    copied: state.copied,
    unchanged: state.unchanged,
    texts: state.texts,
    resumedAfter,
    model,
  };
}

function fresh(route: string, model: string): Checkpoint {
  return { version: 1, route, model, lastId: null, copied: 0, unchanged: 0, texts: 0, done: false };
}

function readCheckpoint(file: string): Checkpoint | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Checkpoint;
    if (data.version !== 1 || typeof data.route !== 'string') throw new Error('unknown format');
    return data;
  } catch (err) {
    throw new MigrationError(`cannot read the checkpoint ${file} (${(err as Error).message}); delete it or run with --restart`);
  }
}

function saveCheckpoint(file: string, state: Checkpoint): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(state, null, 2)}\n`);
}

export interface MigrateCommandOptions {
  from: string;
  to: string;
  batchSize: number;
  restart: boolean;
  stderr: NodeJS.WritableStream;
  logger?: Logger;
}

/**
 * The migration the configuration describes: the embedded store under DATA_DIR into the Qdrant
 * collection QDRANT_* names. Another route, or no QDRANT_URL, is a usage mistake (exit code 2).
 */
export async function migrateFromConfig(config: Config, o: MigrateCommandOptions): Promise<MigrateSummary> {
  if (o.from !== 'embedded' || o.to !== 'qdrant') throw new UsageError('migrate supports --from embedded --to qdrant');
  if (!config.qdrant.url) throw new UsageError('migrate --to qdrant needs QDRANT_URL (and QDRANT_COLLECTION, QDRANT_API_KEY as needed)');
  const source = EmbeddedExport.open(join(config.dataDir, 'embedded'));
  try {
    // The collection is tagged with the source's model: the vectors are copied, not re-embedded.
    const target = await QdrantStore.open(qdrantOptionsFrom(config, { id: source.modelId, dimension: source.dimension }, o.logger));
    try {
      o.stderr.write(
        `migrate: ${source.productCount()} products, model ${source.modelId}, into Qdrant collection "${config.qdrant.collection}"\n`,
      );
      return await migrateStore({
        source,
        target,
        route: `embedded:${config.dataDir} -> qdrant:${config.qdrant.url} ${config.qdrant.collection}`,
        checkpointFile: join(config.dataDir, 'migrations', `embedded-to-qdrant-${config.qdrant.collection}.json`),
        batchSize: o.batchSize,
        restart: o.restart,
        stderr: o.stderr,
      });
    } finally {
      await target.close();
    }
  } finally {
    source.close();
  }
}

/** --from and --to name stores as STORE does; the one route is embedded to qdrant. */
const stores = SETTINGS.store.schema.unwrap();

export const migrateCommand = defineCommand({
  name: 'migrate',
  summary: 'copy the store with its vectors to Qdrant, resumable',
  options: {
    from: choice('the store copied from', stores.extract(['embedded']), 'STORE'),
    to: choice('the store copied to, as QDRANT_URL, QDRANT_COLLECTION and QDRANT_API_KEY say', stores.extract(['qdrant']), 'STORE'),
    'batch-size': productBatchSize,
    restart: flag('ignore the checkpoint and walk the whole source again'),
    'data-dir': storeOptions['data-dir'],
  },
  run: async (o, { config, stdout, stderr }) => {
    const summary = await migrateFromConfig(config, {
      from: o.from,
      to: o.to,
      batchSize: o['batch-size'],
      restart: o.restart,
      stderr,
      logger: cliLogger(config),
    });
    stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  },
});
