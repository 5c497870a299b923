import { describe, expect, it } from 'vitest';
import { dashboardHelperNames, dashboardHelpersScript } from './dashboard-helpers.js';
import { dashboardHtml } from './dashboard-html.js';

type Helper = (...args: unknown[]) => unknown;

/** The page's helper script evaluated as the browser would, returning its functions by name. */
function loadHelpers(): Record<(typeof dashboardHelperNames)[number], Helper> {
  const factory = new Function(
    `'use strict';${dashboardHelpersScript}; return { ${dashboardHelperNames.join(', ')} };`,
  );
  return factory();
}

const h = loadHelpers();
const NOW = Date.parse('2025-06-01T12:00:00Z');
const out = (direction: string, status: string, extra: Record<string, unknown> = {}) =>
  h.statusTick({ direction, status, error_code: null, error_title: null, ...extra });

describe('dashboard helpers (the code inlined into the page)', () => {
  it('renders delivery ticks the way WhatsApp does, failures with code and title', () => {
    expect(out('outbound', 'pending')).toEqual({ symbol: '…', cls: 'pending', label: 'pending' });
    expect(out('outbound', 'sent')).toMatchObject({ symbol: '✓', cls: 'sent' });
    expect(out('outbound', 'delivered')).toMatchObject({ symbol: '✓✓', cls: 'delivered' });
    expect(out('outbound', 'read')).toMatchObject({ symbol: '✓✓', cls: 'read' });
    expect(out('outbound', 'failed', { error_code: 131047, error_title: 'Re-engagement message' })).toEqual({
      symbol: '✗',
      cls: 'failed',
      label: 'failed: 131047 Re-engagement message',
    });
    expect(out('outbound', 'failed')).toMatchObject({ label: 'failed' });
    expect(out('inbound', 'handled')).toMatchObject({ symbol: '', label: 'handled by the bot' });
  });

  it('computes the 24-hour window with the time left or since it closed', () => {
    const at = (ms: number) => ({ open: true, expires_at: new Date(NOW + ms).toISOString() });
    expect(h.windowState(at(3 * 3600_000 + 5 * 60_000), NOW)).toEqual({ open: true, text: 'window open · 3h 5m left' });
    expect(h.windowState(at(-26 * 3600_000), NOW)).toEqual({ open: false, text: 'window closed 1d 2h ago' });
    expect(h.windowState({ open: false, expires_at: null }, NOW)).toMatchObject({ open: false });
    expect(h.formatDuration(-5)).toBe('0s');
    expect(h.formatDuration(59_000)).toBe('59s');
  });

  it('labels attachments and other metadata without echoing markup as HTML', () => {
    expect(
      h.metadataLabels({ attachment: { kind: 'document', filename: 'invoice.pdf', mimeType: 'application/pdf' } }),
    ).toEqual(['attachment: document · invoice.pdf · application/pdf']);
    expect(h.metadataLabels({ template: { name: 'hello', language: 'en_US', parameters: ['Ann'] } })).toEqual([
      'template: hello (en_US) · Ann',
    ]);
    expect(h.metadataLabels(null)).toEqual([]);
    expect(h.metadataLabels({ attachment: { kind: '<img src=x onerror=alert(1)>' } })).toEqual([
      'attachment: <img src=x onerror=alert(1)>',
    ]);
  });

  it("turns the API's error body into a title and detail lines", () => {
    const body = {
      error: {
        code: 'validation_failed',
        message: 'request body is invalid',
        details: { fields: [{ field: 'platform_config.phone_number_id', message: 'must contain digits only' }] },
      },
    };
    expect(h.describeApiError(400, body)).toEqual({
      title: 'request body is invalid (validation_failed)',
      lines: ['platform_config.phone_number_id: must contain digits only'],
    });
    const named = { error: { ...body.error, message: 'platform_config.phone_number_id must contain digits only' } };
    expect(h.describeApiError(400, named)).toMatchObject({ lines: [] });
    const unauthorized = h.describeApiError(401, { error: { code: 'unauthorized', message: 'expired', details: {} } });
    expect(unauthorized).toMatchObject({ title: 'expired (unauthorized)' });
    expect(JSON.stringify(unauthorized)).toContain('Sign in again');
    expect(h.describeApiError(502, null)).toMatchObject({ title: 'HTTP 502' });
  });

  it('reads the token subject and expiry, template parameters, user labels', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'alice', exp: NOW / 1000 + 600 })).toString('base64url');
    expect(h.tokenInfo(`x.${payload}.y`, NOW)).toEqual({ sub: 'alice', expired: false, left: 600_000 });
    expect(h.tokenInfo('garbage', NOW)).toBeNull();
    expect(h.splitLines('Ann\r\n\n 42 \n')).toEqual(['Ann', '42']);
    expect(h.userLabel({ profile_name: null, wa_id: '4915', user_id: 'US.1', user_key: 'US.1' })).toEqual({
      name: '4915',
      ids: '+4915 · user US.1',
    });
    expect(h.shorten('a\nb c', 4)).toBe('a b…');
  });

  it('inlines scripts that parse (a syntax error would blank the whole page)', () => {
    const scripts = [...dashboardHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(() => new Function(script)).not.toThrow();
    expect(scripts.join('\n')).toContain('function loadDiagnostics');
  });

  it('inlines the helpers and never builds HTML from strings', () => {
    expect(dashboardHtml).toContain(dashboardHelpersScript);
    expect(dashboardHtml).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
  });
});
