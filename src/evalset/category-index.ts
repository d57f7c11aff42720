import type { VectorStore } from '../core/vector-store.js';
import type { Random } from './random.js';

/**
 * A compact id → category index of the whole catalog, for sampling negatives. Built by paging
 * through `store.listProducts` once; keeps only ids (UTF-8, packed in one buffer) and a category
 * code per product, not products. Memory: about (id bytes + 12) bytes per product: ids + 4-byte
 * offset + 4-byte category code + 4 bytes in its category's member list (+ 1 byte "used" flag), so
 * ~77 MB for 2.4M products with 20-byte ids, against well over 1 GB as Product objects.
 */
export class CategoryIndex {
  private constructor(
    private readonly ids: Buffer,
    private readonly offsets: Uint32Array,
    private readonly codes: Int32Array,
    readonly categories: readonly string[],
    private readonly members: readonly Uint32Array[],
    /** Set when ids did not arrive in ascending byte order, so binary search cannot be used. */
    private readonly fallback: Map<string, number> | undefined,
  ) {}

  static async build(
    store: Pick<VectorStore, 'listProducts'>,
    options: { pageSize?: number; onPage?: (products: number) => void } = {},
  ): Promise<CategoryIndex> {
    const pageSize = options.pageSize ?? 1000;
    let ids: Buffer = Buffer.alloc(1 << 20);
    let idBytes = 0;
    let offsets: Uint32Array = new Uint32Array(1 << 14);
    let codes: Int32Array = new Int32Array(1 << 14);
    let n = 0;
    const codeOf = new Map<string, number>();
    let sorted = true;
    let previous: Buffer | undefined;
    let after: string | undefined;
    for (;;) {
      const page = await store.listProducts({ after, limit: pageSize });
      if (page.length === 0) break;
      for (const p of page) {
        const bytes = Buffer.from(p.id, 'utf8');
        if (previous && Buffer.compare(previous, bytes) >= 0) sorted = false;
        previous = bytes;
        if (idBytes + bytes.length > ids.length) ids = grow(ids, Math.max(ids.length * 2, idBytes + bytes.length));
        if (n + 2 > offsets.length) {
          offsets = growU32(offsets, offsets.length * 2);
          codes = growI32(codes, codes.length * 2);
        }
        offsets[n] = idBytes;
        bytes.copy(ids, idBytes);
        idBytes += bytes.length;
        let code = -1;
        if (p.category !== undefined && p.category !== null) {
          code = codeOf.get(p.category) ?? codeOf.size;
          codeOf.set(p.category, code);
        }
        codes[n++] = code;
      }
      offsets[n] = idBytes;
      after = page[page.length - 1].id;
      options.onPage?.(n);
      if (page.length < pageSize) break;
    }
    offsets[n] = idBytes;
    // Categories are numbered by first appearance; give them sorted names so outputs list them stably.
    const names = [...codeOf.keys()].sort();
    const remap = new Int32Array(codeOf.size);
    names.forEach((name, i) => (remap[codeOf.get(name)!] = i));
    const finalCodes = codes.slice(0, n);
    const counts = new Uint32Array(names.length);
    for (let i = 0; i < n; i++) if (finalCodes[i] >= 0) counts[(finalCodes[i] = remap[finalCodes[i]])]++;
    const members = Array.from(counts, (c) => new Uint32Array(c));
    const fill = new Uint32Array(names.length);
    for (let i = 0; i < n; i++) if (finalCodes[i] >= 0) members[finalCodes[i]][fill[finalCodes[i]]++] = i;
    const packed = Buffer.from(ids.subarray(0, idBytes));
    const finalOffsets = offsets.slice(0, n + 1);
    let fallback: Map<string, number> | undefined;
    if (!sorted) {
      fallback = new Map();
      for (let i = 0; i < n; i++) fallback.set(packed.toString('utf8', finalOffsets[i], finalOffsets[i + 1]), i);
    }
    return new CategoryIndex(packed, finalOffsets, finalCodes, names, members, fallback);
  }

  get size(): number {
    return this.codes.length;
  }

  /** Whether any product has a category; without any, easy negatives are chosen by score alone. */
  get hasCategories(): boolean {
    return this.categories.length > 0;
  }

  idAt(i: number): string {
    return this.ids.toString('utf8', this.offsets[i], this.offsets[i + 1]);
  }

  /** Category code of product i, or -1 when it has none. */
  codeAt(i: number): number {
    return this.codes[i];
  }

  categoryCode(name: string | null | undefined): number {
    if (name === null || name === undefined) return -1;
    let lo = 0;
    let hi = this.categories.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = this.categories[mid] < name ? -1 : this.categories[mid] > name ? 1 : 0;
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Index of a product id, or -1 when the catalog did not hold it when the index was built. */
  indexOf(id: string): number {
    if (this.fallback) return this.fallback.get(id) ?? -1;
    const key = Buffer.from(id, 'utf8');
    let lo = 0;
    let hi = this.size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = Buffer.compare(this.ids.subarray(this.offsets[mid], this.offsets[mid + 1]), key);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Number of products in category `code`. */
  categorySize(code: number): number {
    return this.members[code]?.length ?? 0;
  }

  /** A uniformly random product of category `code`. */
  randomInCategory(random: Random, code: number): number {
    const m = this.members[code];
    return m[random.int(m.length)];
  }

  /** A uniformly random product of the catalog. */
  randomProduct(random: Random): number {
    return random.int(this.size);
  }
}

function grow(buf: Buffer, size: number): Buffer {
  const out = Buffer.alloc(size);
  buf.copy(out);
  return out;
}

function growU32(a: Uint32Array, size: number): Uint32Array {
  const out = new Uint32Array(size);
  out.set(a);
  return out;
}

function growI32(a: Int32Array, size: number): Int32Array {
  const out = new Int32Array(size);
  out.set(a);
  return out;
}
