import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  classifyGraphError,
  GraphApiError,
  type GraphErrorCategory,
  parseGraphErrorResponse,
  redactSecrets,
} from './graph-api-error.js';

describe('classifyGraphError', () => {
  // [HTTP status as Meta sends it, code, expected category]
  const table: Array<[number, number | null, GraphErrorCategory]> = [
    // network errors, timeouts, 5xx and 429 without a known code
    [0, null, 'retryable'],
    [0, 190, 'retryable'],
    [500, null, 'retryable'],
    [502, null, 'retryable'],
    [503, null, 'retryable'],
    [429, null, 'retryable'],
    [500, 1, 'retryable'],
    // transient codes
    [400, 1, 'retryable'],
    [503, 2, 'retryable'],
    [400, 4, 'retryable'],
    [400, 80007, 'retryable'],
    [400, 130429, 'retryable'],
    [429, 130429, 'retryable'],
    [500, 131000, 'retryable'],
    [500, 131016, 'retryable'],
    [500, 131057, 'retryable'],
    [503, 133004, 'retryable'],
    // pair rate limit
    [400, 131056, 'pair_rate_limited'],
    [429, 131056, 'pair_rate_limited'],
    // credentials and permissions
    [401, 0, 'credentials'],
    [401, 190, 'credentials'],
    [500, 3, 'credentials'],
    [403, 10, 'credentials'],
    [403, 200, 'credentials'],
    [403, 299, 'credentials'],
    [403, 131005, 'credentials'],
    [401, null, 'credentials'],
    // window
    [400, 131047, 'window_closed'],
    // permanent
    [400, 100, 'permanent'],
    [403, 368, 'permanent'],
    [400, 130472, 'permanent'],
    [400, 131008, 'permanent'],
    [400, 131009, 'permanent'],
    [400, 131021, 'permanent'],
    [400, 131026, 'permanent'],
    [403, 131031, 'permanent'],
    [400, 131042, 'permanent'],
    [500, 131045, 'permanent'],
    [400, 131048, 'permanent'],
    [400, 131049, 'permanent'],
    [400, 131050, 'permanent'],
    [400, 131051, 'permanent'],
    [400, 131052, 'permanent'],
    [400, 131053, 'permanent'],
    [400, 132000, 'permanent'],
    [404, 132001, 'permanent'],
    [400, 132015, 'permanent'],
    [400, 133010, 'permanent'],
    [400, 135000, 'permanent'],
    [400, null, 'permanent'],
    [404, 2500, 'permanent'],
    [403, null, 'permanent'],
    [400, 999999, 'permanent'],
  ];

  it.each(table)('HTTP %i code %s → %s', (status, code, category) => {
    expect(classifyGraphError(status, code)).toBe(category);
  });

  it('is what GraphApiError carries unless overridden', () => {
    expect(new GraphApiError({ status: 400, code: 131047, title: 'x' }).category).toBe('window_closed');
    expect(new GraphApiError({ status: 0, title: 'x', category: 'permanent' }).category).toBe('permanent');
    const error = new GraphApiError({ status: 401, code: 190, subcode: 463, title: 'Session has expired' });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('GraphApiError');
    expect(error.message).toBe('Graph API HTTP 401 (#190): Session has expired');
    expect(error).toMatchObject({ subcode: 463, details: null, fbtraceId: null, retryAfterMs: null });
  });
});

