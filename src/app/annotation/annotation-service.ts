import { agreementSummary, type AgreementSummary, type BinaryLabel } from '../../annotation/agreement.js';
import { ANNOTATION_TASKS, type AnnotationTask, type AnnotationView } from '../../annotation/annotation-items.js';
import { pickNext } from '../../annotation/annotation-queue.js';
import { itemLabels, taskProgress, votedCsv, votedItems, votedJsonl, type TaskProgress } from '../../annotation/annotation-results.js';
import type { CandidateSet } from './candidate-set.js';
import type { LabelStore } from './label-store.js';

export interface AnnotationOptions {
  /** Labels an item needs; it is not served once it has them. */
  votes: number;
  /** Share of served items that are gold checks (0 = none mixed in). */
  goldRate: number;
}

export interface ProgressReport {
  set: string;
  votes: number;
  goldRate: number;
  tasks: Record<AnnotationTask, TaskProgress>;
}

/**
 * The annotation use cases over one candidate set and its label store: what to show next, storing
 * labels, skips and undo, progress, agreement and the majority-vote export. No HTTP here.
 */
export class AnnotationService {
  constructor(
    readonly set: CandidateSet,
    private readonly store: LabelStore,
    readonly options: AnnotationOptions,
  ) {}

  /** The item on the annotator's screen if there is one, else the next to label; undefined when none is left. */
  next(annotator: string, task: AnnotationTask): AnnotationView | undefined {
    const open = this.store.openItem(annotator, task);
    if (open && this.set.byId.has(open)) return this.set.byId.get(open)!.view;
    const items = this.set.tasks[task];
    const labels = new Map<string, number>();
    const openCounts = new Map<string, number>();
    const seen = new Set<string>();
    let seenGold = 0;
    for (const r of this.store.rows(task)) {
      if (r.annotator === annotator) {
        seen.add(r.itemId);
        if (items.gold.has(r.itemId)) seenGold++;
      }
      const counts = r.status === 'labelled' ? labels : r.status === 'open' ? openCounts : undefined;
      counts?.set(r.itemId, (counts.get(r.itemId) ?? 0) + 1);
    }
    const id = pickNext({
      order: items.ids,
      gold: new Set(items.gold.keys()),
      votes: this.options.votes,
      goldRate: this.options.goldRate,
      labels,
      open: openCounts,
      seen,
      seenGold,
    });
    if (id === undefined) return undefined;
    this.store.markShown(annotator, task, id);
    return this.set.byId.get(id)!.view;
  }

  /** Stores the label (replacing an earlier one); false when the id is not in the set. */
  label(annotator: string, id: string, label: BinaryLabel): boolean {
    const item = this.set.byId.get(id);
    if (!item) return false;
    this.store.label(annotator, item.task, id, label);
    return true;
  }

  /** The annotator passes on the item; it is not shown to them again. False when the id is unknown. */
  skip(annotator: string, id: string): boolean {
    const item = this.set.byId.get(id);
    if (!item) return false;
    this.store.skip(annotator, item.task, id);
    return true;
  }

  /** Reopens the annotator's latest label or skip in the task and returns that item. */
  undo(annotator: string, task: AnnotationTask): AnnotationView | undefined {
    const id = this.store.undo(annotator, task);
    return id === undefined ? undefined : this.set.byId.get(id)?.view;
  }

  progress(): ProgressReport {
    const tasks = Object.fromEntries(
      ANNOTATION_TASKS.map((task) => {
        const items = this.set.tasks[task];
        return [task, taskProgress(items.idSet, items.gold, this.store.rows(task), this.options.votes)];
      }),
    ) as Record<AnnotationTask, TaskProgress>;
    return { set: this.set.name, votes: this.options.votes, goldRate: this.options.goldRate, tasks };
  }

  agreement(task: AnnotationTask): AgreementSummary & { task: AnnotationTask } {
    return { task, ...agreementSummary(itemLabels(this.store.rows(task), this.set.tasks[task].idSet)) };
  }

  /** Items with at least `minVotes` labels with their majority vote, as JSONL (ties left out) or CSV (ties marked). */
  export(task: AnnotationTask, format: 'jsonl' | 'csv', minVotes = this.options.votes): string {
    const items = this.set.tasks[task];
    const voted = votedItems(items.records, itemLabels(this.store.rows(task), items.idSet), minVotes);
    return format === 'jsonl' ? votedJsonl(voted) : votedCsv(voted, items.records[0] ? Object.keys(items.records[0]) : ['id']);
  }
}
