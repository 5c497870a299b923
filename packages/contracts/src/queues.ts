import { z } from 'zod';

/**
 * The wire contract between services: every queue, its job names and the zod schema of each
 * job's data. Producers validate before adding; consumers re-parse on dequeue. Never rename a
 * queue or job name in place (jobs already in Redis carry the old one): add a new one instead.
 * Job data holds ids and raw events, never decrypted secrets (Redis stores it in plain text).
 */

/** One webhook POST from Meta, exactly as received (signature already verified by the ingress). */
export const metaWebhookJobSchema = z.object({
  botId: z.string().min(1),
  /** The raw request body, byte-for-byte as UTF-8 text (Meta's bodies are ASCII with \uXXXX escapes). */
  rawBody: z.string(),
  /** Epoch milliseconds at which the ingress received the request. */
  receivedAt: z.number().int().nonnegative(),
  requestId: z.string().min(1),
  /**
   * Meta's X-Hub-Signature-256 of the body, when the bot checks signatures: an event in it for
   * another phone number of the workspace goes to that number's bot only if this verifies with
   * that bot's app secret (one Meta app, one callback URL, several numbers).
   */
  signature: z.string().max(200).optional(),
});
export type MetaWebhookJob = z.infer<typeof metaWebhookJobSchema>;

/**
 * Several webhook POSTs that reached one ingress in the same instant, stored as one job (group
 * commit): one Redis write confirms them all, so the ingress answers each 200 only after it.
 * Events keep their arrival order.
 */
export const metaWebhookBatchJobSchema = z.object({
  events: z.array(metaWebhookJobSchema).min(1).max(1000),
});
export type MetaWebhookBatchJob = z.infer<typeof metaWebhookBatchJobSchema>;

/** Drain one conversation's ordered inbox (bot + user), one message at a time. */
export const drainConversationJobSchema = z.object({
  botId: z.string().min(1),
  userKey: z.string().min(1),
});
export type DrainConversationJob = z.infer<typeof drainConversationJobSchema>;

/** An operator-initiated template send (admin API), e.g. to re-open a closed 24-hour window. */
export const sendTemplateJobSchema = z.object({
  botId: z.string().min(1),
  conversationId: z.string().uuid(),
  /** The outbound message row already created (status pending) by the admin service. */
  messageId: z.string().uuid(),
  template: z.object({
    name: z.string().min(1),
    language: z.string().min(1),
    parameters: z.array(z.string()).default([]),
  }),
});
export type SendTemplateJob = z.infer<typeof sendTemplateJobSchema>;

/**
 * The BullMQ backoff type of the retried worker queues: exponential from the job's
 * `backoff.delay`, each wait capped at {@link RETRY_BACKOFF_CAP_MS}, so a job's whole retry span
 * is bounded (minutes) instead of doubling into days. Consumers register
 * {@link cappedExponentialDelay} as the worker's backoff strategy.
 */
export const CAPPED_EXPONENTIAL = 'capped-exponential';
/** The longest single wait between two attempts of a retried job. */
export const RETRY_BACKOFF_CAP_MS = 30_000;

/** The wait before retry `attemptsMade` (1 = the first retry): `baseMs * 2^(attemptsMade-1)`, at most `capMs`. */
export function cappedExponentialDelay(attemptsMade: number, baseMs: number, capMs = RETRY_BACKOFF_CAP_MS): number {
  const exponent = Math.max(0, attemptsMade - 1);
  return Math.min(capMs, Math.round(baseMs * 2 ** Math.min(exponent, 30)));
}

/**
 * The longest a job of `queue` keeps being retried: the sum of its back-off waits (attempts'
 * own run time not included).
 */
export function retrySpanMs(queue: 'conversations' | 'outbound'): number {
  const { attempts, backoff } = queueDefinitions[queue].defaultJobOptions;
  let total = 0;
  for (let made = 1; made < attempts; made++) total += cappedExponentialDelay(made, backoff.delay);
  return total;
}
/** An operator's message (admin API): the pending outbound row it created, sent like a bot reply part. */
export const sendMessageJobSchema = z.object({
  botId: z.string().min(1),
  conversationId: z.string().uuid(),
  messageId: z.string().uuid(),
});
export type SendMessageJob = z.infer<typeof sendMessageJobSchema>;

/**
 * Auto-resume of a handed-over conversation (bot settings.handoff.auto_resume_after_s), delayed
 * until `resumeAt`; it acts only if the conversation still has exactly that resume time.
 */
