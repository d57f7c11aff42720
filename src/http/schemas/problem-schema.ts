import { z } from 'zod';

/** RFC 9457 problem details, with the list of offending fields for validation errors. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('One entry per invalid field, named by its path in the request (e.g. body.steps[2]).'),
  })
  .describe('RFC 9457 problem details');

export type Problem = z.infer<typeof problemSchema>;

/**
 * A problem response as the OpenAPI document states it: under its own media type
 * (application/problem+json, what sendProblem sends), not application/json.
 */
export const problemResponse = {
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: problemSchema } },
};

/** What a write answers when the data volume cannot take it (full, read-only, below the floor): nothing was stored. */
export const storageErrors = { 507: problemResponse };

/** Response schemas every route can produce besides its own. */
export const commonErrors = {
  400: problemResponse,
  413: problemResponse,
  429: problemResponse,
  503: problemResponse,
};
