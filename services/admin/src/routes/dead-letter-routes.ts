import type { Job, Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { AdminDeps } from '../deps.js';
import { conflict, notFound } from '../domain/api-error.js';
import { requireBot } from '../domain/tenancy.js';
import { callerOf } from '../plugins/caller.js';
import { authErrorResponses, errorResponseSchema } from '../schemas/common.js';
import {
  type DeadLetterQueue,
  deadLetterListSchema,
  deadLetterParamsSchema,
  deadLetterQuerySchema,
  deadLetterQueues,
  type deadLetterSchema,
  retriedSchema,
} from '../schemas/dead-letter.js';

/** How many of the newest failed jobs per physical queue (each stage-1 shard is one) are scanned for the caller's bots. */
const SCAN_PER_QUEUE = 2000;

/**
 * The API's job id: the BullMQ id, prefixed with the shard for the sharded queue (each shard
 * numbers its jobs from 1, so the BullMQ id alone is ambiguous there). BullMQ refuses `:` in
 * custom ids, so the first `:` always ends the shard.
 */
const apiJobId = (queue: DeadLetterQueue, index: number, jobId: string) =>
  queue === 'webhook-events' ? `${index}:${jobId}` : jobId;

/** The physical queue and BullMQ id an API job id names, or null when it names none. */
function locate(
  queues: readonly Queue[],
  queue: DeadLetterQueue,
  apiId: string,
): { queue: Queue; jobId: string } | null {
  if (queue !== 'webhook-events') {
    const [only] = queues;
    return only ? { queue: only, jobId: apiId } : null;
  }
  const match = /^(\d{1,3}):(.+)$/.exec(apiId);
  const shardQueue = match ? queues[Number(match[1])] : undefined;
  return match?.[2] && shardQueue ? { queue: shardQueue, jobId: match[2] } : null;
}

const stringField = (data: unknown, key: string): string | null => {
  if (typeof data !== 'object' || data === null || !(key in data)) return null;
  const value: unknown = Reflect.get(data, key);
  return typeof value === 'string' ? value : null;
};

/**
 * The bots a job belongs to: `data.botId`, or each event's bot for a group-committed webhook
 * batch (`meta-webhook-batch`, several POSTs stored as one job).
 */
const botIdsOf = (data: unknown): string[] => {
  const single = stringField(data, 'botId');
  if (single) return [single];
  const events: unknown = typeof data === 'object' && data !== null ? Reflect.get(data, 'events') : undefined;
  if (!Array.isArray(events)) return [];
  return [...new Set(events.map((event) => stringField(event, 'botId')).filter((id): id is string => id !== null))];
};

const isoFromMs = (ms: number | undefined) => (typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : null);

function toDeadLetter(
  queue: DeadLetterQueue,
  index: number,
  job: Job,
  botId: string,
): z.output<typeof deadLetterSchema> {
  const jobId = apiJobId(queue, index, job.id ?? '');
  return {
    id: `${queue}:${jobId}`,
    queue,
    job_id: jobId,
    shard: queue === 'webhook-events' ? index : null,
    name: job.name,
    bot_id: botId,
    conversation_id: stringField(job.data, 'conversationId'),
    message_id: stringField(job.data, 'messageId'),
    failed_reason: job.failedReason || null,
    attempts_made: job.attemptsMade,
    max_attempts: typeof job.opts.attempts === 'number' ? job.opts.attempts : null,
    created_at: isoFromMs(job.timestamp),
    failed_at: isoFromMs(job.finishedOn),
  };
}

/**
 * Fills in `conversation_id` and `message_id` of dead-lettered drain jobs (their data names the
 * conversation by bot and user key): the conversation, and its oldest inbound message not
 * answered yet (the one the drain was stuck on). Two queries for the whole page.
 */
async function linkDrainLetters(
  repos: AdminDeps['repositories'],
  page: z.output<typeof deadLetterSchema>[],
  drains: Map<z.output<typeof deadLetterSchema>, string>,
): Promise<void> {
  const wanted = page.flatMap((letter) => {
    const userKey = drains.get(letter);
    return userKey ? [{ letter, userKey }] : [];
  });
  if (wanted.length === 0) return;
  const conversations = await repos.conversations.findByUserKeys(
    wanted.map(({ letter, userKey }) => ({ botId: letter.bot_id, userKey })),
  );
  const byKey = new Map(conversations.map((c) => [`${c.botId}\n${c.userKey}`, c.id]));
  const firstStuck = await repos.conversations.oldestUnansweredInbound(conversations.map((c) => c.id));
  for (const { letter, userKey } of wanted) {
    const conversationId = byKey.get(`${letter.bot_id}\n${userKey}`) ?? null;
    letter.conversation_id = conversationId;
    letter.message_id = conversationId ? (firstStuck.get(conversationId) ?? null) : null;
  }
}

/**
 * Dead letters: jobs of the worker queues that exhausted their retries, for the caller's bots,
 * with the last error; an operator can send one back to the queue. Job data (raw webhook bodies)
 * is never returned.
 */
export function registerDeadLetterRoutes(root: FastifyInstance, deps: AdminDeps): void {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { repositories: repos } = deps;
  const tags = ['dead letters'];

  app.get(
    '/dead-letters',
    {
      schema: {
        tags,
        summary: "Failed jobs (retries exhausted) of the caller's bots, newest first",
        querystring: deadLetterQuerySchema,
        response: { 200: deadLetterListSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { bot_id: botId, queue, limit } = request.query;
      const botIds = botId
        ? new Set([(await requireBot(repos, caller.userId, botId)).id])
        : new Set(await repos.bots.liveIdsForMember(caller.userId));
      const letters: z.output<typeof deadLetterSchema>[] = [];
      // A drain job names its conversation by bot + user key: linked to its rows below.
      const drains = new Map<z.output<typeof deadLetterSchema>, string>();
      for (const name of queue ? [queue] : deadLetterQueues) {
        const physical = deps.deadLetterQueues[name];
        const failed = await Promise.all(physical.map((q) => q.getFailed(0, SCAN_PER_QUEUE - 1)));
        failed.forEach((jobs, index) => {
          for (const job of jobs) {
            const owner = botIdsOf(job.data).find((id) => botIds.has(id));
            if (!owner) continue;
            const letter = toDeadLetter(name, index, job, owner);
            letters.push(letter);
            const userKey = stringField(job.data, 'userKey');
            if (name === 'conversations' && userKey) drains.set(letter, userKey);
          }
        });
      }
      letters.sort((a, b) => (b.failed_at ?? '').localeCompare(a.failed_at ?? ''));
      const page = letters.slice(0, limit);
      await linkDrainLetters(repos, page, drains);
      return { data: page, next_cursor: null };
    },
  );

  app.post(
    '/dead-letters/:queue/:jobId/retry',
    {
      schema: {
        tags,
        summary: 'Send a failed job back to its queue for another round of attempts',
        params: deadLetterParamsSchema,
        response: { 200: retriedSchema, 409: errorResponseSchema, ...authErrorResponses },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { queue, jobId } = request.params;
      const located = locate(deps.deadLetterQueues[queue], queue, jobId);
      const job = located ? await located.queue.getJob(located.jobId) : undefined;
      if (!job) throw notFound('dead letter');
      // A webhook batch may span bots: the caller may retry it when one of them is theirs (stage 1 is idempotent).
      let bot: Awaited<ReturnType<typeof requireBot>> | undefined;
      for (const botId of botIdsOf(job.data)) {
        bot = await requireBot(repos, caller.userId, botId).catch(() => undefined);
        if (bot) break;
      }
      if (!bot) throw notFound('dead letter');
      const state = await job.getState();
      if (state !== 'failed') throw conflict(`job ${queue}:${jobId} is ${state}, not failed`);
      // A template send that failed for good recorded its row `failed`: it is pending again.
      const messageId = job.name === 'send-template' ? stringField(job.data, 'messageId') : null;
      if (messageId) await repos.conversations.reopenFailedTemplateSend(messageId, bot.id);
      await job.retry('failed');
      await repos.auditLog.record({
        workspaceId: bot.workspaceId,
        actor: caller.userId,
        action: 'dead_letter.retry',
        botId: bot.id,
        details: { queue, job_id: jobId, name: job.name },
      });
      return { id: `${queue}:${jobId}`, queue, job_id: jobId, status: 'retried' as const };
    },
  );
}
