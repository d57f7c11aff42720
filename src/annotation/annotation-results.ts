import { majorityVote, type BinaryLabel, type ItemLabel, type MajorityVote } from './agreement.js';
import { csvRow } from '../evalset/csv.js';

/** One annotator's state for one item, as the label store keeps it. */
export interface AnnotationRow {
  itemId: string;
  annotator: string;
  status: 'open' | 'labelled' | 'skipped';
  label: BinaryLabel | null;
}

export interface AnnotatorProgress {
  annotator: string;
  labels: number;
  skipped: number;
  /** Share of this annotator's labels that are 1: an annotator who answers 0 to everything passes every (negative) gold check but shows here. */
  positiveShare: number | null;
  goldLabels: number;
  goldCorrect: number;
  /** Accuracy on gold checks; null before the first one. */
  goldAccuracy: number | null;
}

export interface TaskProgress {
  items: number;
  goldItems: number;
  labels: number;
  /** Items with at least `votes` labels. */
  done: number;
  annotators: AnnotatorProgress[];
}

/** Progress of one task from its rows; rows of ids not in the set (a rebuilt set) are ignored. */
export function taskProgress(
  itemIds: ReadonlySet<string>,
  gold: ReadonlyMap<string, BinaryLabel>,
  rows: readonly AnnotationRow[],
  votes: number,
): TaskProgress {
  const perItem = new Map<string, number>();
  const perAnnotator = new Map<string, AnnotatorProgress & { ones: number }>();
  let labels = 0;
  for (const r of rows) {
    if (!itemIds.has(r.itemId) || r.status === 'open') continue;
    let a = perAnnotator.get(r.annotator);
    if (!a)
      perAnnotator.set(
        r.annotator,
        (a = {
          annotator: r.annotator,
          labels: 0,
          skipped: 0,
          positiveShare: null,
          goldLabels: 0,
          goldCorrect: 0,
          goldAccuracy: null,
          ones: 0,
        }),
      );
    if (r.status === 'skipped') {
      a.skipped++;
      continue;
    }
    labels++;
    perItem.set(r.itemId, (perItem.get(r.itemId) ?? 0) + 1);
    a.labels++;
    if (r.label === 1) a.ones++;
    const answer = gold.get(r.itemId);
    if (answer !== undefined) {
      a.goldLabels++;
      if (answer === r.label) a.goldCorrect++;
    }
  }
  const annotators = [...perAnnotator.values()]
    .sort((x, y) => (x.annotator < y.annotator ? -1 : 1))
    .map(({ ones, ...a }) => ({
      ...a,
      positiveShare: a.labels ? ones / a.labels : null,
      goldAccuracy: a.goldLabels ? a.goldCorrect / a.goldLabels : null,
    }));
  return {
    items: itemIds.size,
    goldItems: gold.size,
    labels,
    done: [...perItem.values()].filter((n) => n >= votes).length,
    annotators,
  };
}

/** The labelled rows of a task as agreement input. */
export function itemLabels(rows: readonly AnnotationRow[], itemIds: ReadonlySet<string>): ItemLabel[] {
  return rows.flatMap((r) =>
    r.status === 'labelled' && r.label !== null && itemIds.has(r.itemId)
      ? [{ itemId: r.itemId, annotator: r.annotator, label: r.label }]
      : [],
  );
}

export interface VotedItem<R> {
  record: R;
  vote: MajorityVote;
}

/** Records (in the set's order) with at least `minVotes` labels, each with its majority vote. */
export function votedItems<R extends { id: string }>(
  records: readonly R[],
  labels: readonly ItemLabel[],
  minVotes: number,
): VotedItem<R>[] {
  const byItem = new Map<string, BinaryLabel[]>();
  for (const l of labels) byItem.set(l.itemId, [...(byItem.get(l.itemId) ?? []), l.label]);
  return records.flatMap((record) => {
    const votes = byItem.get(record.id);
    return votes && votes.length >= minVotes ? [{ record, vote: majorityVote(votes) }] : [];
  });
}

const exportFields = (vote: MajorityVote) => ({ label: vote.label, votes: vote.votes, agreement: vote.agreement });

/**
 * One JSON line per item: the record's own fields plus `label` (the majority), `votes` and
 * `agreement`. Ties are left out: a tie is no label, and `calibrate` reads exactly these lines.
 */
export function votedJsonl<R extends object>(items: readonly VotedItem<R>[]): string {
  return items
    .filter((i) => i.vote.label !== 'tie')
    .map((i) => `${JSON.stringify({ ...i.record, ...exportFields(i.vote) })}\n`)
    .join('');
}

/**
 * The same as CSV, ties included with label "tie". Columns are the record's fields (nested values
 * as JSON) then label, votes, agreement; `columns` names the record fields for an empty export.
 */
export function votedCsv<R extends object>(items: readonly VotedItem<R>[], columns: readonly string[]): string {
  const header = [...columns, 'label', 'votes', 'agreement'];
  const cell = (v: unknown) => (v === null || v === undefined || typeof v === 'string' || typeof v === 'number' ? v : JSON.stringify(v));
  const rows = items.map((i) => {
    const values = { ...i.record, ...exportFields(i.vote) } as Record<string, unknown>;
    return csvRow(header.map((h) => cell(values[h])));
  });
  return csvRow(header) + rows.join('');
}
