import { z } from 'zod';
import { listOf, nullableTimestamp } from './common.js';

/**
 * The worker queues whose failed jobs are the dead letters an operator can see and retry, by
 * their logical names (`webhook-events` stands for all its shards).
 */
export const deadLetterQueues = ['conversations', 'outbound', 'webhook-events'] as const;
export type DeadLetterQueue = (typeof deadLetterQueues)[number];

export const deadLetterQuerySchema = z.object({
  bot_id: z.string().min(1).max(64).optional(),
  queue: z.enum(deadLetterQueues).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const deadLetterSchema = z
  .object({
    id: z.string().describe('<queue>:<job_id>'),
    queue: z.enum(deadLetterQueues),
    job_id: z
      .string()
      .describe(
        "the job's id in its queue; for webhook-events `<shard>:<BullMQ id>` (each shard numbers its own jobs)",
      ),
    shard: z.number().int().nullable().describe('the stage-1 shard of a webhook-events job, else null'),
    name: z.string(),
    bot_id: z.string(),
    conversation_id: z
      .string()
      .nullable()
      .describe("the job's conversation (a template send's, or the conversation a drain job was draining)"),
    message_id: z
      .string()
      .nullable()
      .describe('the message it was about: the template send, or the oldest unanswered inbound message of the drain'),
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
