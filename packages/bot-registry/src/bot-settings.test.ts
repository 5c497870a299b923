import { describe, expect, it } from 'vitest';
import { botSettingsSchema, handoffResumeAt, isHandoffKeyword, parseBotSettings } from './bot-settings.js';

describe('settings.handoff', () => {
  it('defaults to no keywords, no auto-resume, no notice', () => {
    expect(parseBotSettings({}).handoff).toEqual({
      keywords: [],
      auto_resume_after_s: null,
      notice: null,
      unassigned_alert_after_s: null,
    });
  });

  it('validates unassigned_alert_after_s: whole seconds from 1 to 30 days, or null', () => {
    expect(
      botSettingsSchema.parse({ handoff: { unassigned_alert_after_s: 300 } }).handoff.unassigned_alert_after_s,
    ).toBe(300);
    expect(
      botSettingsSchema.parse({ handoff: { unassigned_alert_after_s: null } }).handoff.unassigned_alert_after_s,
    ).toBe(null);
    for (const bad of [0, -5, 1.5, '300', 31 * 24 * 3600]) {
      expect(botSettingsSchema.safeParse({ handoff: { unassigned_alert_after_s: bad } }).success, String(bad)).toBe(
        false,
      );
    }
  });

  it('matches a keyword trimmed and in any case, the whole text only', () => {
    const settings = parseBotSettings({ handoff: { keywords: ['Agent', ' talk to a human '] } });
    expect(isHandoffKeyword(settings, '  aGENT ')).toBe(true);
    expect(isHandoffKeyword(settings, 'TALK TO A HUMAN')).toBe(true);
    expect(isHandoffKeyword(settings, 'I want an agent')).toBe(false);
    expect(isHandoffKeyword(settings, '   ')).toBe(false);
  });

  it('resumes auto_resume_after_s after the given time, or never', () => {
    const from = new Date('2026-12-01T12:00:00.000Z');
    expect(handoffResumeAt(parseBotSettings({ handoff: { auto_resume_after_s: 90 } }), from)).toEqual(
      new Date('2026-12-01T12:01:30.000Z'),
    );
    expect(handoffResumeAt(parseBotSettings({}), from)).toBeNull();
  });
});

describe('bot settings', () => {
  it('are snake_case like the rest of the API, with defaults', () => {
    const settings = botSettingsSchema.parse({});
    expect(settings).toMatchObject({ fallback_template: null, rate_limit_per_second: 80, typing_indicator: false });
    expect(Object.keys(settings).filter((key) => /[A-Z]/.test(key))).toEqual([]);
  });

  it('reads rows stored with the camelCase keys of older versions (a snake_case key wins)', () => {
    const parsed = parseBotSettings({
      fallbackTemplate: { name: 'reopen', language: 'en_US' },
      rateLimitPerSecond: 20,
      typingIndicator: true,
    });
    expect(parsed).toMatchObject({
      fallback_template: { name: 'reopen', language: 'en_US', parameters: [] },
      rate_limit_per_second: 20,
      typing_indicator: true,
    });
    expect(parseBotSettings({ rateLimitPerSecond: 20, rate_limit_per_second: 5 }).rate_limit_per_second).toBe(5);
  });
});
