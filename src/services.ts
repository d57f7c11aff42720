import { join } from 'node:path';
import type { Config } from './config.js';
import { Aligner } from './align/aligner.js';
import { CatalogService } from './catalog/catalog-service.js';
import { createEmbedder } from './embedding/create-embedder.js';
import type { Embedder } from './embedding/embedder.js';
import { EmbeddingQueue } from './embedding/embedding-queue.js';
import { timedEmbedder } from './embedding/timed-embedder.js';
import { defaultAnnIndexFactory } from './store/ann/default-index.js';
import { EmbeddedStore } from './store/embedded/embedded-store.js';

/** The application's use cases wired to their adapters: the composition root. */
export interface Services {
  embedder: Embedder;
  store: EmbeddedStore;
  aligner: Aligner;
  catalog: CatalogService;
  /** Routes the duration of every embedding batch to `observe` (metrics); replaces any earlier one. */
  setEmbeddingObserver(observe: EmbeddingObserver): void;
  close(): Promise<void>;
}

export type EmbeddingObserver = (seconds: number, texts: number, model: string) => void;

export interface ServiceLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export async function createServices(config: Config, logger: ServiceLogger): Promise<Services> {
  const loaded = await createEmbedder({
    kind: config.embedder,
    modelId: config.modelId,
    modelDir: config.modelDir,
    allowRemoteModels: config.allowModelDownload,
    // Downloaded models land where the next start looks for them, not inside node_modules.
    cacheDir: config.modelDir ?? join(config.dataDir, 'models'),
    // A production deployment must not silently answer with a weaker model.
    onUnavailable: config.nodeEnv === 'production' ? 'fail' : 'fallback',
    warn: (msg) => logger.warn({ embedder: config.embedder }, msg),
  });
  // Late-bound so that services created before the HTTP app (the demo ingests first) get metrics too.
  let observer: EmbeddingObserver | undefined;
  const embedder = timedEmbedder(loaded, (seconds, texts) => observer?.(seconds, texts, loaded.id));
  try {
    const store = await EmbeddedStore.open({
      dataDir: join(config.dataDir, 'embedded'),
      modelId: embedder.id,
      dimension: embedder.dimension,
      annFactory: defaultAnnIndexFactory({ expansionSearch: config.annEfSearch, expansionAdd: config.annEfConstruction }),
      logger,
      snapshotIntervalS: config.snapshotIntervalS,
    });
    // Every caller (HTTP requests, ingest) reaches the model through one bounded queue.
    const queued = new EmbeddingQueue(embedder, {
      maxDepth: config.embedQueueMaxDepth,
      timeoutMs: config.embedTimeoutMs,
      maxBatchTexts: config.embedBatchSize,
    });
    const aligner = new Aligner(queued, store, config.defaultThreshold);
    const catalog = new CatalogService(queued, store, config.embedBatchSize);
    return {
      embedder: queued,
      store,
      aligner,
      catalog,
      setEmbeddingObserver(observe) {
        observer = observe;
      },
      async close() {
        await store.close();
        await queued.close();
      },
    };
  } catch (err) {
    await embedder.close();
    throw err;
  }
}
