import { describe, expect, it } from 'vitest';
import { webhookUrlWarnings } from './webhook-url-warnings.js';

describe('webhookUrlWarnings', () => {
  it('is silent for a public HTTPS URL', () => {
    expect(webhookUrlWarnings('https://bots.acme.com/api/bots/webhook/whatsapp/x')).toEqual([]);
    expect(webhookUrlWarnings('https://203.0.113.7:8443/hook')).toEqual([]);
    expect(webhookUrlWarnings('https://[2001:db8::1]/hook')).toEqual([]);
  });

  it('warns about plain HTTP', () => {
    const warnings = webhookUrlWarnings('http://bots.acme.com/hook');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not HTTPS/);
  });

  it.each([
    'https://localhost:3000/x',
    'https://app.localhost/x',
    'https://127.0.0.1/x',
    'https://10.1.2.3/x',
    'https://172.20.0.5/x',
    'https://192.168.1.10/x',
    'https://169.254.169.254/x',
    'https://100.64.0.1/x',
    'https://[::1]/x',
    'https://[fd00::1]/x',
    'https://[fe80::1]/x',
    'https://[::ffff:10.0.0.1]/x',
    'https://[::ffff:7f00:1]/x',
    'https://0.0.0.0/x',
    'https://ingress/x',
    'https://ingress.internal/x',
    'https://my-mac.local/x',
  ])('warns that %s is not reachable from the internet', (url) => {
    const warnings = webhookUrlWarnings(url);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/not reachable from the internet/);
  });

  it('gives both warnings for the development default', () => {
    expect(webhookUrlWarnings('http://localhost:3000/api/bots/webhook/whatsapp/x')).toHaveLength(2);
  });
});
