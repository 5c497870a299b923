import { describe, expect, it } from 'vitest';

type Verdict = { verdict: 'clean' | 'vulnerable' | 'unavailable' | 'error'; lines: string[] };
type Run = { status: number | null; stdout?: string; stderr?: string; timedOut?: boolean };

// A plain script (`node tools/dependency-audit.mjs`, a step of ./run test); see doc-links.test.ts for the import.
const script = new URL('./dependency-audit.mjs', import.meta.url).href;
const audit: { judgeAudit: (run: Run) => Verdict } = await import(script);

const report = (advisories: Record<string, unknown>, vulnerabilities: Record<string, number>) =>
  JSON.stringify({ advisories, metadata: { vulnerabilities, dependencies: 300 } });

describe('dependency audit verdict', () => {
  it('fails on a high or critical advisory, naming the package, the advisory and the path', () => {
    const stdout = report(
      {
        1098: {
          module_name: 'fast-jwt',
          severity: 'critical',
          title: 'Algorithm confusion',
          url: 'https://advisories.example/GHSA-xxxx',
          patched_versions: '>=5.0.6',
          findings: [{ version: '5.0.5', paths: ['services/admin > fast-jwt'] }],
        },
        1099: { module_name: 'tiny', severity: 'moderate', title: 'meh', findings: [{ version: '1.0.0', paths: [] }] },
      },
      { critical: 1, moderate: 1 },
    );
    const { verdict, lines } = audit.judgeAudit({ status: 1, stdout });
    expect(verdict).toBe('vulnerable');
    expect(lines).toEqual([
      'critical: fast-jwt@5.0.5 — Algorithm confusion (https://advisories.example/GHSA-xxxx; fixed in >=5.0.6) via services/admin > fast-jwt',
    ]);
  });

  it('passes with only moderate and low advisories, counting them', () => {
    const stdout = report({}, { critical: 0, high: 0, moderate: 2, low: 1 });
    expect(audit.judgeAudit({ status: 0, stdout })).toEqual({
      verdict: 'clean',
      lines: ['no high or critical advisory in production dependencies (0 critical, 0 high, 2 moderate, 1 low)'],
    });
  });

  it('an endpoint that is not there or not reached is "unavailable", not a failure', () => {
    const badResponse = JSON.stringify({
      error: {
        code: 'ERR_PNPM_AUDIT_BAD_RESPONSE',
        message:
          'The audit endpoint (at https://registry.example/-/npm/v1/security/audits/quick) responded with 405: .',
      },
    });
    expect(audit.judgeAudit({ status: 1, stdout: badResponse }).verdict).toBe('unavailable');
    expect(
      audit.judgeAudit({
        status: 1,
        stdout: '',
        stderr: 'request to https://registry.example failed, reason: getaddrinfo ENOTFOUND',
      }).verdict,
    ).toBe('unavailable');
    expect(audit.judgeAudit({ status: null, timedOut: true }).verdict).toBe('unavailable');
  });

  it('any other pnpm failure is an error (it fails the step)', () => {
    const noLockfile = JSON.stringify({
      error: { code: 'ERR_PNPM_AUDIT_NO_LOCKFILE', message: 'No pnpm-lock.yaml found' },
    });
    expect(audit.judgeAudit({ status: 1, stdout: noLockfile }).verdict).toBe('error');
    expect(audit.judgeAudit({ status: 1, stdout: 'Segmentation fault' }).verdict).toBe('error');
  });
});
