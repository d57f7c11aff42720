import type { CategoryIndex } from './category-index.js';
import type { T1Record, T2Record, T3Record } from './types.js';

type Counts = Record<string, number>;

/**
 * Counts for stats.json, accumulated as records stream by. Everything is a count or a ratio of
 * counts (no times), and every map is written with sorted keys, so equal builds give equal files.
 * Memory: a few counters plus one byte per catalog product (the "used" flag behind coverage).
 */
export class BenchmarkStats {
  readonly input = { lines: 0, badLines: 0, duplicateIds: 0, duplicateContent: 0, scripts: 0 };
  private steps = 0;
  private stepsWithoutProduct = 0;
  private readonly t1 = { records: 0, positives: 0, byOrigin: {} as Counts, shortfall: 0 };
  private readonly t2 = { records: 0, positives: 0, byOrigin: {} as Counts, byNegativeKind: {} as Counts, shortfall: { hard: 0, easy: 0 } };
  private readonly t3 = { records: 0, positives: 0, byOrigin: {} as Counts, scriptsWithoutProducts: 0, shortfall: 0 };
  private readonly perCategory: { positive: Uint32Array; hard: Uint32Array; easy: Uint32Array };
  private readonly used: Uint8Array;
  private uncategorised = { positive: 0, hard: 0, easy: 0 };

  constructor(private readonly index: CategoryIndex) {
    const n = index.categories.length;
    this.perCategory = { positive: new Uint32Array(n), hard: new Uint32Array(n), easy: new Uint32Array(n) };
    this.used = new Uint8Array(index.size);
  }

  step(hasProduct: boolean): void {
    this.steps++;
    if (!hasProduct) this.stepsWithoutProduct++;
  }

  addT1(records: readonly T1Record[], wanted: number): void {
    for (const r of records) {
      this.t1.records++;
      this.t1.positives += r.silverLabel;
      bump(this.t1.byOrigin, r.origin);
    }
    this.t1.shortfall += Math.max(0, wanted - (records.length - 1));
  }

  addT2(records: readonly T2Record[], shortfall: { hard: number; easy: number }): void {
    for (const r of records) {
      this.t2.records++;
      this.t2.positives += r.silverLabel;
      bump(this.t2.byOrigin, r.origin);
      if (r.negativeKind) bump(this.t2.byNegativeKind, r.negativeKind);
      const code = this.index.categoryCode(r.category);
      if (code >= 0) this.perCategory[r.origin][code]++;
      else this.uncategorised[r.origin]++;
      const i = this.index.indexOf(r.productId);
      if (i >= 0) this.used[i] = 1;
    }
    this.t2.shortfall.hard += shortfall.hard;
    this.t2.shortfall.easy += shortfall.easy;
  }

  addT3(records: readonly T3Record[], wantedNegatives: number): void {
    if (records.length === 0) this.t3.scriptsWithoutProducts++;
    else this.t3.shortfall += Math.max(0, wantedNegatives - (records.length - 1));
    for (const r of records) {
      this.t3.records++;
      this.t3.positives += r.silverLabel;
      bump(this.t3.byOrigin, r.origin);
    }
  }

  toJSON(parameters: Record<string, unknown>): unknown {
    const task = (t: { records: number; positives: number }) => ({
      records: t.records,
      positives: t.positives,
      negatives: t.records - t.positives,
      positiveShare: ratio(t.positives, t.records),
    });
    const distinct = new Uint32Array(this.index.categories.length);
    for (let i = 0; i < this.used.length; i++) {
      const code = this.index.codeAt(i);
      if (this.used[i] && code >= 0) distinct[code]++;
    }
    const categories: Record<string, unknown> = {};
    this.index.categories.forEach((name, c) => {
      const products = this.index.categorySize(c);
      categories[name] = {
        catalogProducts: products,
        positives: this.perCategory.positive[c],
        hardNegatives: this.perCategory.hard[c],
        easyNegatives: this.perCategory.easy[c],
        distinctProductsUsed: distinct[c],
        coverage: ratio(distinct[c], products),
      };
    });
    return {
      parameters: sortKeys(parameters),
      input: { ...this.input },
      steps: {
        total: this.steps,
        withoutProductAboveThreshold: this.stepsWithoutProduct,
        shareWithoutProduct: ratio(this.stepsWithoutProduct, this.steps),
      },
      t1: { ...task(this.t1), byOrigin: sortKeys(this.t1.byOrigin), negativesShort: this.t1.shortfall },
      t2: {
        ...task(this.t2),
        byOrigin: sortKeys(this.t2.byOrigin),
        byNegativeKind: sortKeys(this.t2.byNegativeKind),
        negativesShort: { ...this.t2.shortfall },
      },
      t3: {
        ...task(this.t3),
        byOrigin: sortKeys(this.t3.byOrigin),
        scriptsWithoutProducts: this.t3.scriptsWithoutProducts,
        negativesShort: this.t3.shortfall,
      },
      categories,
      uncategorisedRecords: { ...this.uncategorised },
    };
  }
}

function bump(counts: Counts, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Rounded so the file does not depend on the last bits of a division. */
function ratio(a: number, b: number): number | null {
  return b === 0 ? null : Math.round((a / b) * 1e6) / 1e6;
}

function sortKeys<T>(obj: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
