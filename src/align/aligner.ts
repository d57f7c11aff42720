import type { Embedder } from '../core/embedder.js';
import type { MatchMode, ProductMatch, SearchFilter, VectorStore } from '../core/vector-store.js';

export interface ScriptInput {
  id?: string;
  objective?: string;
  steps: readonly string[];
}

export interface AlignOptions {
  k: number;
  /** Defaults to the active model's calibrated threshold. */
  threshold?: number;
  match: MatchMode;
  filter?: SearchFilter;
}

export interface StepResult {
  index: number;
  text: string;
  products: ProductMatch[];
}

export interface AlignResult {
  model: string;
  threshold: number;
  scripts: StepResult[][];
}

/**
 * Steps → products. All steps of all given scripts are embedded in one batch (identical step
 * texts once), searched together, and regrouped per script. Knows nothing of HTTP or files.
 */
export class Aligner {
  readonly defaultThreshold: number;

  constructor(
    private readonly embedder: Embedder,
    private readonly store: VectorStore,
    defaultThreshold?: number,
  ) {
    this.defaultThreshold = defaultThreshold ?? embedder.defaultThreshold;
  }

  get model(): string {
    return this.embedder.id;
  }

  async align(scripts: readonly ScriptInput[], options: AlignOptions): Promise<AlignResult> {
    const threshold = options.threshold ?? this.defaultThreshold;
    const distinct = new Map<string, number>();
    for (const script of scripts) {
      for (const step of script.steps) if (!distinct.has(step)) distinct.set(step, distinct.size);
    }
    const texts = [...distinct.keys()];
    const vectors = texts.length ? await this.embedder.embed(texts) : [];
    const matches = texts.length
      ? await this.store.search(vectors, { k: options.k, threshold, match: options.match, filter: options.filter })
      : [];
    return {
      model: this.embedder.id,
      threshold,
      scripts: scripts.map((script) => script.steps.map((text, index) => ({ index, text, products: matches[distinct.get(text)!] }))),
    };
  }
}
