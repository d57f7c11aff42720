import { join } from 'node:path';
import type { Config } from './config.js';
import { Aligner } from './align/aligner.js';
import { CatalogService } from './catalog/catalog-service.js';
import { BUNDLED_MODEL_ID, bundledModelsRoot } from './embedding/bundled-model.js';
import { createEmbedder } from './embedding/create-embedder.js';
import { modelInfo } from './embedding/model-info.js';
import type { Embedder, ModelInfo } from './core/embedder.js';
import { CachedEmbedder } from './embedding/cached-embedder.js';
import { EmbeddingCache } from './embedding/embedding-cache.js';
import { EmbeddingQueue } from './embedding/embedding-queue.js';
import { timedEmbedder } from './embedding/timed-embedder.js';
import type { AnnIndexFactory } from './store/ann/ann-index.js';
import { EmbeddedStore } from './store/embedded/embedded-store.js';
import { chooseSearchPlacement, searchSlotsOf, type SearchPlacement } from './store/embedded/search-placement.js';
import { qdrantOptionsFrom } from './store/qdrant/qdrant-options.js';
import { QdrantStore } from './store/qdrant/qdrant-store.js';
import type { VectorStore } from './core/vector-store.js';
import type { Logger } from './core/logger.js';
import type { StorageHealth } from './core/storage.js';
import { StorageMonitor } from './util/storage-monitor.js';

/** The application's use cases wired to their adapters: the composition root. */
export interface Services {
  embedder: Embedder;
  /** The model behind `embedder`: id, variant, and the manifest check it passed. */
  model: ModelInfo;
  store: VectorStore;
  aligner: Aligner;
  catalog: CatalogService;
  /** The data volume (DATA_DIR): free bytes, whether writes are accepted, what the cache skipped. */
  storage: StorageHealth;
  /** Routes the duration of every embedding batch to `observe` (metrics); replaces any earlier one. */
  setEmbeddingObserver(observe: EmbeddingObserver): void;
  close(): Promise<void>;
}

export type EmbeddingObserver = (seconds: number, texts: number, model: string) => void;

/** Adapters a caller may substitute (tests inject a fault-injecting ANN index through this). */
export interface AdapterOverrides {
  annFactory?: AnnIndexFactory;
}

/** Where the embedded store searches: the configuration's threads and index, decided once (search-placement.ts). */
function searchPlacementFor(config: Config, overrides: AdapterOverrides, logger: Logger): SearchPlacement {
  return chooseSearchPlacement(
    {
      threads: config.searchThreads,
      ann: { library: config.annIndex, efSearch: config.annEfSearch, efConstruction: config.annEfConstruction },
      annFactory: overrides.annFactory,
      // A worker hung this long is replaced, as the stall watchdog restarts a hung main thread.
      stallMs: config.eventLoopStallExitMs,
    },
    logger,
  );
}

/**
 * The embedding cache, or none when its file cannot be opened (a full or read-only volume at
 * start-up): it only saves model work, so the service runs without it rather than not at all.
 */
function openEmbeddingCache(config: Config, logger: Logger): EmbeddingCache | undefined {
  const path = join(config.dataDir, 'cache', 'embeddings.sqlite');
  try {
    return new EmbeddingCache({ path, logger });
  } catch (err) {
    logger.warn(
      { path, err: (err as Error).message, code: (err as { code?: string }).code },
      'embedding cache unavailable; running without it',
    );
    return undefined;
  }
}

export async function createServices(config: Config, logger: Logger, overrides: AdapterOverrides = {}): Promise<Services> {
  const loaded = await createEmbedder({
    kind: config.embedder,
    modelId: config.modelId,
    // The shipped model is read from the installation's models/ unless MODEL_DIR says otherwise.
    modelDir: config.modelDir ?? (config.modelId === BUNDLED_MODEL_ID ? bundledModelsRoot() : undefined),
    ...(config.modelDtype ? { dtype: config.modelDtype } : {}),
    threads: config.embedThreads,
    allowRemoteModels: config.allowModelDownload,
    // Downloaded models land where the next start looks for them, not inside node_modules.
    cacheDir: config.modelDir ?? join(config.dataDir, 'models'),
    wordnetCacheDir: join(config.dataDir, 'wordnet'),
    // A production deployment must not silently answer with a weaker model.
    onUnavailable: config.nodeEnv === 'production' ? 'fail' : 'fallback',
    warn: (msg) => logger.warn({ embedder: config.embedder }, msg),
  });
  // Late-bound so that services created before the HTTP app (the demo ingests first) get metrics too.
  let observer: EmbeddingObserver | undefined;
  const timed = timedEmbedder(loaded, (seconds, texts) => observer?.(seconds, texts, loaded.id));
  // Callers reach the model through one bounded queue (overload is refused, not queued forever),
  // and the cache sits in front of the queue so hits never wait behind a running model call.
  // The timing decorator is innermost: the latency metric measures model work only.
  const queued = new EmbeddingQueue(timed, {
    maxDepth: config.embedQueueMaxDepth,
    timeoutMs: config.embedTimeoutMs,
    maxBatchTexts: config.embedBatchSize,
    bulkSliceTexts: config.embedBulkSliceTexts || undefined,
  });
  const cache = config.embeddingCache ? openEmbeddingCache(config, logger) : undefined;
  const embedder = cache ? new CachedEmbedder(queued, cache) : queued;
  const monitor = new StorageMonitor(config.dataDir, { minFreeBytes: config.storageMinFreeBytes });
  const storage: StorageHealth = {
    async status() {
      return { ...(await monitor.status()), ...(cache ? { cache: { ...cache.failures } } : {}) };
    },
  };
  const placement = config.store === 'embedded' ? searchPlacementFor(config, overrides, logger) : undefined;
  try {
    const store: VectorStore = placement
      ? await EmbeddedStore.open({
          dataDir: join(config.dataDir, 'embedded'),
          modelId: embedder.id,
          dimension: embedder.dimension,
          ...placement,
          logger,
          snapshotIntervalS: config.snapshotIntervalS,
          checkIntervalS: config.indexCheckIntervalS,
          probesPerCheck: config.indexCheckProbes,
          maxPendingTexts: config.indexMaxPendingTexts,
          storage: monitor,
        })
      : await QdrantStore.open(qdrantOptionsFrom(config, embedder, logger));
    // One bulk search slice per search worker (the main thread, or Qdrant, when there are none), so
    // a live lookup finds at most one slice ahead of it in any worker's queue.
    const aligner = new Aligner(embedder, store, config.defaultThreshold, {
      sliceTargetMs: config.bulkSliceMs,
      searchSlots: placement ? searchSlotsOf(placement) : 1,
    });
    const catalog = new CatalogService(embedder, store, config.embedBatchSize);
    return {
      embedder,
      model: modelInfo(loaded),
      store,
      aligner,
      catalog,
      storage,
      setEmbeddingObserver(observe) {
        observer = observe;
      },
      async close() {
        await store.close();
        await embedder.close();
      },
    };
  } catch (err) {
    await embedder.close();
    throw err;
  }
}
