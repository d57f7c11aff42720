import type { TextKind } from '../../../core/product.js';
import type { StoreStats } from '../../../core/vector-store.js';
import type { CatalogDb } from './catalog-db.js';
import { ProductMaps } from './product-maps.js';
import type { ReplicaWrite } from '../shared/replica-messages.js';
import { kindCode } from '../shared/text-kinds.js';

/**
 * What the store's own thread keeps of the catalog in memory: which texts are live and each
 * product's category (product-maps.ts), product and text counts for stats, and live texts per
 * category and kind, which size a category filter before choosing between exact scan and ANN.
 */
export class CatalogMirror {
  readonly maps = new ProductMaps();
  /** category code → live text count per kind code. */
  private readonly categoryTexts = new Map<number, [number, number]>();
  private readonly counts = { products: 0, texts: [0, 0] as [number, number] };

  static load(db: CatalogDb): CatalogMirror {
    const mirror = new CatalogMirror();
    mirror.counts.products = mirror.maps.load(db, mirror.countText).products;
    return mirror;
  }

  /** Mirrors one committed write (`insertedProducts`: products it created rather than updated). */
  apply(write: ReplicaWrite, insertedProducts: number): void {
    this.counts.products += insertedProducts - write.deletedPids.length;
    this.maps.apply(write, this.countText);
  }

  stats(): StoreStats {
    return { products: this.counts.products, intentions: this.counts.texts[0], titles: this.counts.texts[1] };
  }

  /** Live texts of `kind` in the categories `codes` name. */
  textsIn(codes: Iterable<number>, kind: TextKind): number {
    let n = 0;
    for (const code of codes) n += this.categoryTexts.get(code)?.[kindCode(kind)] ?? 0;
    return n;
  }

  memoryBytes(): number {
    return this.maps.byteLength();
  }

  private readonly countText = (pid: number, kind: number, delta: number): void => {
    this.counts.texts[kind] += delta;
    const code = this.maps.categoryOf(pid);
    if (code < 0) return;
    let c = this.categoryTexts.get(code);
    if (!c) this.categoryTexts.set(code, (c = [0, 0]));
    c[kind] += delta;
  };
}
