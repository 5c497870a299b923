import { afterAll, describe, expect, it } from 'vitest';
import { parseFaultSpec, startGraphSimulator } from './graph-simulator.js';

const graph = await startGraphSimulator({ controlApi: true });
afterAll(() => graph.close());

const send = () =>
  fetch(`${graph.url}/v25.0/1/messages`, {
    method: 'POST',
    headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
    body: JSON.stringify({ messaging_product: 'whatsapp', to: '15557654321', text: { body: 'x' } }),
  });

describe('Graph simulator control API', () => {
  it('injects and clears faults, lists requests since a seq, and resets', async () => {
    const injected = await fetch(`${graph.url}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'http_503', times: 1, retryAfterSeconds: 2, match: { to: '+1 555 765 4321' } }),
    });
    expect(injected.status).toBe(200);
    const failed = await send();
    expect([failed.status, failed.headers.get('retry-after')]).toEqual([503, '2']);
    expect((await send()).status).toBe(200);

    const listed = (await (await fetch(`${graph.url}/_simulator/requests?since=1`)).json()) as {
      requests: { seq: number; status: number }[];
    };
    expect(listed.requests.map((r) => [r.seq, r.status])).toEqual([[2, 200]]);

    await fetch(`${graph.url}/_simulator/faults`, { method: 'POST', body: JSON.stringify({ kind: 'http_500' }) });
    await fetch(`${graph.url}/_simulator/faults`, { method: 'DELETE' });
    expect((await send()).status).toBe(200);

    await fetch(`${graph.url}/_simulator/reset`, { method: 'POST' });
    expect(graph.requests).toHaveLength(0);
  });

  it('rejects something that is not a FaultSpec', async () => {
    const response = await fetch(`${graph.url}/_simulator/faults`, { method: 'POST', body: '{"kind":"meteor"}' });
    expect(response.status).toBe(400);
  });

  it('parses only known kinds and fields', () => {
    expect(parseFaultSpec('{"kind":"latency","latencyMs":50,"match":{"kind":"typing","bogus":1}}')).toEqual({
      kind: 'latency',
      latencyMs: 50,
      match: { kind: 'typing' },
    });
    expect(
      parseFaultSpec('{"kind":"unknown_phone_number_100","match":{"phoneNumberId":"999","kind":"debug_token"}}'),
    ).toEqual({ kind: 'unknown_phone_number_100', match: { phoneNumberId: '999', kind: 'debug_token' } });
    expect(parseFaultSpec('{"kind":"http_500","times":"2","latencyMs":-1,"match":"x"}')).toEqual({ kind: 'http_500' });
    expect(parseFaultSpec('{"kind":"http_500","match":{"token":7,"to":"+1 555"}}')).toEqual({
      kind: 'http_500',
      match: { to: '+1 555' },
    });
    expect(parseFaultSpec('not json')).toBeNull();
    expect(parseFaultSpec('[{"kind":"http_500"}]')).toBeNull();
    expect(parseFaultSpec(null)).toBeNull();
    expect(parseFaultSpec('{"kind":"nope"}')).toBeNull();
  });
});
