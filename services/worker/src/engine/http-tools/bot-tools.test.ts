import { describe, expect, it } from 'vitest';
import { type ToolCall, ToolCallFailed } from './bot-tools.js';

const failed = (overrides: Partial<ToolCall>): ToolCall => ({
  toolId: null,
  tool: 'lookup_order',
  ok: false,
  outcome: 'http_error',
  status: 404,
  body: '{"error":"no such order"}',
  truncated: false,
  durationMs: 12,
  argumentsBytes: 16,
  error: 'the tool answered HTTP 404',
  at: new Date(),
  ...overrides,
});

describe('ToolCallFailed', () => {
  it('tells the model the error and what the tool answered', () => {
    expect(new ToolCallFailed(failed({})).message).toBe('the tool answered HTTP 404: {"error":"no such order"}');
  });

  it('tells only the error when there was no answer, and cuts a long answer', () => {
    expect(
      new ToolCallFailed(failed({ outcome: 'timeout', status: null, body: '', error: 'no answer within 200 ms' }))
        .message,
    ).toBe('no answer within 200 ms');
    const long = new ToolCallFailed(failed({ body: 'x'.repeat(5_000) })).message;
    expect(long).toBe(`the tool answered HTTP 404: ${'x'.repeat(2_000)}…`);
  });
});
