/** The records a benchmark build writes, one JSON object per line per task. Key order is fixed by these shapes. */

/** 1 = constructed as a positive, 0 = as a negative; to be confirmed by the human `label`. */
export type SilverLabel = 0 | 1;

export interface ScriptIn {
  id: string;
  objective?: string;
  steps: readonly string[];
}

export type T1Origin = 'original' | 'shuffled' | 'swapped' | 'dropped';

export type Corruption =
  | { kind: 'shuffled'; order: number[] }
  | { kind: 'swapped'; stepIndex: number; removed: string; inserted: string; donorScriptId: string; donorObjective: string | null }
  | { kind: 'dropped'; stepIndex: number; removed: string };

export interface T1Record {
  id: string;
  task: 't1';
  scriptId: string;
  objective: string | null;
  steps: string[];
  silverLabel: SilverLabel;
  origin: T1Origin;
  corruption: Corruption | null;
}

export type T2Origin = 'positive' | 'hard' | 'easy';
/** How a negative was found: ranked just below the threshold, same category as a positive, random from another category, random far below the threshold. */
export type NegativeKind = 'ranked' | 'category' | 'other-category' | 'far-below';

export interface T2Record {
  id: string;
  task: 't2';
  scriptId: string;
  objective: string | null;
  stepIndex: number;
  step: string;
  productId: string;
  title: string;
  category: string | null;
  score: number;
  matchedIntention: string;
  origin: T2Origin;
  negativeKind: NegativeKind | null;
  /** 1-based rank in the step's search results (positives and ranked hard negatives); null for sampled ones. */
  rank: number | null;
  silverLabel: SilverLabel;
}

export interface T3Product {
  productId: string;
  title: string;
  score: number;
}

export interface T3Step {
  stepIndex: number;
  step: string;
  products: T3Product[];
}

export interface T3Record {
  id: string;
  task: 't3';
  scriptId: string;
  objective: string | null;
  steps: T3Step[];
  silverLabel: SilverLabel;
  origin: 'positive' | 'swapped';
  swap: { stepIndex: number; removedProductId: string; insertedProductId: string; negativeKind: NegativeKind } | null;
}
