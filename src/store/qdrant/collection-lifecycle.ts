import type { Schemas } from '@qdrant/js-client-rest';
import {
  PAYLOAD_INDEXES,
  LAYOUT_VERSION,
  METADATA_KEY,
  collectionMetadata,
  createCollectionBody,
  readMetadata,
  settingsDrift,
  vectorParams,
  type CollectionSettings,
} from './collection-config.js';
import type { QdrantConnection } from './connection.js';
import { BM25_VECTOR, hasBm25Vector } from './lexical-index.js';
import type { Logger } from '../../core/logger.js';
import { QdrantRequestError } from './retry.js';
import { ModelMismatchError, StoreUnavailableError } from '../../core/errors.js';

/** What the opened collection supports beyond vector search. */
export interface CollectionFeatures {
  /** It has the BM25 sparse vector (lexical-index.ts): writes fill it, lexicalSearch reads it. */
  bm25: boolean;
}

/**
 * Opening the collection: create it when missing (or adopt an empty one an operator made), refuse
 * one built with another model or point layout, warn about settings that differ, and add missing
 * payload indexes. A collection without the BM25 vector still opens (semantic search works); an
 * empty one gets the vector added, a filled one is reported and answers lexical searches with
 * LexicalIndexMissingError.
 */
export async function prepareCollection(conn: QdrantConnection, settings: CollectionSettings, logger: Logger): Promise<CollectionFeatures> {
  const lifecycle = new CollectionLifecycle(conn, settings, logger);
  return lifecycle.prepare();
}

class CollectionLifecycle {
  private readonly collection: string;

  constructor(
    private readonly conn: QdrantConnection,
    private readonly settings: CollectionSettings,
    private readonly logger: Logger,
  ) {
    this.collection = conn.collection;
  }

  async prepare(): Promise<CollectionFeatures> {
    const version = await this.conn.call('version check', () => this.conn.client.versionInfo());
    let info = await this.describe();
    if (!info) {
      info = await this.createCollection();
      this.logger.info({ collection: this.collection, qdrant: version.version, ...this.settingsLog() }, 'qdrant collection created');
    }
    if (!readMetadata(info) && (info.points_count ?? 0) === 0) info = await this.adopt();
    this.verify(info);
    const drift = settingsDrift(info, this.settings);
    if (drift.length) {
      this.logger.warn(
        { collection: this.collection, drift },
        'qdrant collection settings differ from the configuration; the collection keeps its own',
      );
    }
    for (const index of PAYLOAD_INDEXES) {
      if (info.payload_schema[index.field]) continue;
      await this.conn.call('payload index creation', () =>
        this.conn.client.createPayloadIndex(this.collection, { wait: true, field_name: index.field, field_schema: index.schema }),
      );
    }
    const bm25 = hasBm25Vector(info) || (await this.addBm25Vector(info));
    this.logger.info({ collection: this.collection, qdrant: version.version, points: info.points_count ?? 0, bm25 }, 'qdrant store open');
    return { bm25 };
  }

  /**
   * A collection without the BM25 vector (created before lexical search, or by an operator). Qdrant
   * 1.18 can add a named vector to an existing collection (PUT /collections/{name}/vectors/{vector},
   * client.createVectorName), but points already written would not get one: lexical search would
   * silently miss them, and contentHashes reports them complete, so no ingest rewrites them. So the
   * vector is added only while the collection is empty; a filled one is left as it is and reported.
   */
  private async addBm25Vector(info: Schemas['CollectionInfo']): Promise<boolean> {
    const remedy =
      `Lexical and hybrid retrieval answer an error on it until it is rebuilt: point QDRANT_COLLECTION at a new collection ` +
      `(or delete this one) and ingest the catalog again.`;
    if ((info.points_count ?? 0) > 0) {
      this.logger.warn({ collection: this.collection }, `qdrant collection has no BM25 index (created before lexical search). ${remedy}`);
      return false;
    }
    try {
      await this.conn.call('BM25 vector creation', () =>
        this.conn.client.createVectorName(this.collection, BM25_VECTOR, { sparse: { modifier: 'idf' } }, { wait: true }),
      );
    } catch (err) {
      // Qdrant before 1.18 has no such endpoint (404); another replica may have added it first.
      if (!(err instanceof QdrantRequestError)) throw err;
      const now = await this.describe();
      if (now && hasBm25Vector(now)) return true;
      this.logger.warn(
        { collection: this.collection, err: err.message },
        `could not add a BM25 index to the empty qdrant collection. ${remedy}`,
      );
      return false;
    }
    const after = await this.describe();
    return after !== undefined && hasBm25Vector(after);
  }

