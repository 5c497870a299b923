import { z } from 'zod';
import { listOf, nullableTimestamp } from './common.js';

/** The worker queues whose failed jobs are the dead letters an operator can see and retry. */
export const deadLetterQueues = ['conversations', 'outbound', 'webhook-events'] as const;
export type DeadLetterQueue = (typeof deadLetterQueues)[number];

export const deadLetterQuerySchema = z.object({
  bot_id: z.string().min(1).max(64).optional(),
  queue: z.enum(deadLetterQueues).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const deadLetterSchema = z
  .object({
    id: z.string().describe('<queue>:<job id>'),
    queue: z.enum(deadLetterQueues),
    job_id: z.string(),
    name: z.string(),
    bot_id: z.string(),
    conversation_id: z.string().nullable(),
    message_id: z.string().nullable(),
    failed_reason: z.string().nullable().describe('the last error'),
    attempts_made: z.number().int(),
    max_attempts: z.number().int().nullable(),
    created_at: nullableTimestamp,
    failed_at: nullableTimestamp,
  })
  .meta({ id: 'DeadLetter' });

export const deadLetterListSchema = listOf(deadLetterSchema);

export const deadLetterParamsSchema = z.object({
  queue: z.enum(deadLetterQueues),
  jobId: z.string().min(1).max(200),
});

export const retriedSchema = z.object({
  id: z.string(),
  queue: z.enum(deadLetterQueues),
  job_id: z.string(),
  status: z.literal('retried'),
});
