import { join } from 'node:path';
import type { Logger } from '../../core/logger.js';
import type { CatalogDb } from './catalog/catalog-db.js';
import { InlineCatalogWriter, WorkerCatalogWriter, type CatalogWriter } from './catalog/catalog-writer.js';
import { IndexReplica } from './index/index-replica.js';
import { TextSearch } from './index/text-search.js';
import { LocalReplicaClient } from './replicas/replica-client.js';
import { ReplicaSet, type ReplicaSetOptions, type ReplicaSpawner } from './replicas/replica-set.js';
import { WorkerReplicaClient, startReplicaWorker } from './replicas/worker-replica-client.js';
import type { WorkerReplicaConfig } from './replicas/worker-protocol.js';
import type { MainThreadSearch, SearchWorkers } from './search-placement.js';
import { DEFAULT_INDEX_SLICE_MS, type EmbeddedStoreOptions, type EmbeddedStoreSettings } from './store-options.js';

/**
 * Builds the store's replicas and catalog writer where its search placement says
 * (search-placement.ts): on the calling thread, or in search workers and a writer thread.
 */

export interface WiringContext {
  db: CatalogDb;
  catalogPath: string;
  logger: Logger;
  /** Runs `fn` while no write can commit (the store's write lock). */
  exclusive: ReplicaSetOptions['exclusive'];
}

/** Opens the replicas; resolves once every one has loaded, replayed and checked the catalog. */
export function startReplicas(options: EmbeddedStoreOptions, context: WiringContext): Promise<ReplicaSet> {
  const { exclusive, logger } = context;
  const workers = options.searchWorkers;
  if (!workers) return ReplicaSet.open(1, { spawn: mainThreadReplica(options, options, context), exclusive, logger, stallMs: 0 });
  return ReplicaSet.open(workers.threads, { spawn: workerReplica(options, workers, context), exclusive, logger, stallMs: workers.stallMs });
}

/** The write transactions leave the calling thread too whenever searches do. */
export async function startWriter(options: EmbeddedStoreOptions, db: CatalogDb, catalogPath: string): Promise<CatalogWriter> {
  return options.searchWorkers ? WorkerCatalogWriter.start(catalogPath) : new InlineCatalogWriter(db);
}

/** What every replica is built with, wherever it runs. */
function replicaSettings(settings: EmbeddedStoreSettings) {
  return {
    indexDir: join(settings.dataDir, 'index'),
    modelId: settings.modelId,
    dimension: settings.dimension,
    probesPerCheck: settings.probesPerCheck ?? 2000,
    sliceMs: settings.indexSliceMs ?? DEFAULT_INDEX_SLICE_MS,
  };
}

function mainThreadReplica(settings: EmbeddedStoreSettings, search: MainThreadSearch, context: WiringContext): ReplicaSpawner {
  return async () => {
    const { replica, info } = await IndexReplica.open({
      ...replicaSettings(settings),
      db: context.db,
      annFactory: search.annFactory,
      logger: context.logger,
    });
    return new LocalReplicaClient(replica, info, new TextSearch(context.db.db));
  };
}

function workerReplica(settings: EmbeddedStoreSettings, workers: SearchWorkers, context: WiringContext): ReplicaSpawner {
  const config: WorkerReplicaConfig = {
    ...replicaSettings(settings),
    catalogPath: context.catalogPath,
    ann: workers.ann,
    healthIntervalMs: 250,
  };
  const startThread = workers.startThread ?? startReplicaWorker;
  return (slot, onExit) => WorkerReplicaClient.open(startThread(config, slot), context.logger, onExit);
}