  private settingsLog() {
    const o = this.settings;
    return {
      dimension: o.dimension,
      shards: o.shards,
      replicationFactor: o.replicationFactor,
      quantization: o.quantization,
      onDisk: o.onDisk,
    };
  }

  /** The collection's info, or undefined when it does not exist. */
  private async describe(): Promise<Schemas['CollectionInfo'] | undefined> {
    try {
      return await this.conn.call('collection lookup', () => this.conn.client.getCollection(this.collection));
    } catch (err) {
      if (err instanceof QdrantRequestError && err.status === 404) return undefined;
      throw err;
    }
  }

  private async createCollection(): Promise<Schemas['CollectionInfo']> {
    try {
      // Through the raw API: the convenience method of client 1.18 drops the `metadata` field.
      await this.conn.call('collection creation', () =>
        this.conn.client.api().createCollection({ collection_name: this.collection, ...createCollectionBody(this.settings) }),
      );
    } catch (err) {
      // Another replica of the service created it first: verify theirs like any existing one.
      if (!(err instanceof QdrantRequestError && err.status === 409)) throw err;
    }
    const info = await this.describe();
    if (!info) throw new StoreUnavailableError(`Qdrant collection "${this.collection}" vanished right after creation`);
    return info;
  }

  /** An empty collection made by someone else (an operator choosing its settings): record our model in it. */
  private async adopt(): Promise<Schemas['CollectionInfo']> {
    await this.conn.call('collection metadata update', () =>
      this.conn.client
        .api()
        .updateCollection({ collection_name: this.collection, metadata: { [METADATA_KEY]: collectionMetadata(this.settings) } }),
    );
    this.logger.info({ collection: this.collection }, 'empty qdrant collection adopted: embedder recorded in its metadata');
    return (await this.describe()) ?? (await this.createCollection());
  }

  /** Refuses a collection whose vectors came from another model, dimension or point layout. */
  private verify(info: Schemas['CollectionInfo']): void {
    const { modelId, dimension } = this.settings;
    const where = `Qdrant collection "${this.collection}"`;
    const remedy =
      `Either select the model it was built with again (EMBEDDER / MODEL_ID), point QDRANT_COLLECTION at another ` +
      `collection (a new one is created), or delete it (curl -X DELETE <QDRANT_URL>/collections/${this.collection}) and ingest the catalog again.`;
    const meta = readMetadata(info);
    const vectors = vectorParams(info);
    if (!meta) {
      throw new ModelMismatchError(
        `${where} does not record which embedding model built it (no "ecomalign" metadata: it was not created by ecomalign, ` +
          `or by a Qdrant older than 1.16, which drops collection metadata). Its vectors cannot be trusted to match ` +
          `"${modelId}". ${remedy}`,
      );
    }
    if (meta.modelId !== modelId || meta.dimension !== dimension || (vectors && vectors.size !== dimension)) {
      throw new ModelMismatchError(
        `${where} holds vectors from model "${meta.modelId}" (${meta.dimension} dimensions), but the active embedder is ` +
          `"${modelId}" (${dimension} dimensions). Vectors of different models cannot be compared. ${remedy}`,
      );
    }
    if (vectors && vectors.distance !== 'Cosine') {
      throw new ModelMismatchError(`${where} uses ${vectors.distance} distance; ecomalign needs Cosine. ${remedy}`);
    }
    if (meta.layout !== LAYOUT_VERSION) {
      throw new ModelMismatchError(`${where} was written with point layout ${meta.layout}; this version uses ${LAYOUT_VERSION}. ${remedy}`);
    }
  }
}
