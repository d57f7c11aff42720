import { z } from 'zod';
import { taskSchema } from './annotate-common-schemas.js';

const share = z.number().nullable();

const annotatorProgress = z.object({
  annotator: z.string(),
  labels: z.number().int(),
  skipped: z.number().int(),
  positiveShare: share.describe(
    'Share of their labels that are 1 (an annotator answering 0 to everything passes the negative gold checks but shows here).',
  ),
  goldLabels: z.number().int().describe('Gold checks (items with a known answer) they labelled.'),
  goldCorrect: z.number().int(),
  goldAccuracy: share.describe('goldCorrect / goldLabels; null before the first gold check.'),
});

const taskProgress = z.object({
  items: z.number().int(),
  goldItems: z
    .number()
    .int()
    .describe('Items with a known answer: T1 scripts with a step of another objective swapped in, T2 easy negatives.'),
  labels: z.number().int(),
  done: z.number().int().describe('Items with at least `votes` labels (no longer served).'),
  annotators: z.array(annotatorProgress),
});

export const progressResponse = z.object({
  set: z.string().describe('The candidate set directory name.'),
  votes: z.number().int(),
  goldRate: z.number(),
  tasks: z.object({ t1: taskProgress, t2: taskProgress, t3: taskProgress }),
});

export const agreementQuery = z.strictObject({ task: taskSchema });

export const agreementResponse = z.object({
  task: taskSchema,
  items: z.number().int().describe('Items with at least two labels; agreement is measured on these only.'),
  annotators: z.number().int(),
  fleissKappa: share.describe("Fleiss' κ (items may have different numbers of labels); null when undefined."),
  pairwiseCohenKappa: z
    .array(z.object({ a: z.string(), b: z.string(), items: z.number().int(), kappa: share }))
    .describe("Cohen's κ for every pair of annotators with items in common."),
});

export const exportQuery = z.strictObject({
  task: taskSchema,
  format: z.enum(['jsonl', 'csv']).default('jsonl'),
  minVotes: z.coerce
    .number({ error: 'must be a whole number from 1 to 1000' })
    .int('must be a whole number from 1 to 1000')
    .min(1, 'must be a whole number from 1 to 1000')
    .max(1000, 'must be a whole number from 1 to 1000')
    .optional()
    .describe('Items need at least this many labels to be exported (default: the --votes the tool runs with).'),
});
