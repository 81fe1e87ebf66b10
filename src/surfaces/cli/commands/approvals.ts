/**
 * @module surfaces/cli/commands/approvals
 * `airlock approvals list|approve ID|deny ID|rules|revoke ID`: answer the asks that runs are
 * waiting on, from another terminal. The queue lives in the audit store's SQLite file, which the
 * sandbox cannot see, so an agent inside a run cannot answer its own request.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { ConfigError } from '../../../core/errors.js';
import { loadPolicy } from '../../../load-policy.js';
import { openAuditLog } from '../../../audit/log.js';
import { createApprovalQueue, type PendingApproval } from '../../../approvals/queue.js';
import { parseOptions, UsageError, writeJson } from '../shared.js';

const HELP = `Usage:
  airlock approvals list [--all] [--json]          pending asks (--all: answered ones too)
  airlock approvals approve ID [--session] [--reason TEXT]
      approve once, or with --session for the rest of the requester's session
      (a session rule: later asks for the same rules in that session are approved)
  airlock approvals deny ID [--reason TEXT]
  airlock approvals rules [--all] [--for-session S] [--json]   session rules (--all: revoked too)
  airlock approvals revoke RULE-ID

Common options: --db PATH (else the policy's audit.store), --policy F, --by NAME
(recorded as the answerer; default cli:$USER). ID may be a unique prefix of 6+ characters.
A waiting run sees the answer within a fraction of a second; no answer before
approvals.timeout is a deny. Docs: docs/approvals.md.

Examples:
  airlock approvals list
  airlock approvals approve Xk3v9Q --session
  airlock approvals deny Xk3v9Q --reason "not on a Friday"
`;

function ago(iso: string): string {
  const s = Math.round((Date.parse(iso) - Date.now()) / 1000);
  return s >= 0 ? `in ${s}s` : `${-s}s ago`;
}

function formatApproval(a: PendingApproval): string {
  const who = [a.requester.agent, a.requester.session && `session ${a.requester.session}`, a.requester.user].filter(Boolean).join(', ');
  const state = a.status === 'pending' ? `expires ${ago(a.expiresAt)}` : `${a.status}${a.answeredBy ? ` by ${a.answeredBy}` : ''}${a.scope === 'session' ? ' (session)' : ''}`;
  return `${a.id}  ${state}${who ? `  [${who}]` : ''}\n    ${a.summary}\n${a.verdictReasons.map((r) => `    - ${r}\n`).join('')}`;
}

/** Entry point of `airlock approvals`. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('approvals', argv, {
    db: { type: 'string' },
    policy: { type: 'string' },
    json: { type: 'boolean' },
    all: { type: 'boolean' },
    session: { type: 'boolean' },
    'for-session': { type: 'string' },
    reason: { type: 'string' },
    by: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const [sub, id] = positionals;
  if (values.help || sub === undefined) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (!['list', 'approve', 'deny', 'rules', 'revoke'].includes(sub)) {
    throw new UsageError('approvals', `unknown subcommand "${sub}"; expected list, approve, deny, rules or revoke.`);
  }
  const sessionScope = sub === 'approve' && Boolean(values.session);
  let file = values.db;
  let timeoutMs = 5 * 60_000;
  let signing: { signingKeyPath?: string; checkpointEvery?: number } = {};
  if (!file || values.policy) {
    const { policy } = loadPolicy({ file: values.policy });
    file ??= policy.audit.store;
    timeoutMs = policy.approvals.timeout;
    // Write checkpoints like every other writer of this log, when the key is readable here.
    if (policy.audit.signingKey && existsSync(policy.audit.signingKey)) signing = { signingKeyPath: policy.audit.signingKey, checkpointEvery: policy.audit.checkpointEvery };
  }
  if (!existsSync(file)) throw new ConfigError(`no audit database at ${file}, so nothing is waiting. Pass --db PATH or --policy F.`);
  const by = values.by ?? `cli:${os.userInfo().username}`;
  const log = openAuditLog({ path: file, ...signing });
  try {
    const queue = createApprovalQueue(log, { timeoutMs, prompt: 'never' });
    if (sub === 'list') {
      const items = queue.list({ all: Boolean(values.all) });
      if (values.json) writeJson({ approvals: items });
      else process.stdout.write(items.length ? items.map(formatApproval).join('') : values.all ? 'no approvals yet\n' : 'nothing is waiting for an approval\n');
      return 0;
    }
    if (sub === 'rules') {
      const rules = queue.rules({ all: Boolean(values.all), ...(values['for-session'] ? { session: values['for-session'] } : {}) });
      if (values.json) writeJson({ rules });
      else process.stdout.write(rules.length ? rules.map((r) => `${r.id}  session ${r.session}  ${r.key}  by ${r.createdBy}${r.revokedAt ? `  revoked by ${r.revokedBy}` : ''}\n    ${r.summary}\n`).join('') : 'no session rules\n');
      return 0;
    }
    if (!id) throw new UsageError('approvals', `${sub} needs an ID (see \`airlock approvals ${sub === 'revoke' ? 'rules' : 'list'}\`).`);
    if (sub === 'revoke') {
      const result = queue.revoke(id, by);
      if (values.json) writeJson(result);
      else process.stdout.write(result.ok ? `revoked session rule ${result.rule.id}\n` : `airlock approvals: ${result.message}\n`);
      return result.ok ? 0 : 1;
    }
    const result = queue.answer(id, {
      decision: sub === 'approve' ? 'approve' : 'deny',
      scope: sessionScope ? 'session' : 'once',
      by,
      ...(values.reason ? { reason: values.reason } : {}),
    });
    if (values.json) writeJson(result);
    else if (result.ok) process.stdout.write(`${result.approval.status} ${result.approval.id}${result.approval.scope === 'session' ? ' for the rest of the session' : ''}: ${result.approval.summary}\n`);
    else process.stderr.write(`airlock approvals: ${result.message}\n`);
    return result.ok ? 0 : 1;
  } finally {
    log.close();
  }
}
