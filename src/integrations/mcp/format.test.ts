/** The tool answers for refusals, approvals, runs and failures. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyLimits, type RunResult } from '../../core/contracts.js';
import { ConfigError } from '../../core/errors.js';
import { formatFailure, formatRunResult } from './format.js';

const base: RunResult = {
  verdict: 'deny', exitCode: null, signal: null, stdout: '', stderr: '', findings: [], reasons: ['pushing needs a human'],
  limits: emptyLimits(), network: [], files: { changed: [] }, durationMs: 2, auditId: null, ran: false,
};

test('asks: no approver, expired, denied by someone — each says so', () => {
  const none = formatRunResult('run_command "git push"', { ...base, approval: { id: 'none', answer: 'denied', by: 'nobody: no approver and no audit store' } });
  assert.match(none.text, /no approver is configured/);
  assert.doesNotMatch(none.text, /human denied/);
  assert.equal(none.isError, true);
  const expired = formatRunResult('x', { ...base, approval: { id: 'apr-1', answer: 'expired' } });
  assert.match(expired.text, /request apr-1\) and nobody answered in time/);
  const denied = formatRunResult('x', { ...base, approval: { id: 'apr-2', answer: 'denied', by: 'carol' } });
  assert.match(denied.text, /human denied the approval request apr-2 \(carol\)/);
  assert.match(denied.text, /Ask the user to approve it/);
});

test('a plain deny lists reasons and findings with rule ids, masked matches only', () => {
  const a = formatRunResult('run_command "cat ~/.aws/credentials"', {
    ...base, reasons: ['Reads cloud credentials.'],
    findings: [{ rule: 'file.credential-path', severity: 'high', category: 'credential-access', message: 'Touches a credential file', match: 'AKIA…WXYZ', remediation: 'Use the brokered credentials.' }],
  });
  assert.match(a.text, /refused run_command "cat ~\/\.aws\/credentials" \(verdict: deny\)/);
  assert.match(a.text, /\[high\] file\.credential-path: Touches a credential file \(matched AKIA…WXYZ\) Instead: Use the brokered credentials\./);
  assert.match(a.text, /Do not retry the same call/);
  assert.equal(a.outcome.findings[0]!.rule, 'file.credential-path');
});

test('runs: output, exit code, time limit, redaction and refused network are reported', () => {
  const r = formatRunResult('x', {
    ...base, verdict: 'allow', ran: true, exitCode: 137, stdout: 'partial\n', stderr: 'killed\n', redacted: true,
    limits: { ...emptyLimits(), timedOut: true, enforced: { timeout: { value: 1000, mechanism: 'supervisor' } } },
    network: [{ host: 'paste.example', port: 443, allowed: false, reason: 'not in network.allow' }],
  });
  assert.equal(r.isError, true);
  assert.match(r.text, /^partial\n\[stderr\]\nkilled\n\[airlock\] exit code 137; stopped at the time limit \(1000 ms\); output redacted/);
  assert.match(r.text, /network refused: paste\.example:443 \(not in network\.allow\)/);
  assert.equal(r.outcome.timedOut, true);
  const ok = formatRunResult('x', { ...base, verdict: 'allow', ran: true, exitCode: 0, stdout: '' });
  assert.deepEqual([ok.isError, ok.text], [false, '(no output)']);
});

test('failures: Airlock errors keep their issues; other errors are masked', () => {
  const f = formatFailure('x', new ConfigError('policy file p.yaml has 1 problem(s):', { issues: [{ path: 'limits.timeout', message: 'expected a duration' }] }));
  assert.match(f.text, /limits\.timeout/);
  assert.equal(f.outcome.error?.code, 'config');
  const secret = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
  const g = formatFailure('x', new Error(`fetch https://x/?token=${secret} failed`));
  assert.doesNotMatch(g.text, new RegExp(secret));
  assert.equal(g.outcome.verdict, 'deny');
});