describe('backoffDelayMs', () => {
  it('grows exponentially with equal jitter inside [ceiling/2, ceiling]', () => {
    const options = { baseMs: 100, capMs: 10_000 };
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(10_000, 100 * 2 ** (attempt - 1));
      expect(backoffDelayMs(attempt, { ...options, random: () => 0 })).toBe(ceiling / 2);
      expect(backoffDelayMs(attempt, { ...options, random: () => 0.999999 })).toBeCloseTo(ceiling, -1);
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelayMs(attempt, options);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('is capped, also for absurd attempts', () => {
    expect(backoffDelayMs(10_000, { capMs: 5000, random: () => 1 })).toBe(5000);
    expect(backoffDelayMs(Number.POSITIVE_INFINITY, { baseMs: 100, random: () => 1 })).toBe(100);
    expect(backoffDelayMs(0, { baseMs: 100, random: () => 1 })).toBe(100);
  });

  it('never returns less than Retry-After, even above the cap', () => {
    expect(backoffDelayMs(1, { baseMs: 100, retryAfterMs: 7000, random: () => 0.5 })).toBe(7000);
    expect(backoffDelayMs(1, { baseMs: 100, capMs: 1000, retryAfterMs: 60_000 })).toBe(60_000);
    expect(backoffDelayMs(10, { baseMs: 100, capMs: 1000, retryAfterMs: 10, random: () => 0 })).toBe(500);
    expect(backoffDelayMs(1, { baseMs: 100, retryAfterMs: null, random: () => 0 })).toBe(50);
  });

  it('has sensible defaults', () => {
    const first = backoffDelayMs(1);
    expect(first).toBeGreaterThanOrEqual(250);
    expect(first).toBeLessThanOrEqual(500);
    expect(backoffDelayMs(100)).toBeLessThanOrEqual(30_000);
  });
});

describe('parseGraphErrorResponse', () => {
  const SECRET = 'EAAG-secret-token-value';

  it('reads Meta’s error body', () => {
    const body = JSON.stringify({
      error: {
        message: '(#131009) Parameter value is not valid',
        type: 'OAuthException',
        code: 131009,
        error_subcode: 2494010,
        error_data: { messaging_product: 'whatsapp', details: 'Invalid button title' },
        fbtrace_id: 'A_lI',
      },
    });
    expect(parseGraphErrorResponse(400, body, { retryAfterMs: 2000 })).toMatchObject({
      status: 400,
      code: 131009,
      subcode: 2494010,
      title: '(#131009) Parameter value is not valid',
      details: 'Invalid button title',
      fbtraceId: 'A_lI',
      retryAfterMs: 2000,
      timedOut: false,
      category: 'permanent',
    });
  });

  // [description, body]: none of them is Meta's shape; each gives HTTP <status> with an excerpt.
  const notMetaShaped: Array<[string, string]> = [
    ['HTML', '<html>Bad Gateway</html>'],
    ['truncated JSON', '{"error":{"message":"(#131000) Some'],
    ['a JSON string', '"oops"'],
    ['null', 'null'],
    ['an array', '[{"error":{"code":190}}]'],
    ['error as a string', '{"error":"boom"}'],
    ['no error key', '{"data":[]}'],
  ];

  it.each(notMetaShaped)('falls back to the HTTP status for %s', (_name, body) => {
    const error = parseGraphErrorResponse(502, body);
    expect(error).toBeInstanceOf(GraphApiError);
    expect(error).toMatchObject({ status: 502, code: null, subcode: null, title: 'HTTP 502', category: 'retryable' });
    expect(error.details).toBe(body.slice(0, 200));
  });

  it('has no details for an empty body', () => {
    expect(parseGraphErrorResponse(401, '')).toMatchObject({
      title: 'HTTP 401',
      details: null,
      category: 'credentials',
    });
  });

  it('drops wrong-typed fields and keeps the rest', () => {
    const body = JSON.stringify({
      error: { message: 42, code: '190', error_subcode: 4.5, error_data: 'x', fbtrace_id: 7, error_user_title: 'Bad' },
    });
    expect(parseGraphErrorResponse(400, body)).toMatchObject({
      code: null,
      subcode: null,
      title: 'Bad',
      details: null,
      fbtraceId: null,
      category: 'permanent',
    });
    const codeOnly = parseGraphErrorResponse(400, JSON.stringify({ error: { code: 131047, message: null } }));
    expect(codeOnly).toMatchObject({ code: 131047, title: 'HTTP 400', category: 'window_closed' });
  });

  it('never carries a secret, also when it straddles the excerpt limit', () => {
    const echoed = JSON.stringify({
      error: { message: `Bad token ${SECRET}`, code: 190, error_data: { details: `token=${SECRET}` } },
    });
    const error = parseGraphErrorResponse(401, echoed, { secrets: [SECRET] });
    expect(error.title).toBe('Bad token [REDACTED]');
    expect(error.details).toBe('token=[REDACTED]');
    const html = `${'x'.repeat(190)}${SECRET}`;
    const fallback = parseGraphErrorResponse(500, html, { secrets: [SECRET] });
    expect(fallback.details).not.toContain(SECRET.slice(0, 10));
    expect(fallback.message + JSON.stringify(fallback)).not.toContain(SECRET.slice(0, 10));
  });
});

describe('redactSecrets', () => {
  it('replaces every secret of 4 characters or more', () => {
    expect(redactSecrets('a=TOKEN1 b=APPTOKEN c=TOKEN1', ['TOKEN1', 'APPTOKEN'])).toBe(
      'a=[REDACTED] b=[REDACTED] c=[REDACTED]',
    );
    expect(redactSecrets('abc', ['abc', ''])).toBe('abc');
  });
});