export const resumeConversationJobSchema = z.object({
  botId: z.string().min(1),
  conversationId: z.string().uuid(),
  /** Epoch milliseconds: conversations.resume_at when the job was scheduled. */
  resumeAt: z.number().int().nonnegative(),
});
export type ResumeConversationJob = z.infer<typeof resumeConversationJobSchema>;

/**
 * The job id of a resume: one per conversation and resume time, so scheduling it again (the
 * admin and a worker, or a retry) adds no second job while the first is retained; the durable
 * guard is the conditional UPDATE the job runs.
 */
export const resumeJobId = (job: Pick<ResumeConversationJob, 'conversationId' | 'resumeAt'>) =>
  `resume-${job.conversationId}-${job.resumeAt}`;

/**
 * A run of the media retention job (docs/contract.md, Media): no data; a BullMQ job scheduler
 * (id {@link MEDIA_RETENTION_SCHEDULER}) adds one every MEDIA_RETENTION_INTERVAL_MS.
 */
export const mediaRetentionJobSchema = z.object({});
export type MediaRetentionJob = z.infer<typeof mediaRetentionJobSchema>;

/** The job scheduler of the retention job: every worker upserts it, so there is one. */
export const MEDIA_RETENTION_SCHEDULER = 'media-retention';

export const queueDefinitions = {
  // Logical name: the physical queues are its shards (queue-names.ts). Stage 1 retries in process
  // (a job in BullMQ's delayed set would let the next job of its shard overtake it), so one
  // attempt: a job that fails for good is a dead letter and its shard moves on.
  'webhook-events': {
    jobs: { 'meta-webhook': metaWebhookJobSchema, 'meta-webhook-batch': metaWebhookBatchJobSchema },
    defaultJobOptions: {
      attempts: 1,
      // Raw bodies carry customers' messages: none stays in Redis once stage 1 has stored what matters.
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  },
  // Retries span about 6.5 min (retrySpanMs), past the worker's DELIVERY_RETRY_BUDGET_MS (5 min by
  // default), after which a message that still cannot go out is recorded `failed` and the job ends.
  conversations: {
    jobs: { 'drain-conversation': drainConversationJobSchema },
    defaultJobOptions: {
      attempts: 20,
      backoff: { type: CAPPED_EXPONENTIAL, delay: 250 },
      removeOnComplete: true,
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  },
  outbound: {
    jobs: {
      'send-template': sendTemplateJobSchema,
      'send-message': sendMessageJobSchema,
      'resume-conversation': resumeConversationJobSchema,
      'media-retention': mediaRetentionJobSchema,
    },
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: CAPPED_EXPONENTIAL, delay: 1000 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  },
} as const;

export type QueueDefinitions = typeof queueDefinitions;
export type QueueName = keyof QueueDefinitions;
export type JobName<Q extends QueueName> = keyof QueueDefinitions[Q]['jobs'] & string;
export type JobData<Q extends QueueName, J extends JobName<Q>> = QueueDefinitions[Q]['jobs'][J] extends z.ZodType
  ? z.infer<QueueDefinitions[Q]['jobs'][J]>
  : never;

/** Parses job data for a queue/job name pair; throws a ZodError on a malformed job. */
export function parseJobData<Q extends QueueName, J extends JobName<Q>>(
  queue: Q,
  job: J,
  data: unknown,
): JobData<Q, J> {
  return schemaOf(queue, job).parse(data) as JobData<Q, J>;
}

/**
 * {@link parseJobData} without throwing on malformed data: zod's result, whose `error.issues` say
 * what is wrong (consumers turn it into a permanent failure). Throws only on a job name the
 * queue does not have.
 */
export function safeParseJobData<Q extends QueueName, J extends JobName<Q>>(
  queue: Q,
  job: J,
  data: unknown,
): z.ZodSafeParseResult<JobData<Q, J>> {
  return schemaOf(queue, job).safeParse(data) as z.ZodSafeParseResult<JobData<Q, J>>;
}

/** Every issue of a failed parse on one line: `path: message; …`. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');

function schemaOf(queue: QueueName, job: string): z.ZodType {
  const jobs: Record<string, z.ZodType> = queueDefinitions[queue].jobs;
  const schema = jobs[job];
  if (!schema) throw new Error(`queue ${queue} has no job named ${job}`);
  return schema;
}
