import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Embedder } from '../core/embedder.js';
import { AlignOptionsError } from '../core/errors.js';
import type { Priority } from '../core/priority.js';
import { FifoSemaphore } from '../util/fifo-semaphore.js';
import { SliceSizer } from './slice-sizer.js';
import type { MatchMode, SearchFilter, VectorStore } from '../core/vector-store.js';
import { Retriever, type RetrieveOptions } from './scoring/retriever.js';
import type { AlignedMatch } from './scoring/step-ranking.js';
import { completeScoring, thresholdable, type Scoring } from './scoring/scoring.js';
import { defaultThreshold, type SemanticThresholds } from './scoring/thresholds.js';

export interface ScriptInput {
  id?: string;
  objective?: string;
  steps: readonly string[];
}

export interface AlignOptions {
  k: number;
  /** Defaults to the calibrated threshold of the scoring (thresholds.ts); must be absent for rank fusion. */
  threshold?: number;
  match: MatchMode;
  filter?: SearchFilter;
  /** Aggregation and retrieval; defaults: max over semantic retrieval. */
  scoring?: Partial<Scoring>;
  /** Candidates per side per step before re-scoring (retriever.ts); for measurements. */
  pool?: number;
  /** Bulk requests are served in slices, behind interactive ones (core/priority.ts). Default: interactive. */
  priority?: Priority;
}

/** How bulk requests are cut (see alignBulk). */
export interface BulkSlicing {
  /** Target duration of one search slice (ms); slice-sizer.ts. */
  sliceTargetMs: number;
  /** Bulk search slices in flight at once: one per search worker keeps each worker's queue at most one slice deep. */
  searchSlots: number;
  /** Fewest steps in a slice (default 1). */
  minSliceSteps?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

const DEFAULT_BULK: BulkSlicing = { sliceTargetMs: 5, searchSlots: 1 };

export interface StepResult {
  index: number;
  text: string;
  products: AlignedMatch[];
}

export interface AlignResult {
  model: string;
  /** Null under rank fusion, whose scores take no threshold. */
  threshold: number | null;
  scoring: Scoring;
  scripts: StepResult[][];
}

/**
 * Steps → products. All steps of all given scripts are embedded in one batch (identical step
 * texts once), searched together, and regrouped per script. Knows nothing of HTTP or files.
 */
export class Aligner {
  /** The calibrated cosine threshold of each aggregation for the active model. */
  readonly thresholds: SemanticThresholds;
  /** The model's calibrated weighted-hybrid thresholds at alpha = 0.5, if it has them. */
  readonly hybridThresholds?: SemanticThresholds;
  private readonly retriever: Retriever;
  private readonly sizer: SliceSizer;
  private readonly searchLane: FifoSemaphore;
  private readonly now: () => number;

  constructor(
    private readonly embedder: Embedder,
    store: VectorStore,
    /** Overrides the model's threshold under max (the THRESHOLD setting). */
    maxThreshold?: number,
    bulk: BulkSlicing = DEFAULT_BULK,
  ) {
    // No floor on the slice by default: the sizer measures a slice's time at the search workers,
    // waiting included, so beside a writer (whose HNSW inserts and exact-tail scans share the
    // workers) slices shrink and live lookups wait less. A 32-step floor was measured (mixed bench,
    // lexical, probe + 1 builder + writer): probe p99 182 ms against 85, the writer at 357
    // intentions/s against 762, for a builder at 244 steps/s against 199.
    this.sizer = new SliceSizer({ targetMs: bulk.sliceTargetMs, initial: 16, min: bulk.minSliceSteps ?? 1, max: 512 });
    this.searchLane = new FifoSemaphore(bulk.searchSlots);
    this.now = bulk.now ?? (() => performance.now());
    const own = embedder.aggregateThresholds;
    const max = maxThreshold ?? embedder.defaultThreshold;
    this.thresholds = { max, mean: own?.mean ?? max, topm: own?.topm ?? max };
    if (own?.hybrid) this.hybridThresholds = own.hybrid;
    this.retriever = new Retriever(store);
  }

