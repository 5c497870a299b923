import { GraphApiError } from '@wabot/whatsapp';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../engine/bot-engine.js';
import { describeEngineFailure, describeGraphFailure } from './bot-health.js';

describe('describeGraphFailure', () => {
  it('calls no answer and 5xx unreachable, a rejected token an error, a refused message a Graph API that answered', () => {
    const network = new GraphApiError({ status: 0, title: 'connection failed' });
    expect(describeGraphFailure(network)).toEqual({
      failure: { code: null, title: 'graph_unreachable: connection failed' },
      status: 'unreachable',
    });
    const unavailable = new GraphApiError({ status: 503, code: 2, title: 'Service temporarily unavailable' });
    expect(describeGraphFailure(unavailable)).toEqual({
      failure: { code: 2, title: 'Service temporarily unavailable' },
      status: 'unreachable',
    });
    expect(describeGraphFailure(new GraphApiError({ status: 401, code: 190, title: 'expired' })).status).toBe('error');
    expect(describeGraphFailure(new GraphApiError({ status: 400, code: 131026, title: 'undeliverable' })).status).toBe(
      'ok',
    );
    expect(describeGraphFailure(new Error('socket hang up'))).toEqual({
      failure: { code: null, title: 'graph_unreachable: socket hang up' },
      status: 'unreachable',
    });
  });
});

describe('describeEngineFailure', () => {
  it('calls an LLM that answered with an error status an error, one that did not answer unreachable', () => {
    expect(describeEngineFailure(new EngineError('LLM answered HTTP 503', true, 503))).toEqual({
      failure: { code: 503, title: 'LLM answered HTTP 503' },
      status: 'error',
    });
    expect(describeEngineFailure(new EngineError('timed out after 1000 ms', true))).toEqual({
      failure: { code: null, title: 'llm_unreachable: timed out after 1000 ms' },
      status: 'unreachable',
    });
  });
});
