import { z } from 'zod';

export const healthResponse = z.object({ status: z.literal('ok') });

export const readyResponse = z.object({
  status: z.enum(['ready', 'starting', 'unavailable']),
  model: z.string().optional(),
  dimension: z.number().int().optional(),
  store: z.string().optional(),
  products: z.number().int().optional(),
  intentions: z.number().int().optional(),
  titles: z.number().int().optional(),
  detail: z.string().optional(),
});
