import { csvRow } from '../evalset/csv.js';
import type { T1Record, T2Record, T3Record } from '../evalset/types.js';

/**
 * Annotation-ready CSV rows: what an annotator needs to judge, an empty `label` column to fill in,
 * and the record id to join the label back. Silver labels, origins, scores and corruption details
 * are left out on purpose so they cannot bias the judgement (they stay in the JSONL files).
 */
export const CSV_HEADERS = {
  t1: csvRow(['id', 'script_id', 'objective', 'steps', 'label']),
  t2: csvRow([
    'id',
    'script_id',
    'objective',
    'step_number',
    'step',
    'product_id',
    'product_title',
    'product_category',
    'matched_intention',
    'label',
  ]),
  t3: csvRow(['id', 'script_id', 'objective', 'steps_and_products', 'label']),
} as const;

const numbered = (lines: string[]) => lines.map((l, i) => `${i + 1}. ${l}`).join('\n');

export function t1CsvRow(r: T1Record): string {
  return csvRow([r.id, r.scriptId, r.objective, numbered(r.steps), '']);
}

export function t2CsvRow(r: T2Record): string {
  return csvRow([r.id, r.scriptId, r.objective, r.stepIndex + 1, r.step, r.productId, r.title, r.category, r.matchedIntention, '']);
}

export function t3CsvRow(r: T3Record): string {
  const lines = r.steps.map((s) => `${s.step} -> ${s.products.length ? s.products.map((p) => p.title).join('; ') : '(no product)'}`);
  return csvRow([r.id, r.scriptId, r.objective, numbered(lines), '']);
}
