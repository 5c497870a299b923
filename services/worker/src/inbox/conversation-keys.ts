/**
 * Redis keys of one conversation (bot + user). All share the hash tag `{<bot>:<user>}`, so every
 * script over them stays in one slot of a Redis Cluster (docs/adr/0004-pipeline-v2.md).
 *
 * - `inbox`: sorted set, member = Meta message id, score = the conversation's arrival sequence.
 * - `data`: hash, message id → stored entry (JSON).
 * - `seq`: the arrival counter that scores the inbox (removed with the last message).
 * - `seen`: set of the message ids a drain has read already (their read receipts went out).
 * - `lock`: the drain lock (token = the drain job's id, so a retried job reclaims it).
 * - `pairRate`: hits of Meta's pair rate limit (131056), reset when a turn is done.
 */
export interface ConversationKeys {
  inbox: string;
  data: string;
  seq: string;
  seen: string;
  lock: string;
  pairRate: string;
}

export function conversationKeys(prefix: string, botId: string, userKey: string): ConversationKeys {
  const base = `${prefix}:conv:{${botId}:${userKey}}`;
  return {
    inbox: `${base}:inbox`,
    data: `${base}:data`,
    seq: `${base}:seq`,
    seen: `${base}:seen`,
    lock: `${base}:lock`,
    pairRate: `${base}:pair-rate`,
  };
}
