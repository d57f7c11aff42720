import type { TextKind } from '../../../core/product.js';
import type { CatalogDb, TextRow } from '../catalog/catalog-db.js';
import type { Watermarks } from '../shared/replica-messages.js';
import type { KindIndex } from './kind-index.js';
import { KINDS, kindCode, kindOf } from '../shared/text-kinds.js';
import { vectorFromBlob } from '../shared/vector-blob.js';

const REPLAY_CHUNK = 4096;

/**
 * Brings indexes loaded from a snapshot (or new and empty) up to the catalog: what the snapshot
 * lacks is replayed, removals first (their labels may be in the snapshot), then texts written
 * after it, in chunks so the exact tail never holds the whole catalog at once. `afterChunk` runs
 * after each chunk (the replica moves it into HNSW there).
 */
export function replayCatalog(
  db: CatalogDb,
  indexes: Record<TextKind, KindIndex>,
  from: Watermarks,
  afterChunk: () => void,
): { replayedTexts: number; replayedRemovals: number } {
  const removals = db.removalsAfter(from.removalSeq);
  for (const r of removals) indexes[kindOf(r.kind)].remove(r.label);
  let replayedTexts = 0;
  let batch: TextRow[] = [];
  const flush = () => {
    addRows(indexes, batch);
    replayedTexts += batch.length;
    batch = [];
    afterChunk();
  };
  for (const row of db.textsAfter(from.maxLabel)) {
    batch.push(row);
    if (batch.length >= REPLAY_CHUNK) flush();
  }
  flush();
  return { replayedTexts, replayedRemovals: removals.length };
}

/**
 * Adds catalog rows to the exact tail of their kind's index, vectors copied out of their blobs:
 * how replayed texts, and the missing ones a check finds (index-check.ts), enter the indexes.
 */
export function addRows(indexes: Record<TextKind, KindIndex>, rows: readonly TextRow[]): void {
  for (const kind of KINDS) {
    const ofKind = rows.filter((r) => r.kind === kindCode(kind));
    if (ofKind.length)
      indexes[kind].add(
        ofKind.map((r) => r.label),
        ofKind.map((r) => vectorFromBlob(r.vector)),
      );
  }
}
