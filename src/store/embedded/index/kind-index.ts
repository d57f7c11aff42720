import type { AnnIndex, AnnSearchResult } from '../../ann/ann-index.js';
import { ExactIndex } from '../../ann/exact-index.js';

/**
 * Everything searchable of one text kind: the HNSW index plus a small exact "tail" of texts that
 * have been committed but not yet moved into the HNSW index.
 *
 * Why a tail (the shape of Qdrant's appendable segment and of Lucene's in-memory buffer): a
 * write only has to reach SQLite and the tail, which is plain JavaScript and cannot fail the way a
 * native insert can. So an acknowledged text is searchable at once, whatever the ANN library does
 * next. Moving texts into HNSW is a separate step (`moveToAnn`) that the store runs in the
 * background; when it throws, the texts it did not insert stay in the tail, still found by exact
 * scan, and the step is retried. Nothing is ever marked indexed while missing from both.
 *
 * Removals are two-phase for the same reason: a removed text leaves the tail at once, and one in
 * HNSW is queued and removed there in the background. Until then the store's label map hides it
 * (every hit is checked against the catalog), so a failed or slow native removal never leaks.
 */
export class KindIndex {
  /** Committed texts not yet in `ann`, in label order; searched by the exact `tail`. */
  private readonly pending = new Map<number, Float32Array>();
  private tail: ExactIndex;
  /** Labels removed from the catalog that `ann` still holds. */
  private readonly removals = new Set<number>();

  constructor(
    private ann: AnnIndex,
    readonly dimension: number,
  ) {
    this.tail = new ExactIndex(dimension, 256);
  }

  /** Makes new texts searchable now (exact tail); `moveToAnn` indexes them later. */
  add(labels: readonly number[], vectors: readonly Float32Array[]): void {
    this.tail.add(labels, vectors);
    for (let i = 0; i < labels.length; i++) this.pending.set(labels[i], vectors[i]);
  }

  /** Forgets a text: at once if it is still in the tail, otherwise queued for the ANN index. */
  remove(label: number): void {
    if (this.pending.delete(label)) {
      this.tail.remove(label);
      return;
    }
    // Queued without asking the native index: the write path makes no native call at all.
    // moveToAnn's native remove ignores labels the index never had.
    this.removals.add(label);
  }

  /** Where a label is searchable from, if anywhere. */
  locate(label: number): 'tail' | 'ann' | undefined {
    if (this.pending.has(label)) return 'tail';
    return !this.removals.has(label) && this.ann.has(label) ? 'ann' : undefined;
  }

  /**
   * ANN entries that are neither among `catalogInAnn` catalog texts found there nor queued for
   * removal: ghosts of texts the catalog no longer has.
   */
  annExtras(catalogInAnn: number): number {
    return Math.max(0, this.ann.size() - catalogInAnn - this.queuedInAnn());
  }

  /** Whether nothing at all is indexed (cheap, for the search path; removed entries may remain). */
  isEmpty(): boolean {
    return this.pending.size === 0 && this.ann.size() === 0;
  }

  /** Texts that search can return (removed ones excluded); O(queued removals). */
  liveSize(): number {
    return this.ann.size() - this.queuedInAnn() + this.pending.size;
  }

  private queuedInAnn(): number {
    let n = 0;
    for (const label of this.removals) if (this.ann.has(label)) n++;
    return n;
  }

  /** Texts waiting to enter the ANN index and removals waiting to leave it. */
  backlog(): { texts: number; removals: number } {
    return { texts: this.pending.size, removals: this.removals.size };
  }

