// The demo's view of the admin API: a signed JWT, a small client, the fields it reads (zod), and
// the waits that follow a message through the worker and its status webhooks.
import { createHmac } from 'node:crypto';
import type { SimUser } from '@wabot/meta-simulator';
import { z } from 'zod';

const storedMessageSchema = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  type: z.string(),
  text: z.string(),
  metadata: z.unknown(),
  status: z.string(),
  error_code: z.number().nullable(),
  error_title: z.string().nullable(),
  meta_message_id: z.string().nullable(),
  reply_to_id: z.string().nullable(),
  part_index: z.number().nullable(),
  author: z.string().optional(),
  media: z
    .object({
      fetch_status: z.string(),
      mime_type: z.string().nullable(),
      file_size: z.number().nullable(),
      error: z.string().nullable(),
      transcript: z.string().nullable(),
      description: z.string().nullable(),
      understanding_error: z.string().nullable(),
      url: z.string().nullable(),
    })
    .nullable()
    .optional(),
});
export type StoredMessage = z.infer<typeof storedMessageSchema>;

const conversationSchema = z.object({
  id: z.string(),
  wa_id: z.string().nullable(),
  user_id: z.string().nullable(),
  control: z.enum(['bot', 'human']),
  handoff_reason: z.string().nullable(),
});
type Conversation = z.infer<typeof conversationSchema>;
const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });
const idSchema = z.object({ id: z.string() });
const activationSchema = z.object({ status: z.string(), webhook_url: z.string() });
const templateMetadataSchema = z.object({ template: z.object({ name: z.string() }) });

/** The template's name of an outbound template message, from its metadata. */
export const templateNameOf = (message: StoredMessage) =>
  templateMetadataSchema.safeParse(message.metadata).data?.template.name ?? '';

/** An HS256 admin JWT, as `./run token` prints. */
export function mintJwt(secret: string, sub: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub, iat: now, exp: now + 12 * 3600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createAdminApi(baseUrl: string, token: string) {
  async function call<T extends z.ZodType>(schema: T, method: string, route: string, body?: unknown) {
    const res = await fetch(`${baseUrl}/api${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /api${route} → ${res.status} ${text.slice(0, 300)}`);
    return schema.parse(text ? JSON.parse(text) : null);
  }

  const messagesOf = async (conversationId: string) =>
    (await call(listOf(storedMessageSchema), 'GET', `/conversations/${conversationId}/messages?limit=200`)).data;

  async function findConversation(botId: string, user: SimUser): Promise<Conversation | undefined> {
    const { data } = await call(listOf(conversationSchema), 'GET', `/bots/${botId}/conversations?limit=200`);
    return data.find(
      (c) => (user.waId !== null && c.wa_id === user.waId) || (user.bsuid !== null && c.user_id === user.bsuid),
    );
  }

  return {
    /** GET of a media URL the API gave (`/api/messages/:id/media`): status, type and bytes. */
    async fetchMedia(url: string) {
      const res = await fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });
      return {
        status: res.status,
        contentType: res.headers.get('content-type'),
        bytes: Buffer.from(await res.arrayBuffer()),
      };
    },
    createWorkspace: (name: string) => call(idSchema, 'POST', '/workspaces', { name }),
    createBot: (body: Record<string, unknown>) => call(idSchema, 'POST', '/bots', body),
    activateBot: (botId: string) => call(activationSchema, 'POST', `/bots/${botId}/activate`),
    deleteBot: (botId: string) => call(z.unknown(), 'DELETE', `/bots/${botId}`),
    findConversation,
    handOff: (conversationId: string, reason: string) =>
      call(conversationSchema, 'POST', `/conversations/${conversationId}/handoff`, { reason }),
    resume: (conversationId: string) => call(conversationSchema, 'POST', `/conversations/${conversationId}/resume`),
    sendOperatorMessage: (conversationId: string, text: string) =>
      call(z.object({ message: storedMessageSchema }), 'POST', `/conversations/${conversationId}/messages`, { text }),

    /** Waits until the worker has handled the inbound wamid; returns it and its replies (oldest first). */
    async waitHandled(botId: string, user: SimUser, wamid: string, timeoutMs: number) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const conversation = await findConversation(botId, user);
        if (conversation) {
          const messages = await messagesOf(conversation.id);
          const inbound = messages.find((m) => m.direction === 'inbound' && m.meta_message_id === wamid);
          if (inbound?.status === 'handled') {
            const replies = messages
              .filter((m) => m.direction === 'outbound' && m.reply_to_id === inbound.id)
              .sort((a, b) => (a.part_index ?? 0) - (b.part_index ?? 0));
            return { conversation, inbound, replies };
          }
        }
        await sleep(150);
      }
      return null;
    },

    /** Polls the replies until each is read or failed (or, past pending, has no wamid), for up to `timeoutMs`. */
    async settle(conversationId: string, replies: StoredMessage[], timeoutMs = 8_000) {
      const deadline = Date.now() + timeoutMs;
      let current = replies;
      while (Date.now() < deadline) {
        const messages = await messagesOf(conversationId);
        current = replies.map((r) => messages.find((m) => m.id === r.id) ?? r);
        // Done: read, failed, or never to be sent (no wamid once no longer pending).
        if (
          current.every(
            (m) => m.status === 'read' || m.status === 'failed' || (!m.meta_message_id && m.status !== 'pending'),
          )
        )
          break;
        await sleep(150);
      }
      return current;
    },
  };
}
export type AdminApi = ReturnType<typeof createAdminApi>;
