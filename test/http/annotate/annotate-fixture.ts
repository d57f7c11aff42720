import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { AnnotationService, type AnnotationOptions } from '../../../src/app/annotation/annotation-service.js';
import { loadCandidateSet } from '../../../src/app/annotation/candidate-set.js';
import { LABELS_FILE, LabelStore } from '../../../src/app/annotation/label-store.js';
import type { T1Record, T2Record, T3Record } from '../../../src/evalset/types.js';
import { buildAnnotateApp } from '../../../src/http/annotate/app.js';

/** A hostile product title: shown as text, it must never become markup. */
export const HOSTILE_TITLE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> "Grill" & 'Co'`;

const steps = ['Light the charcoal', 'Grill the burgers', 'Keep the drinks cold'];

const t1 = (id: string, origin: T1Record['origin'], s: string[]): T1Record => ({
  id,
  task: 't1',
  scriptId: 's1',
  objective: 'Host a barbecue',
  steps: s,
  silverLabel: origin === 'original' ? 1 : 0,
  origin,
  corruption:
    origin === 'original'
      ? null
      : origin === 'swapped'
        ? { kind: 'swapped', stepIndex: 1, removed: steps[1], inserted: 'Knit a scarf', donorScriptId: 's9', donorObjective: 'Knit' }
        : { kind: 'dropped', stepIndex: 2, removed: steps[2] },
});

const t2 = (id: string, stepIndex: number, origin: T2Record['origin'], title: string, category: string | null): T2Record => ({
  id,
  task: 't2',
  scriptId: 's1',
  objective: 'Host a barbecue',
  stepIndex,
  step: steps[stepIndex],
  productId: `p-${id}`,
  title,
  category,
  score: origin === 'positive' ? 0.6 : 0.1,
  matchedIntention: 'because they want to grill',
  origin,
  negativeKind: origin === 'positive' ? null : origin === 'easy' ? 'other-category' : 'ranked',
  rank: origin === 'positive' ? 1 : null,
  silverLabel: origin === 'positive' ? 1 : 0,
});

const t3: T3Record = {
  id: 't3-a',
  task: 't3',
  scriptId: 's1',
  objective: 'Host a barbecue',
  steps: steps.map((step, stepIndex) => ({
    stepIndex,
    step,
    products: stepIndex === 2 ? [] : [{ productId: `p${stepIndex}`, title: `Product ${stepIndex}`, score: 0.5 }],
  })),
  silverLabel: 1,
  origin: 'positive',
  swap: null,
};

export const SET = {
  t1: [
    t1('t1-orig', 'original', steps),
    t1('t1-swap', 'swapped', [steps[0], 'Knit a scarf', steps[2]]),
    t1('t1-drop', 'dropped', steps.slice(0, 2)),
  ],
  t2: [
    t2('t2-pos', 0, 'positive', 'Chimney Starter', 'grilling'),
    t2('t2-hostile', 1, 'positive', HOSTILE_TITLE, '<b>grilling</b>'),
    t2('t2-hard', 1, 'hard', 'Grill Brush', 'grilling'),
    t2('t2-easy', 2, 'easy', 'Office Chair', null),
  ],
  t3: [t3],
};

/** Writes the fixture set into `dir` the way build-benchmark does (one JSON record per line). */
export function writeCandidateSet(dir: string): void {
  for (const task of ['t1', 't2', 't3'] as const)
    writeFileSync(join(dir, `${task}.jsonl`), SET[task].map((r) => `${JSON.stringify(r)}\n`).join(''));
}

export interface AnnotateFixture {
  app: FastifyInstance;
  service: AnnotationService;
  close(): Promise<void>;
}

/** The annotation app over the set in `dir`, labels in its label file. */
export async function annotateApp(dir: string, options: Partial<AnnotationOptions> = {}): Promise<AnnotateFixture> {
  const store = new LabelStore(join(dir, LABELS_FILE));
  const service = new AnnotationService(loadCandidateSet(dir), store, { votes: 2, goldRate: 0, ...options });
  const app = await buildAnnotateApp({ service, logLevel: 'silent' });
  return {
    app,
    service,
    async close() {
      await app.close();
      store.close();
    },
  };
}
