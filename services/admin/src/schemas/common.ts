import { z } from 'zod';

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()),
    }),
  })
  .meta({ id: 'Error' });

export const paginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('page size (1–200)'),
  cursor: z.string().max(500).optional().describe('next_cursor of the previous page'),
});

/** `{ data: [...], next_cursor }`: every list the API returns. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    next_cursor: z.string().nullable().describe('pass as ?cursor= for the next page; null on the last page'),
  });

export const timestamp = z.string().describe('ISO 8601');
export const nullableTimestamp = timestamp.nullable();

/** A failure as stored while retrying: Meta's (or the LLM's HTTP) code when there is one, a title, its time. */
export const lastErrorSchema = z
  .object({ code: z.number().int().nullable(), title: z.string(), at: timestamp })
  .meta({ id: 'LastError' });

/** Error responses every authenticated route may give. */
export const authErrorResponses = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  404: errorResponseSchema,
  429: errorResponseSchema,
};

export const iso = (date: Date) => date.toISOString();
export const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

/** LLM token totals (bots and conversations): each engine turn counted once. */
export const usageTotalsSchema = z
  .object({
    turns: z.number().int().describe('engine turns that reported usage'),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
  })
  .meta({ id: 'UsageTotals' });