  /** The threshold under the default scoring (max, semantic). */
  get defaultThreshold(): number {
    return this.thresholds.max;
  }

  /** The threshold a request with this scoring and no threshold of its own gets. */
  thresholdFor(scoring?: Partial<Scoring>): number | null {
    return defaultThreshold(completeScoring(scoring ?? {}), this.thresholds, this.hybridThresholds);
  }

  get model(): string {
    return this.embedder.id;
  }

  async align(scripts: readonly ScriptInput[], options: AlignOptions): Promise<AlignResult> {
    const scoring = completeScoring(options.scoring ?? {});
    if (options.threshold !== undefined && !thresholdable(scoring)) {
      throw new AlignOptionsError(
        'threshold',
        'threshold: not allowed with fusion "rrf"; a rank-fusion score only orders one step and has no threshold',
      );
    }
    const threshold = options.threshold ?? defaultThreshold(scoring, this.thresholds, this.hybridThresholds);
    const distinct = new Map<string, number>();
    for (const script of scripts) {
      for (const step of script.steps) if (!distinct.has(step)) distinct.set(step, distinct.size);
    }
    const texts = [...distinct.keys()];
    const retrieve: RetrieveOptions = {
      k: options.k,
      threshold,
      match: options.match,
      filter: options.filter,
      scoring,
      pool: options.pool,
    };
    const matches =
      texts.length === 0
        ? []
        : options.priority === 'bulk'
          ? await this.alignBulk(texts, retrieve)
          : await this.retriever.retrieve(texts, await this.vectorsOf(texts, retrieve, 'interactive'), retrieve);
    return {
      model: this.embedder.id,
      threshold,
      scoring,
      scripts: scripts.map((script) => script.steps.map((text, index) => ({ index, text, products: matches[distinct.get(text)!] }))),
    };
  }

  /** The steps' vectors; none under lexical retrieval, which reads no vector of the step. */
  private async vectorsOf(texts: readonly string[], o: RetrieveOptions, priority: Priority): Promise<Float32Array[] | undefined> {
    return o.scoring.retrieval === 'lexical' ? undefined : this.embedder.embed(texts, { priority });
  }

  /**
   * A bulk request in slices, so that interactive requests are never stuck behind it ("The Tail at
   * Scale": micro-partitioning). Each slice is embedded in the model's bulk lane (embedding-queue.ts)
   * and then searched while holding one of `searchSlots`, so a search worker has at most one bulk
   * slice ahead of a live lookup. The next slice embeds while this one searches, so the model and
   * the workers stay busy. Slices of concurrent bulk requests take turns at both.
   */
  private async alignBulk(texts: readonly string[], o: RetrieveOptions): Promise<AlignedMatch[][]> {
    const out = new Array<AlignedMatch[]>(texts.length);
    const searches: Promise<void>[] = [];
    let failure: { err: unknown } | undefined;
    for (let from = 0; from < texts.length && !failure;) {
      // A macrotask per slice: cache hits and an embedder on this thread resolve at once, and the
      // whole batch then ran in one chain of microtasks (4,096 cache lookups held HTTP for ~50-130 ms).
      if (from > 0) await yieldToEventLoop();
      const part = texts.slice(from, from + this.sizer.next());
      const at = from;
      from += part.length;
      const vectors = await this.vectorsOf(part, o, 'bulk');
      const searched = this.searchLane.run(async () => {
        if (failure) return;
        const started = this.now();
        const found = await this.retriever.retrieve(part, vectors, o);
        this.sizer.observe(part.length, this.now() - started);
        for (let i = 0; i < found.length; i++) out[at + i] = found[i];
      });
      searches.push(searched.catch((err: unknown) => void (failure ??= { err })));
    }
    await Promise.all(searches);
    if (failure) throw failure.err;
    return out;
  }
}
