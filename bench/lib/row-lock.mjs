// A stage-1 job made to hang without any fault hook in the product: the bench holds a PostgreSQL
// row lock on an outbound message, and the status webhook for that message blocks on it in the
// worker's UPDATE until the bench lets go (benchmark 7).
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An outbound message of `botId` that Meta accepted (it has a wamid), with the number it went to:
 * {id, wamid, recipient}. Throws when the bot has none yet (send it a message first).
 */
export async function findOutboundMessage(stack, botId) {
  const client = new pg.Client({ connectionString: stack.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT m.id, m.meta_message_id AS wamid, c.wa_id AS recipient
         FROM messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.bot_id = $1 AND m.direction = 'outbound' AND m.meta_message_id IS NOT NULL AND c.wa_id IS NOT NULL
        ORDER BY m.created_at LIMIT 1`,
      [botId],
    );
    const [row] = rows;
    if (!row) throw new Error(`bot ${botId} has no outbound message with a wamid yet: nothing to hold a lock on`);
    return row;
  } finally {
    await client.end();
  }
}

/**
 * Opens a transaction holding the row lock of message `messageId` (`FOR NO KEY UPDATE`: it blocks
 * the worker's status UPDATE of that row, which takes the same lock, but not the foreign-key checks
 * of rows referring to it, which `FOR UPDATE` would block too). A second connection watches the
 * backends waiting on the holder. `release()` rolls back and reports what was blocked at that
 * moment: [{pid, waitedMs, query}].
 */
export async function holdRowLock(stack, messageId) {
  const holder = new pg.Client({ connectionString: stack.databaseUrl });
  // pg_stat_activity is a per-transaction snapshot: the watcher runs each look-up on its own.
  const watcher = new pg.Client({ connectionString: stack.databaseUrl });
  await Promise.all([holder.connect(), watcher.connect()]);
  const close = () => Promise.all([holder.end().catch(() => {}), watcher.end().catch(() => {})]);
  try {
    const { rows } = await holder.query('SELECT pg_backend_pid() AS pid');
    const holderPid = rows[0].pid;
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM messages WHERE id = $1 FOR NO KEY UPDATE', [messageId]);
    const lockedAt = performance.now();

    const blocked = async () => {
      const result = await watcher.query(
        `SELECT pid, (extract(epoch FROM clock_timestamp() - query_start) * 1000)::int AS waited_ms, left(query, 60) AS query
           FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))`,
        [holderPid],
      );
      return result.rows.map((r) => ({ pid: r.pid, waitedMs: r.waited_ms, query: r.query }));
    };

    let released = false;
    return {
      holderPid,
      lockedAt,
      blocked,
      /** Resolves with the blocked backends once at least one waits on the lock, or [] after `timeoutMs`. */
      async waitUntilBlocked(timeoutMs = 10_000) {
        const deadline = performance.now() + timeoutMs;
        for (;;) {
          const waiting = await blocked();
          if (waiting.length > 0 || performance.now() > deadline) return waiting;
          await sleep(20);
        }
      },
      async release() {
        if (released) return { releasedAt: null, blockedAtRelease: [] };
        released = true;
        const blockedAtRelease = await blocked().catch(() => []);
        await holder.query('ROLLBACK').catch(() => {});
        const releasedAt = performance.now();
        await close();
        return { releasedAt, blockedAtRelease };
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}
