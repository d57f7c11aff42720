import { join } from 'node:path';
import type { CatalogDb } from './catalog/catalog-db.js';
import { InlineCatalogWriter, WorkerCatalogWriter, type CatalogWriter } from './catalog/catalog-writer.js';
import { IndexReplica } from './index/index-replica.js';
import { LocalReplicaClient } from './replicas/replica-client.js';
import { ReplicaSet, type ReplicaSetOptions, type ReplicaSpawner } from './replicas/replica-set.js';
import type { Logger } from '../../core/logger.js';
import type { EmbeddedStoreOptions } from './store-options.js';
import { TextSearch } from './index/text-search.js';
import { WorkerReplicaClient } from './replicas/worker-replica-client.js';

/**
 * Where the store's work runs. With searchThreads 0: one index replica, and the write
 * transactions, on the calling thread (the issue-10 layout). Otherwise one search worker per
 * thread, each with its own replica, and a writer thread for the transactions, so the thread that
 * serves HTTP only dispatches.
 */

export interface WiringContext {
  db: CatalogDb;
  catalogPath: string;
  logger: Logger;
  /** Runs `fn` while no write can commit (the store's write lock). */
  exclusive: ReplicaSetOptions['exclusive'];
}

/** Opens the replicas; resolves once every one has loaded, replayed and checked the catalog. */
export async function startReplicas(options: EmbeddedStoreOptions, context: WiringContext): Promise<ReplicaSet> {
  const threads = options.searchThreads ?? 0;
  // The set that replaces a worker which dies exists only once the first replicas have opened.
  const owner: { set?: ReplicaSet } = {};
  const spawn = spawnerFor(options, context, (client, code) => owner.set?.replaceLater(client, code));
  owner.set = await ReplicaSet.open(Math.max(1, threads), {
    spawn,
    exclusive: context.exclusive,
    logger: context.logger,
    stallMs: options.searchStallMs,
  });
  return owner.set;
}

/** The write transactions run in a writer thread whenever there are search workers. */
export async function startWriter(options: EmbeddedStoreOptions, db: CatalogDb, catalogPath: string): Promise<CatalogWriter> {
  return (options.searchThreads ?? 0) > 0 ? WorkerCatalogWriter.start(catalogPath) : new InlineCatalogWriter(db);
}

function spawnerFor(
  options: EmbeddedStoreOptions,
  context: WiringContext,
  onExit: (client: WorkerReplicaClient, code: number) => void,
): ReplicaSpawner {
  const replicaOptions = {
    indexDir: join(options.dataDir, 'index'),
    modelId: options.modelId,
    dimension: options.dimension,
    probesPerCheck: options.probesPerCheck ?? 2000,
  };
  if ((options.searchThreads ?? 0) === 0) {
    return async () => {
      const { replica, info } = await IndexReplica.open({
        ...replicaOptions,
        db: context.db,
        annFactory: options.annFactory,
        logger: context.logger,
        sliceMs: options.indexSliceMs ?? 8,
      });
      return new LocalReplicaClient(replica, info, new TextSearch(context.db.db));
    };
  }
  const ann = options.annSpec;
  if (!ann) throw new Error('searchThreads > 0 needs annSpec: search workers build their own ANN index');
  // A search waits for the slice in progress on its worker: short slices keep that wait small.
  const config = { ...replicaOptions, catalogPath: context.catalogPath, ann, sliceMs: options.indexSliceMs ?? 5, healthIntervalMs: 250 };
  return () => WorkerReplicaClient.start(config, context.logger, onExit);
}
