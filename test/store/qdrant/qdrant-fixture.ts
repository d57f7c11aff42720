import { randomUUID } from 'node:crypto';
import { QdrantStore, type QdrantStoreOptions } from '../../../src/store/qdrant/qdrant-store.js';
import type { RetryDeps } from '../../../src/store/qdrant/retry.js';
import type { OpenFreshStore, StoreModel } from '../conformance/store-conformance.js';

/** Instant, deterministic retries for tests: no real sleeping, jitter fixed at the middle. */
export function instantRetries(): RetryDeps & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    now: () => now,
  };
}

export function storeOptions(
  url: string,
  collection: string,
  model: StoreModel,
  extra: Partial<QdrantStoreOptions> = {},
): QdrantStoreOptions {
  return {
    url,
    collection,
    timeoutMs: 5_000,
    modelId: model.modelId,
    dimension: model.dimension,
    m: 16,
    efConstruct: 128,
    efSearch: 128,
    quantization: 'none',
    onDisk: false,
    shards: 1,
    replicationFactor: 1,
    ...extra,
  };
}

/**
 * Fresh collections on the Qdrant at `url` (real or the test double), named uniquely and deleted
 * afterwards. `exactSearch` makes a real Qdrant scan exhaustively so its answers equal brute force.
 */
export function qdrantStores(url: () => string, extra: Partial<QdrantStoreOptions> = {}): OpenFreshStore {
  return async (model) => {
    const collection = `ecomalign_test_${randomUUID().slice(0, 8)}`;
    const open = (m: StoreModel) => QdrantStore.open(storeOptions(url(), collection, m, { exactSearch: true, ...extra }));
    return {
      store: await open(model),
      reopen: (other) => open(other ?? model),
      async cleanup() {
        await fetch(`${url()}/collections/${collection}`, { method: 'DELETE' }).catch(() => {});
      },
    };
  };
}
