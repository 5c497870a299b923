/**
 * Polls `predicate` every 20 ms until it returns a truthy value, and resolves with that value;
 * rejects naming `what` once `timeoutMs` passed (for asynchronous effects: pub/sub, queues, replies).
 */
export async function eventually<T>(
  predicate: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
