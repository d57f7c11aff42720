import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Schemas } from '@qdrant/js-client-rest';
import { loadConfig } from '../../../src/config.js';
import {
  PAYLOAD_INDEXES,
  createCollectionBody,
  readMetadata,
  settingsDrift,
  type CollectionSettings,
} from '../../../src/store/qdrant/collection-config.js';
import { qdrantOptionsFrom } from '../../../src/store/qdrant/qdrant-options.js';
import { clientAddress } from '../../../src/store/qdrant/connection.js';

const settings: CollectionSettings = {
  dimension: 384,
  modelId: 'Xenova/all-MiniLM-L6-v2',
  m: 16,
  efConstruct: 256,
  quantization: 'none',
  onDisk: false,
  shards: 6,
  replicationFactor: 2,
};

function infoOf(body: Schemas['CreateCollection']): Schemas['CollectionInfo'] {
  return {
    status: 'green',
    optimizer_status: 'ok',
    segments_count: 1,
    payload_schema: {},
    config: {
      params: { vectors: body.vectors, shard_number: body.shard_number ?? 1, replication_factor: body.replication_factor ?? 1 },
      hnsw_config: {},
      optimizer_config: {},
      quantization_config: body.quantization_config,
      metadata: body.metadata,
    },
  } as unknown as Schemas['CollectionInfo'];
}

describe('Qdrant collection configuration', () => {
  it('sizes vectors for the embedder, cosine distance, HNSW from the ANN settings, shards and replicas', () => {
    const body = createCollectionBody(settings);
    assert.deepEqual(body.vectors, { size: 384, distance: 'Cosine', on_disk: false });
    assert.deepEqual(body.hnsw_config, { m: 16, ef_construct: 256, on_disk: false });
    assert.equal(body.quantization_config, null);
    assert.equal(body.shard_number, 6);
    assert.equal(body.replication_factor, 2);
    assert.equal(body.write_consistency_factor, 1, 'factor 2: writes succeed with one replica down');
    assert.equal(createCollectionBody({ ...settings, replicationFactor: 3 }).write_consistency_factor, 2);
    assert.equal(createCollectionBody({ ...settings, replicationFactor: 1 }).write_consistency_factor, 1);
    assert.equal(body.on_disk_payload, true);
    assert.deepEqual(body.sparse_vectors, { bm25: { modifier: 'idf' } }, 'BM25 for lexical search, IDF applied by Qdrant');
  });

  it('turns on int8 scalar quantization kept in RAM, and on-disk vectors and graph', () => {
    const body = createCollectionBody({ ...settings, quantization: 'int8', onDisk: true });
    assert.deepEqual(body.quantization_config, { scalar: { type: 'int8', quantile: 0.99, always_ram: true } });
    assert.equal((body.vectors as { on_disk: boolean }).on_disk, true);
    assert.equal(body.hnsw_config?.on_disk, true);
  });

  it('records the embedder in the collection metadata and reads it back', () => {
    const body = createCollectionBody(settings);
    assert.deepEqual(body.metadata, { ecomalign: { modelId: 'Xenova/all-MiniLM-L6-v2', dimension: 384, layout: 1 } });
    assert.deepEqual(readMetadata(infoOf(body)), { modelId: 'Xenova/all-MiniLM-L6-v2', dimension: 384, layout: 1 });
    assert.equal(readMetadata(infoOf({ ...body, metadata: null })), undefined);
    assert.equal(readMetadata(infoOf({ ...body, metadata: { other: 1 } })), undefined);
  });

  it('indexes product id, kind and category as keywords, and the order keys as integers', () => {
    const byField = new Map(PAYLOAD_INDEXES.map((i) => [i.field, i.schema]));
    for (const field of ['productId', 'kind', 'category']) assert.deepEqual(byField.get(field), { type: 'keyword' });
    assert.deepEqual(byField.get('ok0'), { type: 'integer', lookup: true, range: true });
  });

  it('reports settings that differ from an existing collection', () => {
    const existing = infoOf(createCollectionBody(settings));
    assert.deepEqual(settingsDrift(existing, settings), []);
    const drift = settingsDrift(existing, { ...settings, shards: 3, quantization: 'int8' });
    assert.equal(drift.length, 2);
    assert.match(drift[0], /QDRANT_SHARDS=3/);
    assert.match(drift[1], /QDRANT_QUANTIZATION=int8/);
  });

  it('takes every setting from the validated configuration', () => {
    const config = loadConfig({
      STORE: 'qdrant',
      QDRANT_URL: 'http://qdrant:6333',
      QDRANT_API_KEY: 'secret',
      QDRANT_COLLECTION: 'catalog_v2',
      QDRANT_TIMEOUT_MS: '2500',
      QDRANT_SHARDS: '6',
      QDRANT_REPLICATION_FACTOR: '2',
      QDRANT_QUANTIZATION: 'int8',
      QDRANT_ON_DISK: 'true',
      ANN_EF_SEARCH: '96',
      ANN_EF_CONSTRUCTION: '200',
    });
    const o = qdrantOptionsFrom(config, { id: 'lexical-v1', dimension: 384 });
    assert.deepEqual(
      { ...o, logger: undefined },
      {
        url: 'http://qdrant:6333',
        apiKey: 'secret',
        collection: 'catalog_v2',
        timeoutMs: 2500,
        shards: 6,
        replicationFactor: 2,
        quantization: 'int8',
        onDisk: true,
        m: 16,
        efConstruct: 200,
        efSearch: 96,
        modelId: 'lexical-v1',
        dimension: 384,
        logger: undefined,
      },
    );
  });

  it('reads QDRANT_URL as written: its port, or the scheme default, and a path prefix', () => {
    assert.deepEqual(clientAddress('http://localhost:6333'), { url: 'http://localhost:6333', prefix: undefined, port: null });
    assert.deepEqual(clientAddress('https://vectors.example.com/qdrant/'), {
      url: 'https://vectors.example.com',
      prefix: '/qdrant',
      port: null,
    });
  });
});
