import type { Embedder } from '../core/embedder.js';
import type { MatchMode, SearchFilter, VectorStore } from '../core/vector-store.js';
import { Retriever } from './scoring/retriever.js';
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
}

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

/** Thrown for a combination of options that cannot be honoured (the HTTP layer answers 400). */
export class AlignOptionsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'AlignOptionsError';
  }
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

  constructor(
    private readonly embedder: Embedder,
    store: VectorStore,
    /** Overrides the model's threshold under max (the THRESHOLD setting). */
    maxThreshold?: number,
  ) {
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
    // Lexical retrieval reads no vector of the step: it is not embedded.
    const vectors = texts.length && scoring.retrieval !== 'lexical' ? await this.embedder.embed(texts) : undefined;
    const matches = texts.length
      ? await this.retriever.retrieve(texts, vectors, {
          k: options.k,
          threshold,
          match: options.match,
          filter: options.filter,
          scoring,
          pool: options.pool,
        })
      : [];
    return {
      model: this.embedder.id,
      threshold,
      scoring,
      scripts: scripts.map((script) => script.steps.map((text, index) => ({ index, text, products: matches[distinct.get(text)!] }))),
    };
  }
}
