/**
 * @module approvals/queue
 * Pending approvals in the audit store's SQLite file, so `airlock approvals approve ID` in
 * another terminal answers a run that is waiting. An `ask` becomes a row with an unguessable id;
 * the waiting side polls the row (and, with a TTY attached, prompts on stderr); whichever answer
 * lands first wins through a conditional update. No answer before the timeout is a deny
 * (`expired`). "Remember for this session" stores a session rule that answers later asks with
 * the same rule ids (or the same action) in that session, until revoked. Every step is an audit
 * event, with who answered.
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Action, Decision, Requester } from '../core/contracts.js';
import { AirlockError } from '../core/errors.js';
import { canonicalJson, sha256Hex } from '../audit/canonical.js';
import type { AuditLog } from '../audit/log.js';
import { sanitizeForAudit } from '../audit/sanitize.js';

/** A question for a human (the pipeline's `ApprovalRequest`). */
export interface ApprovalRequest {
  action: Action;
  decision: Decision;
  requester: Requester;
  /** One line describing the action. */
  summary: string;
  /** The `action.requested` event id, to link the audit events. */
  requestId?: string | undefined;
}

/** The outcome of a request (the pipeline's `ApprovalAnswer`). */
export interface ApprovalAnswer {
  answer: 'approved' | 'denied' | 'expired';
  id: string;
  by?: string;
  /** `once`, `session` (a rule was created) or `rule` (answered by an existing session rule). */
  scope?: 'once' | 'session' | 'rule';
}

/** A stored approval, as listed. */
export interface PendingApproval {
  id: string;
  status: 'pending' | 'approved' | 'denied' | 'expired';
  summary: string;
  requester: Requester;
  verdictReasons: string[];
  ruleIds: string[];
  createdAt: string;
  expiresAt: string;
  answeredAt: string | null;
  answeredBy: string | null;
  scope: 'once' | 'session' | null;
}

