// Tracks a burst run (benchmark 6), where one reply may answer several messages: the reply
// tracker's one-reply-per-message bookkeeping does not apply. The truth about "lost" is
// PostgreSQL's (every inbound message of the corpus `handled`); the simulated Graph API gives the
// replies each user got. Each message text carries a marker ([tag#index]) and the offline engine
// echoes a turn's messages as the lines of one reply, so a reply also names the messages it answers.
import { performance } from 'node:perf_hooks';
import { sentText } from '@wabot/meta-simulator';
import pg from 'pg';
import { percentile } from './load-stats.mjs';
import { markerOf } from './pipeline.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n, digits = 1) => (n === null || n === undefined ? null : Math.round(n * 10 ** digits) / 10 ** digits);

const HANDLED = `SELECT count(*)::int AS stored, (count(*) FILTER (WHERE status = 'handled'))::int AS handled
  FROM messages WHERE direction = 'inbound' AND bot_id = ANY($1) AND meta_message_id = ANY($2)`;

/**
 * Builds the items of a burst run and tracks what became of them. `plan` is
 * [{bot, user, userSeq, burst, atMs}] (`burst` identifies a burst across the corpus);
 * `makeBody(plan entry, text)` returns a signed {body, headers, messageId}.
 */
export function createBurstTracker(stack, pipeline, runTag, plan, makeBody) {
  const items = plan.map((entry, index) => ({
    index,
    ...entry,
    ...makeBody(entry, `ping ${markerOf(runTag, index)} lorem ipsum dolor sit amet`),
    postedAt: null,
    answeredAt: null,
  }));
  const pattern = new RegExp(`\\[${runTag}#(\\d+)\\]`, 'g');
  const replies = [];
  const corpusUsers = new Set(items.map((item) => item.user.waId));
  const counts = { replies: 0, otherReplies: 0, graphErrors: 0, stored: 0, handled: 0 };
  let lastProgressAt = performance.now();

  const unsubscribe = pipeline.onGraphRequest(({ record, at }) => {
    if (record.kind !== 'text') return;
    if (record.status !== 200) {
      counts.graphErrors++;
      return;
    }
    // A late reply of the warm-up, say: not this corpus's.
    if (!corpusUsers.has(record.to ?? '')) {
      counts.otherReplies++;
      return;
    }
    const indices = [...(sentText(record) ?? '').matchAll(pattern)].map((m) => Number(m[1]));
    replies.push({ at, to: record.to, indices: indices.filter((i) => items[i]) });
    counts.replies++;
    lastProgressAt = at;
  });

  async function readHandled(client) {
    const bots = [...new Set(items.map((item) => item.bot.id))];
    const { rows } = await client.query(HANDLED, [bots, items.map((item) => item.messageId)]);
    return rows[0] ?? { stored: 0, handled: 0 };
  }

  return {
    items,
    counts,
    /**
     * Waits until PostgreSQL has every message `handled` (the last reply part marks its turn's
     * messages handled in the statement that records it sent, so every reply has then arrived),
     * no progress for `idleMs`, or `timeoutMs` passed.
     */
    async settle({ timeoutMs = 60_000, idleMs = 10_000 } = {}) {
      const client = new pg.Client({ connectionString: stack.databaseUrl });
      await client.connect();
      try {
        const deadline = performance.now() + timeoutMs;
        lastProgressAt = performance.now();
        for (;;) {
          const { stored, handled } = await readHandled(client);
          if (handled > counts.handled || stored > counts.stored) lastProgressAt = performance.now();
          Object.assign(counts, { stored, handled });
          const now = performance.now();
          if (handled >= items.length || now > deadline || now - lastProgressAt > idleMs) break;
          await sleep(200);
        }
        // A duplicate reply would show within a moment of the last one.
        await sleep(500);
        Object.assign(counts, await readHandled(client));
      } finally {
        await client.end();
      }
    },
    stop: unsubscribe,
    /** Messages, bursts, replies per user and what they answered, lost messages, latencies. */
    summary() {
      const bursts = new Map();
      const perUser = new Map();
      for (const item of items) {
        const burst = bursts.get(item.burst) ?? { items: [], user: item.user.waId };
        burst.items.push(item.index);
        bursts.set(item.burst, burst);
        const user = perUser.get(item.user.waId) ?? { messages: 0, bursts: new Set(), replies: 0 };
        user.messages++;
        user.bursts.add(item.burst);
        perUser.set(item.user.waId, user);
      }
      const answeredBy = new Map();
      const latencies = [];
      for (const [n, reply] of replies.entries()) {
        const user = perUser.get(reply.to);
        if (user) user.replies++;
        for (const i of reply.indices) answeredBy.set(i, [...(answeredBy.get(i) ?? []), n]);
        const lastPost = Math.max(...reply.indices.map((i) => items[i]?.postedAt ?? Number.NaN));
        if (Number.isFinite(lastPost)) latencies.push(reply.at - lastPost);
      }
      latencies.sort((a, b) => a - b);
      const users = [...perUser.values()];
      // A burst answered whole: one reply answers exactly its messages, nothing more, nothing less.
      const whole = [...bursts.values()].filter(({ items: burstItems }) => {
        const by = answeredBy.get(burstItems[0]);
        if (by?.length !== 1) return false;
        const reply = replies[by[0]];
        return reply.indices.length === burstItems.length && burstItems.every((i) => reply.indices.includes(i));
      }).length;
      return {
        messages: items.length,
        bursts: bursts.size,
        users: users.length,
        replies: counts.replies,
        handled: counts.handled,
        lost: items.length - counts.handled,
        storedNotHandled: counts.stored - counts.handled,
        unansweredByAnyReply: items.filter((item) => !answeredBy.has(item.index)).length,
        answeredByMoreThanOneReply: [...answeredBy.values()].filter((by) => by.length > 1).length,
        burstsAnsweredWhole: whole,
        usersWithMoreRepliesThanBursts: users.filter((u) => u.replies > u.bursts.size).length,
        usersWithRepliesOtherThanMessages: users.filter((u) => u.replies !== u.messages).length,
        maxRepliesPerUser: Math.max(0, ...users.map((u) => u.replies)),
        graphErrors: counts.graphErrors,
        otherReplies: counts.otherReplies,
        // From the POST of the last message a reply answers to that reply reaching the Graph API:
        // with turns, at least the debounce.
        replyAfterLastMessageMs: {
          p50: round(percentile(latencies, 50)),
          p90: round(percentile(latencies, 90)),
          p99: round(percentile(latencies, 99)),
          max: round(latencies.at(-1)),
        },
      };
    },
  };
}
