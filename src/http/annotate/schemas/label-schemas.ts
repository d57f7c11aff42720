import { z } from 'zod';
import { annotatorSchema, binaryLabelSchema, itemIdSchema, taskSchema } from './annotate-common-schemas.js';

export const nextQuery = z.strictObject({ annotator: annotatorSchema, task: taskSchema });

export const labelBody = z.strictObject({ annotator: annotatorSchema, id: itemIdSchema, label: binaryLabelSchema });

export const labelResponse = z.object({
  annotator: z.string(),
  id: z.string(),
  task: taskSchema,
  label: binaryLabelSchema,
});

export const skipBody = z.strictObject({ annotator: annotatorSchema, id: itemIdSchema });

export const skipResponse = z.object({ annotator: z.string(), id: z.string(), task: taskSchema, skipped: z.literal(true) });

export const undoBody = z.strictObject({ annotator: annotatorSchema, task: taskSchema });
