import { randomBytes, randomUUID } from 'node:crypto';
import { physicalQueueName } from '@wabot/contracts';
import { createMessageRepository, createRepositories, createSqlPool } from '@wabot/db';
import type { SecretScan, TestDatabase } from '@wabot/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { botBody, TEST_JWT_SECRET, type TestAdmin } from '../test-admin.js';

/** A workspace with one of everything, made through the API (and the worker's tables), its secrets known. */
export interface Tenant {
  user: string;
  workspaceId: string;
  workspaceName: string;
  botId: string;
  botName: string;
  phoneNumberId: string;
  toolId: string;
  toolName: string;
  conversationId: string;
  waId: string;
  messageId: string;
  messageText: string;
  deadLetter: { queue: 'conversations'; jobId: string };
  /** An id no API key of anyone has: a JWT caller without an account has no keys to name. */
  apiKeyId: string;
  /** A pending invitation to the workspace, where the API has invitations; else an id of none. */
  invitationId: string;
  /** Values that identify this tenant's data: none may appear in an answer to another tenant. */
  identifiers(): string[];
}

const hex = (n: number) => randomBytes(n).toString('hex');

/** Registers the secrets every admin suite must never show: the app's keys, and the callers' tokens. */
export async function registerAppSecrets(admin: TestAdmin, scan: SecretScan, users: string[]): Promise<void> {
  scan.add('JWT_SECRET', TEST_JWT_SECRET);
  scan.add('SECRETS_KEY', admin.secretsKey);
  for (const user of users) scan.add(`bearer token of ${user}`, await admin.token(user));
}

/**
 * Creates `user`'s workspace with an active bot (its own LLM key), an HTTP tool with a secret
 * header, a conversation with a message and a tool call, and a dead-lettered job; every secret
 * goes to `scan`. Activation calls the Graph API at the admin's GRAPH_API_BASE_URL (a simulator).
 */
export async function createTenant(
  admin: TestAdmin,
  database: TestDatabase,
  redis: { url: string; prefix: string },
  scan: SecretScan,
  user: string,
): Promise<Tenant> {
  const call = async (method: 'POST' | 'PATCH', url: string, body?: unknown) => {
    const res = await admin.call(method, url, { as: user, ...(body === undefined ? {} : { body }) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const workspaceName = `ws-${user}-${hex(4)}`;
  const workspaceId: string = (await call('POST', '/api/workspaces', { name: workspaceName })).id;
  const { body, secrets } = botBody(workspaceId, { name: `bot-${user}-${hex(4)}` });
  const llmApiKey = `sk-ant-${hex(20)}`;
  for (const [name, value] of Object.entries(secrets)) scan.add(`${name} of ${user}`, value);
  scan.add(`llm_api_key of ${user}`, llmApiKey);
  const bot = await call('POST', '/api/bots', { ...body, llm_api_key: llmApiKey });
  await call('POST', `/api/bots/${bot.id}/activate`);
  const headerValue = `Bearer tool-${hex(20)}`;
  scan.add(`tool header of ${user}`, headerValue);
  const toolName = `lookup_${user}_${hex(3)}`;
  const tool = await call('POST', `/api/bots/${bot.id}/tools`, {
    name: toolName,
    description: 'Looks up an order',
    url: 'https://shop.example.com/api/orders',
    headers: { Authorization: headerValue },
  });

  // The conversation and its first message as the worker stores them (recordInbound).
  const waId = `1555${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
  const messageText = `order status please ${hex(4)}`;
  const sql = createSqlPool(database.url, { max: 1 });
  const recorded = await createMessageRepository(database.db, sql)
    .recordInbound(bot.id, {
      messageId: `wamid.${hex(8)}`,
      userKey: waId,
      waId,
      userId: null,
      profileName: `Ann ${user}`,
      timestamp: Math.floor(Date.now() / 1000),
      type: 'text',
      text: messageText,
      metadata: {},
    })
    .finally(() => sql.end());
  const conversation = { id: recorded.conversationId };
  const message = { id: recorded.message.id };
  await createRepositories(database.db).toolCalls.record({ botId: bot.id, turnId: message.id }, [
    {
      toolId: tool.id,
      toolName,
      argumentsBytes: 20,
      status: 'ok',
      httpStatus: 200,
      durationMs: 12,
      error: null,
      at: new Date(),
    },
  ]);

  // Invitations, where this build of the API has them (a 404 "no route" otherwise).
  const invited = await admin.call('POST', `/api/workspaces/${workspaceId}/invitations`, {
    as: user,
    body: { email: `invitee-${user}-${hex(3)}@example.com`, role: 'member' },
  });
  const invitationId: string = invited.statusCode === 201 ? invited.json().id : randomUUID();

  const jobId = `dl-${user}-${hex(4)}`;
  await deadLetter(redis, { botId: bot.id, userKey: waId }, jobId);

  const phoneNumberId = body.platform_config.phone_number_id;
  return {
    user,
    workspaceId,
    workspaceName,
    botId: bot.id,
    botName: bot.name,
    phoneNumberId,
    toolId: tool.id,
    toolName,
    conversationId: conversation.id,
    waId,
    messageId: message.id,
    messageText,
    deadLetter: { queue: 'conversations', jobId },
    apiKeyId: randomUUID(),
    invitationId,
    identifiers() {
      return [
        workspaceId,
        workspaceName,
        bot.id,
        bot.name,
        phoneNumberId,
        tool.id,
        toolName,
        conversation.id,
        waId,
        message.id,
        messageText,
        jobId,
        invitationId,
      ];
    },
  };
}

/** What the tenant's resources look like through the API, read as its user: unchanged by every refused request. */
export async function tenantState(admin: TestAdmin, tenant: Tenant) {
  const read = async (url: string) => {
    const res = await admin.call('GET', url, { as: tenant.user });
    if (res.statusCode !== 200) throw new Error(`GET ${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };
  return {
    workspace: await read(`/api/workspaces/${tenant.workspaceId}`),
    workspaces: await read('/api/workspaces'),
    audit: await read(`/api/workspaces/${tenant.workspaceId}/audit-log?limit=200`),
    bots: await read(`/api/bots?workspace_id=${tenant.workspaceId}`),
    tools: await read(`/api/bots/${tenant.botId}/tools`),
    toolCalls: await read(`/api/bots/${tenant.botId}/tool-calls`),
    conversation: await read(`/api/conversations/${tenant.conversationId}`),
    messages: await read(`/api/conversations/${tenant.conversationId}/messages`),
    deadLetters: await read('/api/dead-letters'),
  };
}

/** A drain job of the conversations queue that failed for good: a dead letter of the bot's. */
async function deadLetter(
  redis: { url: string; prefix: string },
  data: { botId: string; userKey: string },
  jobId: string,
) {
  const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(physicalQueueName('conversations'), { connection, prefix: redis.prefix });
  await queue.add('drain-conversation', data, { attempts: 1, jobId });
  const failed = new Promise<void>((resolve) => {
    const worker: Worker = new Worker(
      queue.name,
      async (job) => {
        if (job.id !== jobId) return;
        throw new Error('Graph API 131000: something went wrong');
      },
      { connection, prefix: redis.prefix },
    );
    worker.on('failed', (job) => {
      if (job?.id === jobId) void worker.close().then(resolve);
    });
  });
  await failed;
  await queue.close();
  connection.disconnect();
}
