import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { CsvReader, CsvSyntaxError, unneutralise, type CsvRecord } from '../evalset/csv-reader.js';
import { textSchema } from '../catalog/product-schema.js';
import type { LabelledPair, LabelledPairs } from '../app/calibrate/labelled-pairs.js';
import { CommandFailure } from './command.js';
import { parseLine, readLines } from '../util/jsonl.js';

/** Every bad line of a labels file, by line number and field; nothing is computed from a file with any. */
export class LabelsFileError extends CommandFailure {
  constructor(readonly problems: string[]) {
    const shown = problems.slice(0, 20).map((p) => `  ${p}`);
    if (problems.length > 20) shown.push(`  … and ${problems.length - 20} more`);
    super(`labels file has ${problems.length} bad line(s); nothing was computed:\n${shown.join('\n')}`);
    this.name = 'LabelsFileError';
  }
}

const labelValue = z.union([z.literal(0), z.literal(1), z.boolean()], { error: 'must be 1, 0, true or false' });
const votes = z.number().int().min(1).optional();
const agreement = z.number().min(0).max(1).optional();

/** One human judgement per line. Other fields (e.g. the rest of a t2.jsonl record) are allowed and ignored. */
const labelLineSchema = z.object({ step: textSchema, productId: z.string().min(1).max(128), label: labelValue, votes, agreement });

/**
 * Reads labelled step–product pairs from JSONL ({"step","productId","label"} per line, as
 * `annotate`'s T2 export writes) or CSV (a header with step, productId or product_id, and label:
 * `annotate`'s CSV export, or build-benchmark's t2.csv with the label column filled in).
 */
export async function readLabelFile(path: string): Promise<LabelledPairs> {
  return /\.csv$/i.test(path) ? readCsvLabels(path) : readJsonlLabels(path);
}

async function readJsonlLabels(path: string): Promise<LabelledPairs> {
  const labels: LabelledPair[] = [];
  const problems: string[] = [];
  let lines = 0;
  for await (const line of readLines(path)) {
    lines++;
    const parsed = parseLine(labelLineSchema, line);
    if (!parsed.ok) problems.push(parsed.error);
    else labels.push({ line: line.lineNo, ...parsed.value, label: parsed.value.label === true || parsed.value.label === 1 });
  }
  if (problems.length) throw new LabelsFileError(problems);
  return { source: path, labels, lines, unlabelled: 0 };
}

const CSV_LABELS: Record<string, boolean | null> = { '1': true, '0': false, true: true, false: false, '': null, tie: null };

async function readCsvLabels(path: string): Promise<LabelledPairs> {
  const labels: LabelledPair[] = [];
  const problems: string[] = [];
  let columns: Map<string, number> | undefined;
  let rows = 0;
  let unlabelled = 0;
  const row = (record: CsvRecord) => {
    if (!columns) {
      columns = new Map(record.fields.map((name, i) => [name.trim(), i]));
      if (!columns.has('productId') && columns.has('product_id')) columns.set('productId', columns.get('product_id')!);
      const missing = ['step', 'productId', 'label'].filter((c) => !columns!.has(c));
      if (missing.length)
        problems.push(
          `line ${record.line}: the header has no ${missing.map((c) => JSON.stringify(c)).join(', ')} column (it has ${record.fields.map((f) => JSON.stringify(f)).join(', ')})`,
        );
      return;
    }
    rows++;
    const cell = (name: string) => (columns!.has(name) ? unneutralise(record.fields[columns!.get(name)!] ?? '') : undefined);
    const bad = (column: string, message: string) => problems.push(`line ${record.line}, column ${column}: ${message}`);
    const rawLabel = (cell('label') ?? '').trim().toLowerCase();
    const label = CSV_LABELS[rawLabel];
    if (label === undefined)
      bad('label', `must be 1, 0, true or false (or empty or "tie" to leave the row out), not ${JSON.stringify(rawLabel.slice(0, 40))}`);
    const step = textSchema.safeParse(cell('step') ?? '');
    if (!step.success) bad('step', step.error.issues[0].message);
    const productId = cell('productId') ?? '';
    if (productId.length < 1 || productId.length > 128)
      bad(columns.has('productId') ? 'productId' : 'product_id', 'must be 1–128 characters');
    const v = optionalNumber(cell('votes'), votes);
    if (!v.ok) bad('votes', 'must be a whole number ≥ 1');
    const a = optionalNumber(cell('agreement'), agreement);
    if (!a.ok) bad('agreement', 'must be a number from 0 to 1');
    if (label === null) unlabelled++;
    else if (label !== undefined && step.success && v.ok && a.ok)
      labels.push({ line: record.line, step: step.data, productId, label, votes: v.value, agreement: a.value });
  };
  const reader = new CsvReader();
  try {
    for await (const chunk of createReadStream(path, { encoding: 'utf8' })) reader.push(chunk as string).forEach(row);
    reader.end().forEach(row);
  } catch (err) {
    if (!(err instanceof CsvSyntaxError)) throw err;
    problems.push(err.message);
  }
  if (problems.length) throw new LabelsFileError(problems);
  return { source: path, labels, lines: rows, unlabelled };
}

function optionalNumber(
  text: string | undefined,
  schema: z.ZodType<number | undefined>,
): { ok: true; value: number | undefined } | { ok: false } {
  if (text === undefined || text.trim() === '') return { ok: true, value: undefined };
  const parsed = schema.safeParse(Number(text));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false };
}
