import type { AnnIndex, AnnIndexFactory, AnnSearchResult } from '../../../src/store/ann/ann-index.js';

/**
 * An AnnIndex that fails on purpose: `add` throws at random, after inserting a random prefix of
 * the batch when `partial` is set (what usearch did with "Reserve capacity ahead of insertions!"),
 * and `remove` throws at random before removing. Seeded, so a failing run can be replayed.
 */
export interface FaultPlan {
  random: () => number;
  addFailureRate: number;
  removeFailureRate: number;
  partial?: boolean;
}

export interface FaultCounts {
  addFailures: number;
  removeFailures: number;
  adds: number;
  removes: number;
}

export class InjectedFault extends Error {
  constructor(what: string) {
    super(`injected ${what} failure`);
    this.name = 'InjectedFault';
  }
}

export class FaultyAnn implements AnnIndex {
  /** Labels the index keeps (has() is true) but no search returns, as usearch was seen to do. */
  readonly ghosts = new Set<number>();

  constructor(
    private readonly inner: AnnIndex,
    private readonly plan: FaultPlan,
    private readonly counts: FaultCounts,
  ) {}

  get dimension(): number {
    return this.inner.dimension;
  }

  size(): number {
    return this.inner.size();
  }

  has(label: number): boolean {
    return this.inner.has(label);
  }

  add(labels: readonly number[], vectors: readonly Float32Array[]): void {
    this.counts.adds++;
    if (this.plan.random() < this.plan.addFailureRate) {
      this.counts.addFailures++;
      if (this.plan.partial) {
        const prefix = Math.floor(this.plan.random() * labels.length);
        if (prefix > 0) this.inner.add(labels.slice(0, prefix), vectors.slice(0, prefix));
      }
      throw new InjectedFault('add');
    }
    this.inner.add(labels, vectors);
  }

  remove(label: number): void {
    this.counts.removes++;
    if (this.plan.random() < this.plan.removeFailureRate) {
      this.counts.removeFailures++;
      throw new InjectedFault('remove');
    }
    this.ghosts.delete(label);
    this.inner.remove(label);
  }

  search(query: Float32Array, n: number): AnnSearchResult {
    const found = this.inner.search(query, n);
    if (this.ghosts.size === 0) return found;
    const keep = found.labels.map((label) => !this.ghosts.has(label));
    return { labels: found.labels.filter((_, i) => keep[i]), scores: found.scores.filter((_, i) => keep[i]) };
  }

  save(path: string): void {
    this.inner.save(path);
  }

  memoryBytes(): number {
    return this.inner.memoryBytes();
  }
}

/** Wraps every index the inner factory makes; `counts` tallies what was injected. */
export function faultyAnnFactory(
  inner: AnnIndexFactory,
  plan: FaultPlan,
): AnnIndexFactory & { counts: FaultCounts; innerIndexes: AnnIndex[]; wrapped: FaultyAnn[] } {
  const counts: FaultCounts = { addFailures: 0, removeFailures: 0, adds: 0, removes: 0 };
  // The wrapped indexes themselves, so a test can damage one behind the store's back.
  const innerIndexes: AnnIndex[] = [];
  const wrapped: FaultyAnn[] = [];
  const wrap = (index: AnnIndex) => {
    innerIndexes.push(index);
    const faulty = new FaultyAnn(index, plan, counts);
    wrapped.push(faulty);
    return faulty;
  };
  return {
    name: `faulty(${inner.name})`,
    counts,
    innerIndexes,
    wrapped,
    create: (dimension, expected) => wrap(inner.create(dimension, expected)),
    load: (path, dimension) => wrap(inner.load(path, dimension)),
  };
}
