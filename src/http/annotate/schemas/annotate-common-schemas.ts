import { z } from 'zod';
import { ANNOTATION_TASKS } from '../../../benchmark/annotation-items.js';

/**
 * Annotator names are shown to other annotators and stored: printable text only. Control and
 * formatting characters (e.g. U+202E, which reverses how the rest of a line is shown) and lone
 * surrogates (not storable as UTF-8) are refused rather than silently changed.
 */
export const annotatorSchema = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(64, 'must be at most 64 characters')
  .regex(/^[^\p{Cc}\p{Cf}\p{Cs}]*$/u, 'must not contain control or formatting characters')
  .describe("The annotator's name (1–64 printable characters), as they typed it once in the page.");

export const taskSchema = z
  .enum(ANNOTATION_TASKS)
  .describe('t1: is the script plausible; t2: does the product help with the step; t3: do the products together serve the script.');

export const itemIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .describe('The record id from the candidate set.');

export const binaryLabelSchema = z.union([z.literal(0), z.literal(1)], { error: 'must be 1 (yes / helps) or 0 (no / does not help)' });

/** What an annotator is shown; never the silver label, origin, score or matched intention. */
export const itemViewSchema = z.object({
  id: z.string(),
  task: taskSchema,
  objective: z.string().nullable(),
  steps: z.array(z.string()).describe('The whole script, in order.'),
  stepIndex: z.number().int().optional().describe('T2: the step being judged (index into steps).'),
  product: z.object({ title: z.string(), category: z.string().nullable() }).optional().describe('T2: the product judged for that step.'),
  products: z
    .array(z.array(z.object({ title: z.string() })))
    .optional()
    .describe('T3: per step (same order as steps), the products proposed for it.'),
});