/** A "remember for this session" rule. */
export interface SessionRule {
  id: string;
  session: string;
  tenant: string | null;
  /** What it matches: the decision's rule ids, or `action:<hash>` for one exact action. */
  key: string;
  summary: string;
  createdAt: string;
  createdBy: string;
  approvalId: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** How a human answers. */
export interface AnswerInput {
  decision: 'approve' | 'deny';
  /** `session` remembers an approval for the rest of the requester's session. */
  scope?: 'once' | 'session';
  /** Who answered, recorded in the audit log (e.g. `cli:alice`, `http:reviewer-key-1`). */
  by: string;
  reason?: string;
}

/** The result of `answer`: a value, since "already answered" is an expected outcome. */
export type AnswerResult =
  | { ok: true; approval: PendingApproval }
  | { ok: false; reason: 'not-found' | 'ambiguous' | 'not-pending' | 'expired'; message: string };

/** Options for `createApprovalQueue`. */
export interface ApprovalQueueOptions {
  /** How long a request waits before it expires as a deny (`policy.approvals.timeout`, ms). */
  timeoutMs: number;
  /** How often the waiting side looks for an answer (default 200 ms). */
  pollMs?: number;
  /**
   * Prompt on a terminal: `auto` (default) when stdin and stderr are both TTYs, `never`, or
   * explicit streams (tests, custom UIs).
   */
  prompt?: 'auto' | 'never' | { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; by?: string };
  /** Called when a request becomes pending (e.g. to print how to answer it). */
  onPending?: (approval: PendingApproval) => void;
}

/** The approvals queue. */
export interface ApprovalQueue {
  /** Asks, waits for an answer, an existing session rule, or the timeout. Never rejects for "no". */
  request(req: ApprovalRequest, options?: { signal?: AbortSignal }): Promise<ApprovalAnswer>;
  /** Answers a pending request by id (or a unique prefix of at least 6 characters). */
  answer(id: string, input: AnswerInput): AnswerResult;
  /** Pending requests (expired ones are marked expired first); `all` includes answered ones. */
  list(options?: { all?: boolean; limit?: number }): PendingApproval[];
  get(id: string): PendingApproval | null;
  /** Session rules; active ones only unless `all`. */
  rules(options?: { all?: boolean; session?: string }): SessionRule[];
  /** Revokes a session rule (by id or unique prefix). */
  revoke(id: string, by: string): { ok: true; rule: SessionRule } | { ok: false; message: string };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS approvals (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('pending','approved','denied','expired')),
  summary TEXT NOT NULL,
  requester TEXT NOT NULL,
  tenant TEXT,
  session TEXT,
  reasons TEXT NOT NULL,
  rule_ids TEXT NOT NULL,
  rule_key TEXT NOT NULL,
  request_id TEXT,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  answered_at TEXT,
  answered_by TEXT,
  scope TEXT,
  reason TEXT
);
CREATE INDEX IF NOT EXISTS approvals_status ON approvals(status);
CREATE TABLE IF NOT EXISTS approval_rules (
  id TEXT PRIMARY KEY,
  session TEXT NOT NULL,
  tenant TEXT,
  rule_key TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  approval_id TEXT NOT NULL,
  revoked_at TEXT,
  revoked_by TEXT
);
CREATE INDEX IF NOT EXISTS approval_rules_session ON approval_rules(session, rule_key);
`;

interface ApprovalRow {
  id: string; status: PendingApproval['status']; summary: string; requester: string; tenant: string | null; session: string | null;
  reasons: string; rule_ids: string; rule_key: string; request_id: string | null; created_at: string; expires_at: string;
  answered_at: string | null; answered_by: string | null; scope: 'once' | 'session' | null; reason: string | null;
}
interface RuleRow {
  id: string; session: string; tenant: string | null; rule_key: string; summary: string; created_at: string; created_by: string;
  approval_id: string; revoked_at: string | null; revoked_by: string | null;
}

const toApproval = (r: ApprovalRow): PendingApproval => ({
  id: r.id, status: r.status, summary: r.summary, requester: JSON.parse(r.requester) as Requester,
  verdictReasons: JSON.parse(r.reasons) as string[], ruleIds: JSON.parse(r.rule_ids) as string[],
  createdAt: r.created_at, expiresAt: r.expires_at, answeredAt: r.answered_at, answeredBy: r.answered_by, scope: r.scope,
});
const toRule = (r: RuleRow): SessionRule => ({
  id: r.id, session: r.session, tenant: r.tenant, key: r.rule_key, summary: r.summary, createdAt: r.created_at,
  createdBy: r.created_by, approvalId: r.approval_id, revokedAt: r.revoked_at, revokedBy: r.revoked_by,
});

/**
 * What a session rule created from this request matches: the policy rule ids that asked, or,
 * when the decision names none, this exact action.
 *
 * @example
 * ruleKeyOf(action, { verdict: 'ask', ruleIds: ['commands[0]'], findings: [], reasons: [] }) // 'rules:commands[0]'
 */
export function ruleKeyOf(action: Action, decision: Decision): string {
  const ids = [...new Set(decision.ruleIds)].sort();
  return ids.length ? `rules:${ids.join(',')}` : `action:${sha256Hex(canonicalJson(sanitizeForAudit(action)))}`;
}

/** An unguessable id: 120 random bits, URL-safe. */
const newId = (): string => randomBytes(15).toString('base64url');

/**
 * Creates the approvals queue on the audit log's database.
 *
 * @example
 * const queue = createApprovalQueue(log, { timeoutMs: policy.approvals.timeout });
 * const airlock = createAirlock({ policy, approve: (req) => queue.request(req) });
 */
export function createApprovalQueue(log: AuditLog, options: ApprovalQueueOptions): ApprovalQueue {
  const db = log.database;
  db.exec(SCHEMA);
  const pollMs = options.pollMs ?? 200;
  const now = (): string => new Date().toISOString();

  const byId = db.prepare('SELECT * FROM approvals WHERE id = ?');
  // GLOB, not LIKE: ids are base64url, and LIKE ignores case, so `aBcDeF` would answer `AbCdEf…`.
  const byPrefix = db.prepare('SELECT * FROM approvals WHERE id GLOB ? LIMIT 2');
  const ruleById = db.prepare('SELECT * FROM approval_rules WHERE id = ?');
  const ruleByPrefix = db.prepare('SELECT * FROM approval_rules WHERE id GLOB ? LIMIT 2');
  const findRule = db.prepare('SELECT * FROM approval_rules WHERE session = ? AND tenant IS ? AND rule_key = ? AND revoked_at IS NULL ORDER BY created_at LIMIT 1');

  const resolveRow = <T>(id: string, exact: { get(id: string): unknown }, prefix: { all(p: string): unknown[] }): T | 'ambiguous' | null => {
    const hit = exact.get(id) as T | undefined;
    if (hit) return hit;
    // Only id characters, so none of GLOB's `*?[` can be in the prefix.
    if (id.length < 6 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
    const rows = prefix.all(`${id}*`) as T[];
    return rows.length === 1 ? rows[0]! : rows.length > 1 ? 'ambiguous' : null;
  };

  /** Marks pending requests past their deadline as expired, recording each. */
  const expireDue = db.transaction((id?: string) => {
    const due = (id
      ? db.prepare("SELECT * FROM approvals WHERE id = ? AND status = 'pending' AND expires_at <= ?").all(id, now())
      : db.prepare("SELECT * FROM approvals WHERE status = 'pending' AND expires_at <= ?").all(now())) as ApprovalRow[];
    for (const row of due) {
      db.prepare("UPDATE approvals SET status = 'expired', answered_at = ? WHERE id = ? AND status = 'pending'").run(now(), row.id);
      log.append('approval.expired', { approvalId: row.id, requestId: row.request_id, summary: row.summary }, JSON.parse(row.requester) as Requester);
    }
    return due.length;
  });

  const answer: ApprovalQueue['answer'] = (id, input) => {
    const tx = db.transaction((): AnswerResult => {
      const row = resolveRow<ApprovalRow>(id, byId, byPrefix);
      if (row === 'ambiguous') return { ok: false, reason: 'ambiguous', message: `"${id}" matches more than one approval; give more of the id.` };
      if (!row) return { ok: false, reason: 'not-found', message: `no approval with id "${id}" (see \`airlock approvals list\`).` };
      if (row.status !== 'pending') return { ok: false, reason: 'not-pending', message: `approval ${row.id} was already ${row.status}${row.answered_by ? ` by ${row.answered_by}` : ''}.` };
      const at = now();
      if (row.expires_at <= at) {
        expireDue(row.id);
        return { ok: false, reason: 'expired', message: `approval ${row.id} expired at ${row.expires_at}: it counts as a deny.` };
      }
      const status = input.decision === 'approve' ? 'approved' : 'denied';
      const scope = input.decision === 'approve' && input.scope === 'session' && row.session ? 'session' : 'once';
      db.prepare('UPDATE approvals SET status = ?, answered_at = ?, answered_by = ?, scope = ?, reason = ? WHERE id = ? AND status = ?')
        .run(status, at, input.by, scope, input.reason ?? null, row.id, 'pending');
      let ruleId: string | undefined;
      if (scope === 'session') {
        ruleId = newId();
        db.prepare('INSERT INTO approval_rules (id, session, tenant, rule_key, summary, created_at, created_by, approval_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
          .run(ruleId, row.session, row.tenant, row.rule_key, row.summary, at, input.by, row.id);
      }
      log.append('approval.answered', {
        approvalId: row.id, requestId: row.request_id, answer: status, scope, by: input.by,
        ...(ruleId ? { ruleId, ruleKey: row.rule_key } : {}), ...(input.reason ? { reason: input.reason } : {}),
      }, JSON.parse(row.requester) as Requester);
      return { ok: true, approval: toApproval(byId.get(row.id) as ApprovalRow) };
    });
    return tx.immediate();
  };

  const get = (id: string): PendingApproval | null => {
    const row = byId.get(id) as ApprovalRow | undefined;
    return row ? toApproval(row) : null;
  };

  const prompt = (approval: PendingApproval, done: Promise<unknown>): void => {
    const setting = options.prompt ?? 'auto';
    if (setting === 'never') return;
    const streams = setting === 'auto'
      ? (process.stdin.isTTY && process.stderr.isTTY ? { input: process.stdin, output: process.stderr, by: undefined } : null)
      : setting;
    if (!streams) return;
    void Promise.resolve().then(() => {
      // Loaded only when a person is asked; through require so that the CLI's CommonJS bundle
      // (run from a vm.Script, which has no dynamic import) can load it too.
      const { createInterface } = createRequire(import.meta.url)('node:readline') as typeof import('node:readline');
      const rl = createInterface({ input: streams.input, output: streams.output, terminal: false });
      void done.then(() => rl.close());
      const ask = (): void => {
        rl.question(
          `\nairlock: approval needed (${approval.id}) for ${approval.requester.agent ?? 'an agent'}${approval.requester.session ? ` in session ${approval.requester.session}` : ''}:\n  ${approval.summary}\n` +
          `${approval.verdictReasons.map((r) => `  - ${r}\n`).join('')}` +
          `Allow? [o]nce, [s]ession, [d]eny (expires ${approval.expiresAt}): `,
          (text) => {
            const choice = text.trim().toLowerCase();
            const decision = choice === 'o' || choice === 'once' || choice === 'y' || choice === 'yes' ? { decision: 'approve' as const, scope: 'once' as const }
              : choice === 's' || choice === 'session' ? { decision: 'approve' as const, scope: 'session' as const }
              : choice === 'd' || choice === 'deny' || choice === 'n' || choice === 'no' ? { decision: 'deny' as const } : null;
            if (!decision) {
              streams.output.write('Please answer o, s or d.\n');
              ask();
              return;
            }
            answer(approval.id, { ...decision, by: streams.by ?? `tty:${process.env.USER ?? process.env.LOGNAME ?? 'unknown'}` });
          },
        );
      };
      ask();
      rl.on('close', () => { /* the poll loop below decides */ });
    });
  };

  const request: ApprovalQueue['request'] = async (req, callOptions = {}) => {
    const requester = sanitizeForAudit(req.requester ?? {}) as Requester;
    const key = ruleKeyOf(req.action, req.decision);
    const summary = String(sanitizeForAudit(req.summary));
    // A session rule answers at once; the rule and the request are both recorded.
    if (requester.session) {
      const rule = findRule.get(requester.session, requester.tenant ?? null, key) as RuleRow | undefined;
      if (rule) {
        const id = newId();
        const at = now();
        db.transaction(() => {
          db.prepare("INSERT INTO approvals (id, status, summary, requester, tenant, session, reasons, rule_ids, rule_key, request_id, created_at, expires_at, answered_at, answered_by, scope) VALUES (?, 'approved', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'session')")
            .run(id, summary, canonicalJson(requester), requester.tenant ?? null, requester.session ?? null, JSON.stringify(req.decision.reasons), JSON.stringify(req.decision.ruleIds), key, req.requestId ?? null, at, at, at, `session-rule:${rule.id}`);
          log.append('approval.answered', { approvalId: id, requestId: req.requestId, answer: 'approved', scope: 'rule', ruleId: rule.id, by: `session-rule:${rule.id} (${rule.created_by})`, summary }, requester);
        }).immediate();
        return { answer: 'approved', id, by: `session-rule:${rule.id} (${rule.created_by})`, scope: 'rule' };
      }
    }
    const id = newId();
    const created = new Date();
    const expires = new Date(created.getTime() + options.timeoutMs);
    db.transaction(() => {
      db.prepare("INSERT INTO approvals (id, status, summary, requester, tenant, session, reasons, rule_ids, rule_key, request_id, created_at, expires_at) VALUES (?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .run(id, summary, canonicalJson(requester), requester.tenant ?? null, requester.session ?? null, JSON.stringify(sanitizeForAudit(req.decision.reasons)), JSON.stringify(req.decision.ruleIds), key, req.requestId ?? null, created.toISOString(), expires.toISOString());
      log.append('approval.requested', { approvalId: id, requestId: req.requestId, summary, reasons: req.decision.reasons, ruleIds: req.decision.ruleIds, expiresAt: expires.toISOString() }, requester);
    }).immediate();
    const pending = get(id)!;
    options.onPending?.(pending);

    let settle!: () => void;
    const settled = new Promise<void>((resolve) => { settle = resolve; });
    prompt(pending, settled);
    try {
      for (;;) {
        const row = get(id);
        if (!row) throw new AirlockError('approvals', `approval ${id} disappeared from the store: denied.`);
        if (row.status === 'approved' || row.status === 'denied' || row.status === 'expired') {
          return { answer: row.status, id, ...(row.answeredBy ? { by: row.answeredBy } : {}), ...(row.scope ? { scope: row.scope } : {}) };
        }
        if (Date.now() >= expires.getTime()) {
          expireDue(id);
          continue;
        }
        if (callOptions.signal?.aborted) {
          answer(id, { decision: 'deny', by: 'airlock:cancelled', reason: 'the run was cancelled while waiting' });
          continue;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(pollMs, expires.getTime() - Date.now()))));
      }
    } finally {
      settle();
    }
  };

  return {
    request,
    answer,
    get,
    list({ all = false, limit = 100 } = {}) {
      expireDue();
      const rows = (all
        ? db.prepare('SELECT * FROM approvals ORDER BY created_at DESC LIMIT ?').all(limit)
        : db.prepare("SELECT * FROM approvals WHERE status = 'pending' ORDER BY created_at LIMIT ?").all(limit)) as ApprovalRow[];
      return rows.map(toApproval);
    },
    rules({ all = false, session } = {}) {
      const where = [all ? '1' : 'revoked_at IS NULL', session ? 'session = ?' : '1'].join(' AND ');
      const rows = db.prepare(`SELECT * FROM approval_rules WHERE ${where} ORDER BY created_at`).all(...(session ? [session] : [])) as RuleRow[];
      return rows.map(toRule);
    },
    revoke(id, by) {
      return db.transaction(() => {
        const row = resolveRow<RuleRow>(id, ruleById, ruleByPrefix);
        if (row === 'ambiguous') return { ok: false as const, message: `"${id}" matches more than one rule; give more of the id.` };
        if (!row) return { ok: false as const, message: `no session rule with id "${id}" (see \`airlock approvals rules\`).` };
        if (row.revoked_at) return { ok: false as const, message: `rule ${row.id} was already revoked by ${row.revoked_by}.` };
        db.prepare('UPDATE approval_rules SET revoked_at = ?, revoked_by = ? WHERE id = ?').run(now(), by, row.id);
        log.append('session-rule.revoked', { ruleId: row.id, ruleKey: row.rule_key, by }, { session: row.session, ...(row.tenant ? { tenant: row.tenant } : {}) });
        return { ok: true as const, rule: toRule(ruleById.get(row.id) as RuleRow) };
      }).immediate();
    },
  };
}
