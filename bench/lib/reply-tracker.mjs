// Correlates replies seen at the simulated Graph API with the webhooks that caused them. Each
// message text carries a marker ([tag#index]); the offline engine echoes the text, so a reply
// names its message exactly. Counts lost and duplicate replies and per-user order violations: a
// reply that overtakes the reply to an earlier message of the same user whose webhook had been
// answered 200 before the later webhook was posted.
import { performance } from 'node:perf_hooks';
import { sentText } from '@wabot/meta-simulator';
import { percentile } from './load-stats.mjs';
import { markerOf } from './pipeline.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (n, digits = 1) => (n === null || n === undefined ? null : Math.round(n * 10 ** digits) / 10 ** digits);

/**
 * Builds the items of a run and tracks their replies. `plan` is [{bot, user, userSeq}] in posting
 * order; `makeBody(plan entry, text)` returns a signed {body, headers}.
 */
export function createReplyTracker(pipeline, runTag, plan, makeBody) {
  const items = plan.map((entry, index) => ({
    index,
    ...entry,
    ...makeBody(entry, `ping ${markerOf(runTag, index)} lorem ipsum dolor sit amet`),
    postedAt: null,
    answeredAt: null,
    repliedAt: null,
  }));
  const pattern = new RegExp(`\\[${runTag}#(\\d+)\\]`);
  const lastByUser = new Map();
  const counts = { replies: 0, duplicates: 0, unknown: 0, orderViolations: 0, overlappingPosts: 0, graphErrors: 0 };
  const duplicateSamples = [];
  let lastProgressAt = performance.now();

  const unsubscribe = pipeline.onGraphRequest(({ record, at }) => {
    if (record.kind !== 'text') return;
    if (record.status !== 200) {
      counts.graphErrors++;
      return;
    }
    const match = pattern.exec(sentText(record) ?? '');
    const item = match ? items[Number(match[1])] : undefined;
    if (!item) {
      counts.unknown++;
      return;
    }
    if (item.repliedAt !== null) {
      counts.duplicates++;
      if (duplicateSamples.length < 5)
        duplicateSamples.push({
          index: item.index,
          to: record.to,
          afterMs: Math.round(at - item.repliedAt),
          postedAgoMs: Math.round(at - item.postedAt),
        });
      return;
    }
    item.repliedAt = at;
    counts.replies++;
    lastProgressAt = at;
    const key = item.user.waId;
    const last = lastByUser.get(key);
    if (last === undefined || item.userSeq > last.userSeq) lastByUser.set(key, item);
    else if (item.answeredAt !== null && item.answeredAt < last.postedAt) counts.orderViolations++;
    // Both POSTs were in flight at once: Meta promises no order between them, nor do we.
    else counts.overlappingPosts++;
  });

  return {
    items,
    counts,
    /** Waits until every item has a reply, nothing arrived for `idleMs`, or `timeoutMs` passed. */
    async settle({ timeoutMs = 60_000, idleMs = 10_000 } = {}) {
      const deadline = performance.now() + timeoutMs;
      lastProgressAt = performance.now();
      while (counts.replies < items.length) {
        const now = performance.now();
        if (now > deadline || now - lastProgressAt > idleMs) break;
        await sleep(50);
      }
      // Late duplicates would show within a moment of the last reply.
      await sleep(300);
    },
    stop: unsubscribe,
    /** Throughput, latency and correctness figures of the run. */
    summary() {
      const posted = items.filter((item) => item.postedAt !== null);
      const replied = items.filter((item) => item.repliedAt !== null);
      const firstPost = Math.min(...posted.map((item) => item.postedAt));
      const lastPost = Math.max(...posted.map((item) => item.postedAt));
      const lastReply = replied.length ? Math.max(...replied.map((item) => item.repliedAt)) : null;
      const latencies = replied.map((item) => item.repliedAt - item.postedAt).sort((a, b) => a - b);
      const spanS = lastReply === null ? null : (lastReply - firstPost) / 1000;
      return {
        messages: items.length,
        replies: replied.length,
        lost: items.length - replied.length,
        duplicates: counts.duplicates,
        ...(duplicateSamples.length ? { duplicateSamples } : {}),
        orderViolations: counts.orderViolations,
        outOfOrderOverlapping: counts.overlappingPosts,
        unknownReplies: counts.unknown,
        graphErrors: counts.graphErrors,
        postRatePerS: round(posted.length / Math.max(0.001, (lastPost - firstPost) / 1000), 0),
        messagesPerSecond: spanS ? round(replied.length / spanS, 0) : 0,
        firstPostToLastReplyS: round(spanS, 2),
        latencyMs: {
          p50: round(percentile(latencies, 50)),
          p90: round(percentile(latencies, 90)),
          p99: round(percentile(latencies, 99)),
          max: round(latencies.at(-1)),
        },
      };
    },
  };
}
