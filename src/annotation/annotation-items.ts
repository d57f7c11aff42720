import type { BinaryLabel } from './agreement.js';
import type { T1Record, T2Record, T3Record } from '../evalset/types.js';

export const ANNOTATION_TASKS = ['t1', 't2', 't3'] as const;
export type AnnotationTask = (typeof ANNOTATION_TASKS)[number];
export type CandidateRecord = T1Record | T2Record | T3Record;

/**
 * What an annotator is shown of a candidate record. Silver labels, origins, scores, matched
 * intentions and corruption details are left out on purpose: they would bias the judgement.
 */
export interface AnnotationView {
  id: string;
  task: AnnotationTask;
  objective: string | null;
  steps: string[];
  /** T2: the step being judged, an index into `steps`. */
  stepIndex?: number;
  /** T2: the product judged for that step. */
  product?: { title: string; category: string | null };
  /** T3: for each step (same order as `steps`), the products proposed for it. */
  products?: { title: string }[][];
}

/** The script a T2 record's step belongs to, by script id (from the set's T1 originals or T3 sets). */
export type ScriptSteps = (scriptId: string) => readonly string[] | undefined;

export function annotationView(record: CandidateRecord, scriptSteps: ScriptSteps): AnnotationView {
  const base = { id: record.id, task: record.task, objective: record.objective };
  if (record.task === 't1') return { ...base, steps: [...record.steps] };
  if (record.task === 't3') {
    return {
      ...base,
      steps: record.steps.map((s) => s.step),
      products: record.steps.map((s) => s.products.map((p) => ({ title: p.title }))),
    };
  }
  const script = scriptSteps(record.scriptId);
  // A set without the script (hand-made or partial) still shows the judged step on its own.
  const whole = script && script[record.stepIndex] === record.step;
  return {
    ...base,
    steps: whole ? [...script] : [record.step],
    stepIndex: whole ? record.stepIndex : 0,
    product: { title: record.title, category: record.category },
  };
}

/**
 * The known answer of a gold check, or undefined for an ordinary item. Only constructions whose
 * answer does not need judgement count: a T1 script with a step from another objective swapped in
 * is not plausible, and a T2 easy negative (another category, or far below the threshold) does
 * not help. Shuffled or dropped-step scripts and hard negatives can honestly go either way.
 */
export function goldAnswer(record: CandidateRecord): BinaryLabel | undefined {
  if (record.task === 't1' && record.origin === 'swapped') return 0;
  if (record.task === 't2' && record.origin === 'easy') return 0;
  return undefined;
}
