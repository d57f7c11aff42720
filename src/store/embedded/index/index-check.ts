import type { TextKind } from '../../../core/product.js';
import type { IndexCheckReport } from '../../../core/vector-store.js';
import type { CatalogDb } from '../catalog/catalog-db.js';
import { addRows } from './catalog-replay.js';
import type { KindIndex } from './kind-index.js';
import { KINDS, kindOf } from '../shared/text-kinds.js';
import { vectorFromBlob } from '../shared/vector-blob.js';

const PAGE = 10_000;
/** Results asked for when probing whether a text is reachable by its own vector. */
const PROBE_DEPTH = 10;

export interface CheckOptions {
  /** Called after each page of the walk (and each probe chunk), so a caller can yield. */
  betweenPages?: () => Promise<void>;
  /** ANN texts probed by a search for their own vector per check (a rotating window); 0: none. */
  probes?: number;
  /** Where the previous check's probe window ended (label); the next window starts after it. */
  probeAfter?: number;
}

/**
 * Compares every text label in the catalog with what the indexes can return, and puts every
 * missing one back (from its stored vector, into the exact tail, whence it moves into the ANN
 * index like any new text).
 *
 * Membership is not enough: usearch 2.26.2 was seen to keep keys that `contains` reports and no
 * search returns, not even one asking for every vector. So a rotating window of `probes` texts in
 * the ANN index is also searched by its own stored vector; one that is not returned, while
 * nothing at least as close is, is unreachable and is re-inserted the same way.
 */
export async function checkAndRepair(
  db: CatalogDb,
  kinds: Record<TextKind, KindIndex>,
  options: CheckOptions = {},
): Promise<IndexCheckReport & { probeEnd: number }> {
  const betweenPages = options.betweenPages ?? (async () => undefined);
  const missing: Record<TextKind, number[]> = { intention: [], title: [] };
  const inAnn: Record<TextKind, number> = { intention: 0, title: 0 };
  const probeWindow: number[] = [];
  const probeWrap: number[] = [];
  const wanted = options.probes ?? 0;
  const after = options.probeAfter ?? 0;
  let checked = 0;
  for (let from = 0; ;) {
    const page = db.labelsAfter(from, PAGE);
    if (page.length === 0) break;
    for (const { label, kind: code } of page) {
      const kind = kindOf(code);
      const where = kinds[kind].locate(label);
      if (where === 'ann') {
        inAnn[kind]++;
        // The window: the first `wanted` ANN labels after the last one probed, wrapping around.
        if (label > after && probeWindow.length < wanted) probeWindow.push(label);
        else if (label <= after && probeWrap.length < wanted) probeWrap.push(label);
      } else if (where === undefined) missing[kind].push(label);
    }
    checked += page.length;
    from = page[page.length - 1].label;
    await betweenPages();
  }
  for (const kind of KINDS) {
    for (let i = 0; i < missing[kind].length; i += PAGE) addRows(kinds, db.textsByLabels(missing[kind].slice(i, i + PAGE)));
  }
  const probes = [...probeWindow, ...probeWrap].slice(0, wanted);
  const unreachable: Record<TextKind, number> = { intention: 0, title: 0 };
  for (let i = 0; i < probes.length; i += 500) {
    for (const row of db.textsByLabels(probes.slice(i, i + 500))) {
      const kind = kindOf(row.kind);
      if (kinds[kind].locate(row.label) !== 'ann') continue; // changed since the walk
      const vector = vectorFromBlob(row.vector);
      if (!kinds[kind].reachable(row.label, vector, PROBE_DEPTH)) {
        kinds[kind].reinsert(row.label, vector);
        unreachable[kind]++;
      }
    }
    await betweenPages();
  }
  return {
    at: new Date().toISOString(),
    missing: { intention: missing.intention.length, title: missing.title.length },
    extra: { intention: kinds.intention.annExtras(inAnn.intention), title: kinds.title.annExtras(inAnn.title) },
    unreachable,
    probed: probes.length,
    checkedTexts: checked,
    probeEnd: probes.length === 0 ? 0 : probes.length < wanted ? 0 : probes[probes.length - 1],
  };
}
