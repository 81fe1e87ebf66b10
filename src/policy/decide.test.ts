import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/contracts.js';
import { decide } from './decide.js';
import { parsePolicy, type Policy } from './schema.js';

function policy(input: unknown): Policy {
  const r = parsePolicy(input);
  assert.ok(r.ok);
  return r.value;
}
const f = (rule: string, severity: Finding['severity'], category: Finding['category'] = 'destruction'): Finding => ({ rule, severity, category, message: rule });

test('thresholds: high denies, medium asks, low allows by default', () => {
  const p = policy({});
  assert.equal(decide({ findings: [f('a', 'high')], invocations: [] }, p).verdict, 'deny');
  assert.equal(decide({ findings: [f('a', 'medium')], invocations: [] }, p).verdict, 'ask');
  assert.equal(decide({ findings: [f('a', 'low')], invocations: [] }, p).verdict, 'allow');
  assert.equal(decide({ findings: [f('a', 'critical')], invocations: [] }, policy({ inspect: { deny: 'never', ask: 'never' } })).verdict, 'allow');
});

test('parse errors are at least ask even when thresholds say never', () => {
  const p = policy({ inspect: { deny: 'never', ask: 'never' } });
  const d = decide({ findings: [f('shell.parse-error', 'medium', 'parse-error')], invocations: [] }, p);
  assert.equal(d.verdict, 'ask');
  assert.deepEqual(d.ruleIds, ['shell.parse-error']);
});

test('strictest wins between findings and command rules; reasons name rule ids', () => {
  const p = policy({ commands: [{ id: 'ok-git', match: 'git', verdict: 'allow' }, { id: 'no-push', match: 'git push', verdict: 'deny', reason: 'publishes' }] });
  const d = decide({ findings: [f('x', 'medium')], invocations: [{ program: 'git', args: ['push'], via: [] }] }, p);
  assert.equal(d.verdict, 'deny');
  assert.deepEqual(d.ruleIds, ['x', 'ok-git', 'no-push']);
  assert.ok(d.reasons.some((r) => r.includes('no-push') && r.includes('publishes')));
});

test('unknown programs ask only when the policy says so and no rule covers them', () => {
  const known = new Set(['ls']);
  const inv = [{ program: 'frobnicate', args: [], via: [] }, { program: 'ls', args: [], via: [] }];
  assert.equal(decide({ findings: [], invocations: inv, knownPrograms: known }, policy({})).verdict, 'allow');
  const strict = policy({ inspect: { unknownPrograms: 'ask' } });
  assert.equal(decide({ findings: [], invocations: inv, knownPrograms: known }, strict).verdict, 'ask');
  const covered = policy({ inspect: { unknownPrograms: 'ask' }, commands: [{ match: 'frobnicate', verdict: 'allow' }] });
  assert.equal(decide({ findings: [], invocations: inv, knownPrograms: known }, covered).verdict, 'allow');
});
