import { z } from 'zod';
import { ANNOTATION_TASKS } from '../../../annotation/annotation-items.js';
import { NON_BLANK, explicitClass } from '../../../util/char-class.js';

/**
 * No control or formatting character, written out so the OpenAPI `pattern` works outside
 * JavaScript too. Lone surrogates (\p{Cs}) are refused by a separate check: a pattern cannot name
 * them for JSON Schema tools built on Rust's regex (schemathesis validates with jsonschema-rs),
 * where a surrogate is not a character at all.
 */
const PRINTABLE = new RegExp(`^${explicitClass(/[\p{Cc}\p{Cf}]/u, true)}*$`, 'u');
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Annotator names are shown to other annotators and stored: printable text only. Control and
 * formatting characters (e.g. U+202E, which reverses how the rest of a line is shown) and lone
 * surrogates (not storable as UTF-8) are refused rather than silently changed. Every rule holds
 * for the name as sent, as the OpenAPI document states it; surrounding spaces are then trimmed.
 */
export const annotatorSchema = z
  .string()
  .max(64, 'must be at most 64 characters')
  .regex(PRINTABLE, 'must not contain control or formatting characters')
  .refine((name) => !LONE_SURROGATE.test(name), 'must not contain control or formatting characters')
  .regex(NON_BLANK, 'must not be blank')
  .trim()
  .min(1, 'must not be blank')
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
