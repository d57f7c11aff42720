import type { TextKind } from '../../../core/product.js';
import type { SearchFilter } from '../../../core/vector-store.js';
import type { CatalogDb } from './catalog-db.js';
import type { CatalogMirror } from './catalog-mirror.js';

/** A search filter in product numbers and category codes, as the store's thread knows them. */
export interface ResolvedFilter {
  accept: (pid: number) => boolean;
  /** Set when the filter names products: small enough to scan exactly. */
  pids?: number[];
  categories?: string[];
  /** Texts of each kind the filter can select (upper bound), to choose exact scan vs ANN. */
  estimate: (kind: TextKind) => number;
}

/** Resolves a request's filter against the catalog; undefined when it filters nothing. */
export function resolveFilter(filter: SearchFilter, mirror: CatalogMirror, db: CatalogDb): ResolvedFilter | undefined {
  const { productIds, categories } = filter;
  const codes = categories ? mirror.maps.codesOf(categories) : undefined;
  const inCategory = (pid: number) => !codes || codes.has(mirror.maps.categoryOf(pid));
  if (productIds) {
    const pids = db.pidsOf(productIds).filter(inCategory);
    const allowed = new Set(pids);
    return { accept: (pid) => allowed.has(pid), pids, estimate: () => 0 };
  }
  if (!codes) return undefined;
  return { accept: inCategory, categories, estimate: (kind) => mirror.textsIn(codes, kind) };
}
