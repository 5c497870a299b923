// The dependency audit of `./run test` (docs/adr/0008-dependency-audit.md): `pnpm audit --prod
// --audit-level high` over the lockfile. Exits 1 when a production dependency has a known high or
// critical advisory (listed), 0 when it has none, and 0 with a clear SKIPPED line when the
// registry's advisory endpoint cannot be reached or does not answer (a mirror without it, no
// network): that says nothing about the dependencies, so it must not fail the build. With
// WABOT_AUDIT_REQUIRED=1 an unreachable endpoint fails too (for a CI that must audit).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const AUDIT_ARGS = ['audit', '--prod', '--audit-level', 'high', '--json'];
const TIMEOUT_MS = 90_000;
// Errors that say the endpoint was not reached or did not do its job, not that anything is wrong.
const UNREACHABLE =
  /AUDIT_BAD_RESPONSE|AUDIT_ENDPOINT|FETCH|ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ENETUNREACH|socket hang up|network/i;

/**
 * The verdict on one `pnpm audit --json` run: `clean`, `vulnerable` (high or critical advisories),
 * `unavailable` (the endpoint was not reached) or `error` (pnpm failed otherwise); `lines` say why.
 */
export function judgeAudit({ status, stdout = '', stderr = '', timedOut = false }) {
  if (timedOut) return { verdict: 'unavailable', lines: [`pnpm audit did not finish within ${TIMEOUT_MS / 1000} s`] };
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    const said = `${stderr}\n${stdout}`.trim().split('\n').slice(0, 3).join(' | ') || `exit ${status}`;
    return UNREACHABLE.test(said)
      ? { verdict: 'unavailable', lines: [said] }
      : { verdict: 'error', lines: [`pnpm audit printed no report: ${said}`] };
  }
  if (report.error) {
    const said = `${report.error.code ?? 'error'}: ${report.error.message ?? ''}`.trim();
    return UNREACHABLE.test(said) ? { verdict: 'unavailable', lines: [said] } : { verdict: 'error', lines: [said] };
  }
  const counts = report.metadata?.vulnerabilities ?? {};
  const serious = Object.values(report.advisories ?? {}).filter(
    (advisory) => advisory.severity === 'high' || advisory.severity === 'critical',
  );
  if (serious.length > 0 || (counts.high ?? 0) + (counts.critical ?? 0) > 0) {
    const lines = serious.map((advisory) => {
      const versions = [...new Set((advisory.findings ?? []).map((finding) => finding.version))].join(', ');
      const via = (advisory.findings ?? [])
        .flatMap((finding) => finding.paths ?? [])
        .slice(0, 3)
        .join('; ');
      return `${advisory.severity}: ${advisory.module_name}@${versions || '?'} — ${advisory.title} (${advisory.url ?? 'no url'}; fixed in ${advisory.patched_versions ?? '?'}) via ${via || '?'}`;
    });
    return {
      verdict: 'vulnerable',
      lines: lines.length > 0 ? lines : [`${counts.high ?? 0} high, ${counts.critical ?? 0} critical`],
    };
  }
  const summary = ['critical', 'high', 'moderate', 'low'].map((level) => `${counts[level] ?? 0} ${level}`).join(', ');
  return { verdict: 'clean', lines: [`no high or critical advisory in production dependencies (${summary})`] };
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const run = spawnSync('pnpm', AUDIT_ARGS, { cwd: root, encoding: 'utf8', timeout: TIMEOUT_MS, env: process.env });
  const { verdict, lines } = judgeAudit({
    status: run.status,
    stdout: run.stdout,
    stderr: run.stderr ?? run.error?.message,
    timedOut: run.error?.code === 'ETIMEDOUT',
  });
  const required = process.env.WABOT_AUDIT_REQUIRED === '1';
  const say = (text) => console.error(`[audit] ${text}`);
  if (verdict === 'clean') say(lines[0]);
  else if (verdict === 'unavailable') {
    say(
      `SKIPPED: the registry's advisory endpoint could not be used, so nothing is known about advisories: ${lines[0]}`,
    );
    if (required) say('WABOT_AUDIT_REQUIRED=1: failing because the audit could not run');
  } else if (verdict === 'vulnerable') {
    say(
      'known high or critical advisories in production dependencies (upgrade, or see docs/adr/0008-dependency-audit.md):',
    );
    for (const line of lines) say(`  ${line}`);
  } else say(`pnpm audit failed: ${lines[0]}`);
  process.exit(verdict === 'clean' || (verdict === 'unavailable' && !required) ? 0 : 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
