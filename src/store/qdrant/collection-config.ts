import type { Schemas } from '@qdrant/js-client-rest';
import { bm25SparseVectors } from './lexical-index.js';
import { ORDER_KEY_FIELDS } from './order-key.js';

/**
 * What the Qdrant collection looks like: built from configuration alone so it can be checked
 * without a server, and compared against an existing collection on start.
 */

export interface CollectionSettings {
  /** Vector size: the active embedder's dimension. */
  dimension: number;
  /** Embedder id recorded in the collection's metadata; a mismatch refuses to start. */
  modelId: string;
  /** HNSW graph degree (Qdrant's `m`); 16 matches the embedded usearch index. */
  m: number;
  /** HNSW insert breadth (ANN_EF_CONSTRUCTION). */
  efConstruct: number;
  quantization: 'none' | 'int8';
  /** Vectors and the HNSW graph memory-mapped from disk instead of held in RAM. */
  onDisk: boolean;
  shards: number;
  replicationFactor: number;
}

/** Key under the collection metadata that holds our record; other tools may add their own keys. */
export const METADATA_KEY = 'ecomalign';
/** Bumped when the point layout changes incompatibly (payload fields, id derivation). */
export const LAYOUT_VERSION = 1;

export interface CollectionMetadata {
  modelId: string;
  dimension: number;
  layout: number;
}

export function collectionMetadata(s: Pick<CollectionSettings, 'modelId' | 'dimension'>): CollectionMetadata {
  return { modelId: s.modelId, dimension: s.dimension, layout: LAYOUT_VERSION };
}

export function createCollectionBody(s: CollectionSettings): Schemas['CreateCollection'] {
  return {
    vectors: { size: s.dimension, distance: 'Cosine', on_disk: s.onDisk },
    // BM25 for lexical search, computed by Qdrant from each point's text (lexical-index.ts).
    sparse_vectors: bm25SparseVectors(),
    hnsw_config: { m: s.m, ef_construct: s.efConstruct, on_disk: s.onDisk },
    // int8 keeps a 4x smaller copy of every vector in RAM for the graph walk; the originals (RAM or
    // disk) rescore the candidates, so scores stay exact cosines and recall drops only slightly.
    quantization_config: s.quantization === 'int8' ? { scalar: { type: 'int8', quantile: 0.99, always_ram: true } } : null,
    // Payloads (product records, texts) are read only for returned hits: keep them off the heap.
    // Indexed fields stay in RAM regardless, so filters remain fast.
    on_disk_payload: true,
    shard_number: s.shards,
    replication_factor: s.replicationFactor,
    // Writes must reach all replicas but one: with one node down, writes still succeed (factor 2
    // and 3), and at factor 3 an acknowledged write is on at least two nodes.
    write_consistency_factor: Math.max(1, s.replicationFactor - 1),
    metadata: { [METADATA_KEY]: collectionMetadata(s) },
  };
}

/**
 * Payload indexes: keyword indexes make the product/kind/category filters and the group-by cheap;
 * the integer order keys (title points only) let listProducts walk products in id order. `rev` is
 * deliberately not indexed: it is only tested on the few points a productId condition selected.
 */
export const PAYLOAD_INDEXES: readonly { field: string; schema: Schemas['PayloadFieldSchema'] }[] = [
  { field: 'productId', schema: { type: 'keyword' } },
  { field: 'kind', schema: { type: 'keyword' } },
  { field: 'category', schema: { type: 'keyword' } },
  ...ORDER_KEY_FIELDS.map((field) => ({ field, schema: { type: 'integer', lookup: true, range: true } as const })),
];

/** Reads our record from a collection's metadata; undefined when absent or malformed. */
export function readMetadata(info: Schemas['CollectionInfo']): CollectionMetadata | undefined {
  const raw = info.config.metadata?.[METADATA_KEY] as Partial<CollectionMetadata> | undefined;
  if (!raw || typeof raw.modelId !== 'string' || typeof raw.dimension !== 'number') return undefined;
  return { modelId: raw.modelId, dimension: raw.dimension, layout: typeof raw.layout === 'number' ? raw.layout : 0 };
}

/** Size and distance of the collection's single unnamed vector, if that is what it has. */
export function vectorParams(info: Schemas['CollectionInfo']): { size: number; distance: string } | undefined {
  const v = info.config.params.vectors as { size?: unknown; distance?: unknown } | undefined;
  if (!v || typeof v.size !== 'number' || typeof v.distance !== 'string') return undefined;
  return { size: v.size, distance: v.distance };
}

/**
 * Settings that differ between the configuration and an existing collection but that Qdrant cannot
 * change in place (shards) or that we do not change behind the operator's back: reported as warnings.
 */
export function settingsDrift(info: Schemas['CollectionInfo'], s: CollectionSettings): string[] {
  const drift: string[] = [];
  const p = info.config.params;
  if (p.shard_number != null && p.shard_number !== s.shards) drift.push(`shard_number is ${p.shard_number}, QDRANT_SHARDS=${s.shards}`);
  if (p.replication_factor != null && p.replication_factor !== s.replicationFactor) {
    drift.push(`replication_factor is ${p.replication_factor}, QDRANT_REPLICATION_FACTOR=${s.replicationFactor}`);
  }
  const quantized = info.config.quantization_config != null;
  if (quantized !== (s.quantization === 'int8'))
    drift.push(`quantization is ${quantized ? 'on' : 'off'}, QDRANT_QUANTIZATION=${s.quantization}`);
  return drift;
}
