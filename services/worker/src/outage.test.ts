import { GraphApiError } from '@wabot/whatsapp';
import { describe, expect, it } from 'vitest';
import { EngineError } from './engine/bot-engine.js';
import { outageOf } from './outage.js';

const wrapped = (cause: unknown) => new Error('conversation b/u: failed', { cause });

describe('outageOf', () => {
  it('names PostgreSQL for refused, cut and closed connections, also wrapped', () => {
    expect(
      outageOf(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })),
    ).toBe('postgres');
    expect(outageOf(wrapped(Object.assign(new Error('x'), { code: '08006' })))).toBe('postgres');
    expect(outageOf(wrapped(new Error('Connection terminated unexpectedly')))).toBe('postgres');
    expect(outageOf(new Error('database "w" is not currently accepting connections'))).toBe('postgres');
    expect(outageOf(Object.assign(new Error('pool'), { code: 'P2024' }))).toBe('postgres');
    expect(outageOf(wrapped({ kind: 'DatabaseNotReachable' }))).toBe('postgres');
  });

  it('names Redis, the Graph API and the LLM when they are away or answer 5xx', () => {
    expect(outageOf(wrapped(new Error('Connection is closed.')))).toBe('redis');
    expect(
      outageOf(new GraphApiError({ status: 0, title: 'Request failed: ECONNREFUSED', category: 'retryable' })),
    ).toBe('graph');
    expect(outageOf(wrapped(new GraphApiError({ status: 503, title: 'down', category: 'retryable' })))).toBe('graph');
    expect(outageOf(wrapped(new EngineError('LLM request failed', true)))).toBe('llm');
    expect(outageOf(new EngineError('LLM answered HTTP 502', true, 502))).toBe('llm');
    expect(outageOf(wrapped(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })))).toBe('network');
  });

  it('is null for refusals, rate limits and bugs', () => {
    expect(outageOf(new GraphApiError({ status: 429, title: 'rate', category: 'retryable' }))).toBeNull();
    expect(outageOf(new GraphApiError({ status: 400, title: 'bad', category: 'permanent' }))).toBeNull();
    expect(outageOf(new EngineError('LLM answered HTTP 429', true, 429))).toBeNull();
    expect(outageOf(new EngineError('key rejected', false, 401))).toBeNull();
    expect(outageOf(new TypeError('x is undefined'))).toBeNull();
    expect(outageOf(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeNull();
    expect(outageOf(undefined)).toBeNull();
  });
});
