import type { WriteEffects } from './catalog-db.js';
import { packVectors } from '../shared/packed-vectors.js';
import type { ReplicaWrite } from '../shared/replica-messages.js';

/** A committed write as the replicas need it: vectors packed into one array, so posting it to a worker is one copy. */
export function replicaWriteOf(effects: WriteEffects, dimension: number): ReplicaWrite {
  const n = effects.added.length;
  const vectors =
    effects.packedVectors?.length === n * dimension
      ? effects.packedVectors
      : packVectors(
          effects.added.map((a) => a.vector),
          n,
          dimension,
        );
  return {
    removed: effects.removed,
    deletedPids: effects.deletedPids,
    products: effects.products.map((p) => ({ pid: p.pid, category: p.category })),
    added: {
      labels: effects.added.map((a) => a.label),
      pids: effects.added.map((a) => a.pid),
      kinds: effects.added.map((a) => a.kind),
      vectors,
    },
  };
}
