/**
 * The IntentionQA tuning split (data/intentionqa; MIT, HKUST-KnowComp) as the quality bench uses
 * it: the four-way questions of task2, the co-purchase pairs of task1 split deterministically into
 * retrieval queries and kept rows, and the catalog with the queries' clauses held out.
 */
import { createHash } from 'node:crypto';
import type { Product } from '../src/core/product.js';
import { readJsonl } from './eval-sets.js';

interface PairRow {
  id: string;
  item_a_id: string;
  item_b_id: string;
  assertion: string;
}

interface QuestionRow extends PairRow {
  distractors_id: string[];
}

export interface QaProduct {
  id: string;
  title: string;
  intentions: string[];
}

/** One four-way question: rank `candidates` (distinct ids, gold first) for `clause`. */
export interface QaQuestion {
  id: string;
  clause: string;
  gold: string;
  /** Distinct distractor ids other than the gold. */
  distractors: string[];
  /** The question lists its gold among its distractors: unwinnable (a tie), counted wrong. */
  goldIsDistractor: boolean;
}

/** One held-out retrieval query: the clause of a task1 row; relevant = the row's two products. */
export interface QaQuery {
  id: string;
  clause: string;
  relevant: string[];
}

/** The "because …" clause of an assertion, as scripts/build-intentionqa-catalog.ts cuts it. */
export function clauseOf(assertion: string): string | undefined {
  const at = assertion.indexOf(' because ');
  return at >= 0 ? assertion.slice(at + 1).trim() : undefined;
}

/** Query half: the first byte of sha256(id) is even. Deterministic and independent of file order. */
export const isQueryRow = (id: string): boolean => (createHash('sha256').update(id).digest()[0] & 1) === 0;

export interface QaData {
  catalog: QaProduct[];
  questions: QaQuestion[];
  /** task2 rows without a "because" clause (skipped). */
  questionsWithoutClause: number;
  queries: QaQuery[];
  keptRows: number;
  /** The catalog with each query row's clause removed from the intentions of its two products. */
  heldOut: QaProduct[];
  /** Query-half questions (their clause is held out of the gold's and item A's intentions). */
  heldOutQuestions: QaQuestion[];
  heldOutStats: { removedIntentions: number; productsLeftWithout: number; texts: number; productsOverThreeTexts: number };
}

export function readQaData(): QaData {
  const catalog = readJsonl<QaProduct>('data/intentionqa/catalog.jsonl');
  const pairs = readJsonl<PairRow>('data/intentionqa/task1.jsonl');
  const rows = readJsonl<QuestionRow>('data/intentionqa/task2.jsonl');

  const questions: QaQuestion[] = [];
  for (const row of rows) {
    const clause = clauseOf(row.assertion);
    if (!clause) continue;
    questions.push({
      id: row.id,
      clause,
      gold: row.item_b_id,
      distractors: [...new Set(row.distractors_id)].filter((d) => d !== row.item_b_id),
      goldIsDistractor: row.distractors_id.includes(row.item_b_id),
    });
  }

  const queries: QaQuery[] = [];
  const removed = new Map<string, Set<string>>();
  let keptRows = 0;
  for (const row of pairs) {
    const clause = clauseOf(row.assertion);
    if (!clause) continue;
    if (!isQueryRow(row.id)) {
      keptRows++;
      continue;
    }
    queries.push({ id: row.id, clause, relevant: [...new Set([row.item_a_id, row.item_b_id])] });
    for (const id of [row.item_a_id, row.item_b_id]) {
      const set = removed.get(id) ?? new Set<string>();
      set.add(clause);
      removed.set(id, set);
    }
  }
  let removedIntentions = 0;
  const heldOut = catalog.map((p) => {
    const drop = removed.get(p.id);
    if (!drop) return p;
    const intentions = p.intentions.filter((t) => !drop.has(t));
    removedIntentions += p.intentions.length - intentions.length;
    return { ...p, intentions };
  });
  const pairById = new Map(pairs.map((p) => [p.id, p]));
  const heldOutQuestions = questions.filter((q) => {
    const pair = pairById.get(q.id);
    return pair !== undefined && isQueryRow(q.id) && pair.item_b_id === q.gold;
  });
  return {
    catalog,
    questions,
    questionsWithoutClause: rows.length - questions.length,
    queries,
    keptRows,
    heldOut,
    heldOutQuestions,
    heldOutStats: {
      removedIntentions,
      productsLeftWithout: heldOut.filter((p) => p.intentions.length === 0).length,
      texts: heldOut.reduce((n, p) => n + 1 + p.intentions.length, 0),
      // Top-m (m = 3) differs from mean only for these (match both: title + intentions).
      productsOverThreeTexts: heldOut.filter((p) => 1 + p.intentions.length > 3).length,
    },
  };
}

export const asProducts = (catalog: readonly QaProduct[], withIntentions: boolean): Product[] =>
  catalog.map((p) => ({ id: p.id, title: p.title, intentions: withIntentions ? p.intentions : [] }));