  /**
   * The `n` best of the ANN index and the tail together, best first. Labels queued for removal may
   * appear; the caller's catalog check drops them (and asks for a deeper list if it needs to).
   */
  search(query: Float32Array, n: number): AnnSearchResult & { exhausted: boolean } {
    const fromAnn = this.ann.size() > 0 ? this.ann.search(query, n) : { labels: [], scores: [] };
    if (this.pending.size === 0) return { ...fromAnn, exhausted: fromAnn.labels.length < n };
    const fromTail = this.tail.search(query, n);
    const labels: number[] = [];
    const scores: number[] = [];
    let a = 0;
    let t = 0;
    while (labels.length < n && (a < fromAnn.labels.length || t < fromTail.labels.length)) {
      const takeAnn = t >= fromTail.labels.length || (a < fromAnn.labels.length && fromAnn.scores[a] >= fromTail.scores[t]);
      if (takeAnn) {
        labels.push(fromAnn.labels[a]);
        scores.push(fromAnn.scores[a++]);
      } else {
        labels.push(fromTail.labels[t]);
        scores.push(fromTail.scores[t++]);
      }
    }
    return { labels, scores, exhausted: fromAnn.labels.length < n && fromTail.labels.length < n };
  }

  /**
   * Applies up to `maxRemovals` queued removals and moves up to `maxTexts` tail texts into the ANN
   * index. If the native index throws, whatever it did take is accounted for (a native batch can
   * fail half-way: usearch inserted part of a batch before "Reserve capacity ahead of
   * insertions!"), the rest stays queued and searchable, and the error is rethrown for the
   * caller's retry.
   */
  moveToAnn(maxTexts: number, maxRemovals = maxTexts): { moved: number; removed: number } {
    // Removals and inserts are tried independently, so a failing one does not hold up the other;
    // the first error is rethrown once both had their turn.
    let failure: { error: unknown } | undefined;
    let removed = 0;
    for (const label of this.removals) {
      if (removed >= maxRemovals) break;
      try {
        this.ann.remove(label);
        this.removals.delete(label);
        removed++;
      } catch (err) {
        failure ??= { error: err };
        break;
      }
    }
    const labels: number[] = [];
    const vectors: Float32Array[] = [];
    for (const [label, vector] of this.pending) {
      if (labels.length >= maxTexts) break;
      labels.push(label);
      vectors.push(vector);
    }
    let moved = 0;
    if (labels.length > 0) {
      try {
        this.ann.add(labels, vectors);
        moved = labels.length;
      } catch (err) {
        failure ??= { error: err };
      }
      // Whatever the native index took, even from a batch that then failed, leaves the tail.
      for (const label of labels) {
        if (moved === labels.length || this.ann.has(label)) this.leaveTail(label);
      }
    }
    if (failure) throw failure.error;
    return { moved, removed };
  }

  /**
   * Whether a search of the ANN index for `vector` returns `label`, or at least only texts as close
   * as it (identical vectors of other texts may fill the first places).
   */
  reachable(label: number, vector: Float32Array, depth: number): boolean {
    const { labels, scores } = this.ann.search(vector, depth);
    if (labels.includes(label)) return true;
    const own = selfScore(vector);
    return labels.length === depth && scores[depth - 1] >= own - 1e-3;
  }

  /**
   * Puts a text the ANN index holds but cannot find back through the tail: removed from the
   * index now (a failure leaves it queued for removal), searchable in the tail at once, and
   * inserted again by the mover like any new text.
   */
  reinsert(label: number, vector: Float32Array): void {
    try {
      this.ann.remove(label);
    } catch {
      this.removals.add(label);
    }
    this.tail.add([label], [vector]);
    this.pending.set(label, vector);
  }

  /**
   * Starts over on an empty ANN index (the repair for entries the old one holds that the catalog
   * does not, which no ANN library here can list); the caller adds the catalog's texts again.
   */
  reset(fresh: AnnIndex): void {
    this.ann = fresh;
    this.pending.clear();
    this.removals.clear();
    this.tail = new ExactIndex(this.dimension, 256);
  }

  /** The ANN index, for snapshots; complete only when `backlog()` is empty. */
  annIndex(): AnnIndex {
    return this.ann;
  }

  /** Bytes held natively by the ANN index and by the tail. */
  memoryBytes(): number {
    return this.ann.memoryBytes() + this.tail.memoryBytes();
  }

  private leaveTail(label: number): void {
    this.pending.delete(label);
    this.tail.remove(label);
  }
}

/** The cosine of a vector with itself as the index computes it: 1, or 0 for a zero vector. */
function selfScore(vector: Float32Array): number {
  for (let i = 0; i < vector.length; i++) if (vector[i] !== 0) return 1;
  return 0;
}
