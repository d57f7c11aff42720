/** One human judgement of a step–product pair, with its vote count when it came from `annotate`. */
export interface LabelledPair {
  /** Where it was read (line of a JSONL file, row of a CSV file), for the report's skipped list. */
  line: number;
  step: string;
  productId: string;
  label: boolean;
  votes?: number;
  agreement?: number;
}

/** The labelled pairs of one labels file: what calibration reads. */
export interface LabelledPairs {
  /** Where they came from (the labels file's path), named in messages. */
  source: string;
  labels: LabelledPair[];
  /** Data lines (JSONL) or rows (CSV) read. */
  lines: number;
  /** CSV rows without a label (not yet labelled, or a tie in an `annotate` export), left out. */
  unlabelled: number;
}

/**
 * The pairs by step, steps in the order they first appear and pairs in file order. One pass that
 * appends to each step's list: copying the list on every pair made a step with n pairs cost n².
 */
export function groupByStep(labels: readonly LabelledPair[]): Map<string, LabelledPair[]> {
  const byStep = new Map<string, LabelledPair[]>();
  for (const pair of labels) {
    const pairs = byStep.get(pair.step);
    if (pairs) pairs.push(pair);
    else byStep.set(pair.step, [pair]);
  }
  return byStep;
}
