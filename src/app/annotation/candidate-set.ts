import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import type { BinaryLabel } from '../../annotation/agreement.js';
import {
  ANNOTATION_TASKS,
  annotationView,
  goldAnswer,
  type AnnotationTask,
  type AnnotationView,
  type CandidateRecord,
} from '../../annotation/annotation-items.js';

/** A candidate set written by `build-benchmark`, read once and never written. */
export interface CandidateSet {
  dir: string;
  name: string;
  tasks: Record<AnnotationTask, TaskItems>;
  /** Every item by id, across tasks. */
  byId: Map<string, { task: AnnotationTask; record: CandidateRecord; view: AnnotationView }>;
}

export interface TaskItems {
  records: CandidateRecord[];
  ids: string[];
  idSet: Set<string>;
  /** Gold checks of the task with their known answers. */
  gold: Map<string, BinaryLabel>;
}

export class CandidateSetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CandidateSetError';
  }
}

// Only the fields the annotation tool reads are checked; the record is kept as written, so an
// export gives back exactly the set's fields.
const text = z.string();
const recordSchemas = {
  t1: z.object({ id: text, task: z.literal('t1'), scriptId: text, objective: text.nullable(), steps: z.array(text).min(1), origin: text }),
  t2: z.object({
    id: text,
    task: z.literal('t2'),
    scriptId: text,
    objective: text.nullable(),
    stepIndex: z.number().int().min(0),
    step: text,
    productId: text,
    title: text,
    category: text.nullable(),
    origin: text,
  }),
  t3: z.object({
    id: text,
    task: z.literal('t3'),
    scriptId: text,
    objective: text.nullable(),
    steps: z.array(z.object({ step: text, products: z.array(z.object({ productId: text, title: text })) })).min(1),
  }),
};

/** Reads t1/t2/t3.jsonl from a `build-benchmark` output directory (a missing task file is an empty task). */
export function loadCandidateSet(dir: string): CandidateSet {
  const full = resolve(dir);
  const files = ANNOTATION_TASKS.map((t) => join(full, `${t}.jsonl`));
  if (!files.some((f) => existsSync(f)))
    throw new CandidateSetError(`${dir} holds no t1.jsonl, t2.jsonl or t3.jsonl: is it a directory written by build-benchmark?`);
  const records = Object.fromEntries(ANNOTATION_TASKS.map((task, i) => [task, readTask(task, files[i])])) as Record<
    AnnotationTask,
    CandidateRecord[]
  >;

  // T2 shows the whole script: take it from the set's original T1 scripts, else from a T3 set.
  const scripts = new Map<string, readonly string[]>();
  for (const r of records.t3)
    if (r.task === 't3')
      scripts.set(
        r.scriptId,
        r.steps.map((s) => s.step),
      );
  for (const r of records.t1) if (r.task === 't1' && r.origin === 'original') scripts.set(r.scriptId, r.steps);

  const byId: CandidateSet['byId'] = new Map();
  const tasks = {} as CandidateSet['tasks'];
  for (const task of ANNOTATION_TASKS) {
    const gold = new Map<string, BinaryLabel>();
    for (const record of records[task]) {
      if (byId.has(record.id)) throw new CandidateSetError(`${task}.jsonl: id ${JSON.stringify(record.id)} appears twice in the set`);
      byId.set(record.id, { task, record, view: annotationView(record, (id) => scripts.get(id)) });
      const answer = goldAnswer(record);
      if (answer !== undefined) gold.set(record.id, answer);
    }
    const ids = records[task].map((r) => r.id);
    tasks[task] = { records: records[task], ids, idSet: new Set(ids), gold };
  }
  return { dir: full, name: basename(full), tasks, byId };
}

function readTask(task: AnnotationTask, file: string): CandidateRecord[] {
  if (!existsSync(file)) return [];
  const out: CandidateRecord[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new CandidateSetError(`${task}.jsonl line ${i + 1}: invalid JSON (${(err as Error).message})`);
      }
      const checked = recordSchemas[task].safeParse(json);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new CandidateSetError(`${task}.jsonl line ${i + 1}: ${issue.path.join('.') || '(record)'}: ${issue.message}`);
      }
      out.push(json as CandidateRecord);
    });
  return out;
}
