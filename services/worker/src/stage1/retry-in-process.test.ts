import { describe, expect, it } from 'vitest';
import { RetriesStopped, RetryBudgetExhausted, retryInProcess } from './retry-in-process.js';

const permanent = new Error('permanent');
const base = { budgetMs: 10_000, baseMs: 5, capMs: 20, isPermanent: (e: unknown) => e === permanent };

describe('retryInProcess', () => {
  it('retries until the attempt succeeds, doubling the back-off up to the cap', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retryInProcess(
      async () => {
        if (++calls < 6) throw new Error(`fail ${calls}`);
        return 'ok';
      },
      { ...base, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(6);
    expect(delays).toEqual([5, 10, 20, 20, 20]);
  });

  it('throws a permanent error at once', async () => {
    let calls = 0;
    await expect(
      retryInProcess(async () => {
        calls++;
        throw permanent;
      }, base),
    ).rejects.toBe(permanent);
    expect(calls).toBe(1);
  });

  it('gives up once the budget is spent, with the last error as the cause', async () => {
    const started = Date.now();
    let calls = 0;
    const failing = retryInProcess(
      async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      },
      // Back-offs 100, then 200 cut to the ~20 ms left of the budget (uncut, it would end at ~300 ms).
      { ...base, budgetMs: 120, baseMs: 100, capMs: 1_000 },
    );
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryBudgetExhausted);
    expect(String(error)).toMatch(new RegExp(`gave up after ${calls} attempts over \\d+ ms: boom ${calls}`));
    // Never waits past the budget: the last back-off is cut to what remains of it.
    expect(Date.now() - started).toBeGreaterThanOrEqual(120);
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('stops at once when the signal aborts during a back-off', async () => {
    const stop = new AbortController();
    const started = Date.now();
    const failing = retryInProcess(
      async () => {
        throw new Error('still failing');
      },
      {
        ...base,
        baseMs: 60_000,
        capMs: 60_000,
        signal: stop.signal,
        onRetry: () => setTimeout(() => stop.abort(), 20),
      },
    );
    const error = await failing.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesStopped);
    expect(error).toMatchObject({ cause: { message: 'still failing' } });
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
