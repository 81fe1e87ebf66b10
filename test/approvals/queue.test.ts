/**
 * The approvals queue with a real SQLite store: answers from another process through the CLI,
 * expiry as a deny, session rules and their revocation, the TTY prompt, and the audit record.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createApprovalQueue, type ApprovalRequest } from '../../src/approvals/index.js';
import type { AuditLog } from '../../src/audit/index.js';
import { cleanup, cli, cliAsync, openTemp, tempDir } from '../audit/helpers.js';

const ask = (session: string | undefined, command = 'git push origin main', ruleIds = ['commands[0]']): ApprovalRequest => ({
  action: { kind: 'command', argv: command.split(' ') },
  decision: { verdict: 'ask', findings: [], reasons: ['git push needs a human'], ruleIds },
  requester: { agent: 'test-agent', ...(session ? { session } : {}) },
  summary: command,
});

describe('approvals queue', () => {
  let dir: string;
  let db: string;
  let log: AuditLog;
  before(() => {
    dir = tempDir('airlock-approvals-');
    db = path.join(dir, 'audit.db');
    log = openTemp(dir);
  });
  after(() => { log.close(); cleanup(dir); });

  it('a waiting request is answered from another terminal through the CLI, and who answered is recorded', async () => {
    const queue = createApprovalQueue(log, { timeoutMs: 60_000, pollMs: 50, prompt: 'never' });
    let pendingId = '';
    const waiting = queue.request(ask('s1'), {});
    await new Promise((r) => setTimeout(r, 20));
    const listed = cli(['approvals', 'list', '--json', '--db', db]);
    assert.equal(listed.code, 0, listed.stderr);
    const approvals = JSON.parse(listed.stdout).approvals as { id: string; summary: string }[];
    assert.equal(approvals.length, 1);
    pendingId = approvals[0]!.id;
    assert.equal(approvals[0]!.summary, 'git push origin main');
    const answered = await cliAsync(['approvals', 'approve', pendingId.slice(0, 8), '--db', db, '--by', 'alice']);
    assert.equal(answered.code, 0, answered.stderr);
    const result = await waiting;
    assert.deepEqual(result, { answer: 'approved', id: pendingId, by: 'alice', scope: 'once' });
    const event = log.tail(5).find((e) => e.type === 'approval.answered');
    assert.equal(event?.payload.by, 'alice');
    assert.equal(event?.payload.approvalId, pendingId);
    // Answering twice is refused.
    const again = cli(['approvals', 'deny', pendingId, '--db', db]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already approved by alice/);
  });

  it('a deny is a deny', async () => {
    const queue = createApprovalQueue(log, { timeoutMs: 60_000, pollMs: 20, prompt: 'never', onPending: (p) => { queue.answer(p.id, { decision: 'deny', by: 'bob', reason: 'no' }); } });
    const result = await queue.request(ask('s2'));
    assert.equal(result.answer, 'denied');
    assert.equal(result.by, 'bob');
  });

  it('expires as a deny after the timeout, and records the expiry', async () => {
    const queue = createApprovalQueue(log, { timeoutMs: 150, pollMs: 20, prompt: 'never' });
    const result = await queue.request(ask('s3'));
    assert.equal(result.answer, 'expired');
    const expired = log.tail(3).find((e) => e.type === 'approval.expired');
    assert.equal(expired?.payload.approvalId, result.id);
    // An answer arriving late does not turn it into an approval.
    const late = queue.answer(result.id, { decision: 'approve', by: 'carol' });
    assert.equal(late.ok, false);
    assert.equal(queue.get(result.id)?.status, 'expired');
  });

  it('"remember for this session" approves the same rule again in that session only, until revoked', async () => {
    const queue = createApprovalQueue(log, { timeoutMs: 300, pollMs: 20, prompt: 'never', onPending: (p) => { if (p.requester.session === 's4') queue.answer(p.id, { decision: 'approve', scope: 'session', by: 'dana' }); } });
    const first = await queue.request(ask('s4'));
    assert.equal(first.scope, 'session');
    const quiet = createApprovalQueue(log, { timeoutMs: 150, pollMs: 20, prompt: 'never' });
    const second = await quiet.request(ask('s4', 'git push origin feature'));
    assert.equal(second.answer, 'approved');
    assert.equal(second.scope, 'rule');
    assert.match(second.by ?? '', /dana/);
    // Another session, or another rule, is not covered.
    assert.equal((await quiet.request(ask('s5'))).answer, 'expired');
    assert.equal((await quiet.request(ask('s4', 'rm -rf build', ['commands[3]']))).answer, 'expired');
    // Revoke through the CLI; the rule stops answering.
    const rules = JSON.parse(cli(['approvals', 'rules', '--json', '--db', db]).stdout).rules as { id: string; session: string }[];
    const rule = rules.find((r) => r.session === 's4')!;
    const revoked = cli(['approvals', 'revoke', rule.id, '--db', db, '--by', 'erin']);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal((await quiet.request(ask('s4'))).answer, 'expired');
    assert.equal(log.tail(20).find((e) => e.type === 'session-rule.revoked')?.payload.by, 'erin');
  });

  it('without a session, "session" answers count once', async () => {
    const queue = createApprovalQueue(log, { timeoutMs: 1000, pollMs: 20, prompt: 'never' });
    const waiting = queue.request(ask(undefined));
    const [pending] = queue.list();
    const r = queue.answer(pending!.id, { decision: 'approve', scope: 'session', by: 'x' });
    assert.equal(r.ok && r.approval.scope, 'once');
    assert.equal((await waiting).answer, 'approved');
  });

  it('prompts on a terminal and takes the typed answer', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c) => { shown += c; });
    const queue = createApprovalQueue(log, { timeoutMs: 10_000, pollMs: 20, prompt: { input, output, by: 'tty:frank' } });
    const waiting = queue.request(ask('s6'));
    await new Promise((r) => setTimeout(r, 100));
    input.write('maybe\n');
    await new Promise((r) => setTimeout(r, 50));
    input.write('o\n');
    const result = await waiting;
    assert.deepEqual([result.answer, result.by], ['approved', 'tty:frank']);
    assert.match(shown, /git push origin main/);
    assert.match(shown, /Please answer o, s or d/);
  });

  it('ids are unguessable and short prefixes are refused', () => {
    const queue = createApprovalQueue(log, { timeoutMs: 1000, prompt: 'never' });
    const all = queue.list({ all: true });
    assert.ok(all.every((a) => a.id.length === 20 && /^[A-Za-z0-9_-]+$/.test(a.id)));
    assert.equal(new Set(all.map((a) => a.id)).size, all.length);
    const r = queue.answer(all[0]!.id.slice(0, 3), { decision: 'approve', by: 'x' });
    assert.equal(r.ok, false);
  });

  it('a prefix matches case-sensitively: another case is another id', async () => {
    const queue = createApprovalQueue(log, { timeoutMs: 10_000, pollMs: 20, prompt: 'never' });
    const waiting = queue.request(ask('s-case'));
    await new Promise((r) => setTimeout(r, 50));
    const pending = queue.list().find((a) => a.status === 'pending')!;
    const prefix = pending.id.slice(0, 8);
    const swapped = [...prefix].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    if (swapped !== prefix) assert.equal(queue.answer(swapped, { decision: 'approve', by: 'x' }).ok, false);
    assert.equal(queue.answer(prefix, { decision: 'deny', by: 'x' }).ok, true);
    assert.equal((await waiting).answer, 'denied');
  });

  it('the whole exchange left a log that verifies', () => {
    assert.equal(log.verify().ok, true);
  });
});
