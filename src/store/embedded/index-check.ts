import type { TextKind } from '../../catalog/product.js';
import type { IndexCheckReport } from '../vector-store.js';
import { kindOf, vectorFromBlob, type CatalogDb } from './catalog-db.js';
import type { KindIndex } from './kind-index.js';


const PAGE = 10_000;

/**
 * Compares every text label in the catalog with what the indexes can return, and puts every
 * missing one back (from its stored vector, into the exact tail, whence it moves into the ANN
 * index like any new text). Reads the catalog in pages and calls `betweenPages` after each, so a
 * caller can yield to the event loop during a check of a large catalog.
 */
export async function checkAndRepair(
  db: CatalogDb,
  kinds: Record<TextKind, KindIndex>,
  betweenPages: () => Promise<void> = async () => undefined,
): Promise<IndexCheckReport> {
  const missing: Record<TextKind, number[]> = { intention: [], title: [] };
  const inAnn: Record<TextKind, number> = { intention: 0, title: 0 };
  let checked = 0;
  for (let after = 0; ; ) {
    const page = db.labelsAfter(after, PAGE);
    if (page.length === 0) break;
    for (const { label, kind: code } of page) {
      const kind = kindOf(code);
      const where = kinds[kind].locate(label);
      if (where === 'ann') inAnn[kind]++;
      else if (where === undefined) missing[kind].push(label);
    }
    checked += page.length;
    after = page[page.length - 1].label;
    await betweenPages();
  }
  for (const kind of ['intention', 'title'] as const) {
    for (let i = 0; i < missing[kind].length; i += PAGE) {
      const rows = db.textsByLabels(missing[kind].slice(i, i + PAGE));
      kinds[kind].add(rows.map((r) => r.label), rows.map((r) => vectorFromBlob(r.vector)));
    }
  }
  return {
    at: new Date().toISOString(),
    missing: { intention: missing.intention.length, title: missing.title.length },
    extra: { intention: kinds.intention.annExtras(inAnn.intention), title: kinds.title.annExtras(inAnn.title) },
    checkedTexts: checked,
  };
}
