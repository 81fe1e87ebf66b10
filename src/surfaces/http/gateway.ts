/**
 * @module surfaces/http/gateway
 * The transport-free core of `airlock serve`: tenants' sessions (each with its own workspace
 * directory under the data dir and its own pipeline instance), runs through the pipeline with
 * asks turned into pending approvals, the approvals queue and audit log shared in one SQLite
 * file, and tenant-scoped queries over all of it. Every read and write takes the caller's tenant
 * and never returns another tenant's data; the HTTP routes (`app.ts`) and the MCP mount only
 * translate to and from these calls.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Action, Decision, RunResult } from '../../core/contracts.js';
import { IntegrationError } from '../../core/errors.js';
import type { Policy } from '../../policy/schema.js';
import { createAirlock as defaultCreateAirlock, summarizeAction, type Airlock, type AirlockOptions } from '../../airlock.js';
import { openAuditLog, type AuditLog } from '../../audit/log.js';
import { parseEvent, type AuditEvent, type StoredEvent } from '../../audit/events.js';
import { sanitizeForAudit } from '../../audit/sanitize.js';
import type { VerifyResult } from '../../audit/verify.js';
import { createApprovalQueue, type AnswerResult, type ApprovalQueue, type PendingApproval } from '../../approvals/queue.js';
import { createEventBus, type EventBus } from './events.js';
import type { Principal } from './keys.js';

/** A session: one agent conversation with its own workspace. */
export interface SessionInfo {
  id: string;
  tenant: string;
  name: string;
  createdAt: string;
  createdBy: string;
  /** The workspace directory on the server (inside the data dir). */
  workspace: string;
}

/** A run as the gateway tracks it (the `RunResult` once finished). */
export interface RunRecord {
  id: string;
  tenant: string;
  session: string;
  summary: string;
  /** The action, secrets masked. */
  action: unknown;
  status: 'running' | 'waiting-approval' | 'finished' | 'failed';
  startedAt: string;
  finishedAt: string | null;
  requestedBy: string;
  approvalId: string | null;
  result: RunResult | null;
  error: string | null;
}

/** An approval with what the reviewer needs to judge it (when this process raised it). */
export interface ApprovalView extends PendingApproval {
  runId: string | null;
  action: unknown;
  findings: Decision['findings'];
  /** Any extra analysis the decision carried (e.g. parsed programs), as given. */
  details: Record<string, unknown>;
}

/** Options for `createGateway`. */
export interface GatewayOptions {
  policy: Policy;
  policySource?: string | null;
  policyHash?: string;
  /** Where sessions' workspaces, the session index and the audit store live. */
  dataDir: string;
  /** The pipeline factory (default `createAirlock`); a seam for embedding, not for tests to fake verdicts. */
  createAirlock?: (options: AirlockOptions) => Airlock;
  /** Finished runs kept in memory per tenant for the timeline (default 500). */
  runsPerTenant?: number;
}

/** The gateway. */
export interface Gateway {
  readonly policy: Policy;
  readonly policyHash: string | null;
  readonly policySource: string | null;
  readonly log: AuditLog;
  readonly approvals: ApprovalQueue;
  readonly bus: EventBus;
  createSession(who: Principal, input?: { name?: string }): SessionInfo;
  listSessions(tenant: string): SessionInfo[];
  getSession(tenant: string, id: string): SessionInfo | null;
  deleteSession(who: Principal, id: string): Promise<boolean>;
  /** The session's pipeline; `null` when the session is not the tenant's. */
  airlockFor(tenant: string, id: string): Airlock | null;
  /**
   * The session's pipeline as an `Airlock` whose runs go through `run` (so they appear in the
   * timeline and raise approvals like API runs): what the MCP mount hands to the MCP server.
   */
  trackedAirlock(who: Principal, id: string, agent: string): Airlock | null;
  run(who: Principal, sessionId: string, action: Action, options?: { signal?: AbortSignal; agent?: string }): Promise<RunRecord>;
  listRuns(tenant: string, options?: { session?: string; limit?: number }): RunRecord[];
  getRun(tenant: string, id: string): RunRecord | null;
  listApprovals(tenant: string, options?: { all?: boolean }): ApprovalView[];
  getApproval(tenant: string, id: string): ApprovalView | null;
  answerApproval(who: Principal, id: string, input: { decision: 'approve' | 'deny'; scope?: 'once' | 'session'; reason?: string }): AnswerResult;
  auditEvents(tenant: string, options?: { afterSeq?: number; limit?: number; session?: string; type?: string }): AuditEvent[];
  /** The tenant's audit events of one request (the run's `auditId` and every event naming it as `requestId`). */
  auditEventsForRequest(tenant: string, requestId: string): AuditEvent[];
  /**
   * The whole chain's verification (cached for a second, or until the chain grows), reported to a tenant without
   * other tenants' volume: whether it is intact, and how many of the events are the tenant's.
   */
  auditStatus(tenant: string): { ok: boolean; tenantEvents: number; checkpoints: VerifyResult['checkpoints']; firstBad: { seq: number; problem: string; message: string } | null };
  close(): Promise<void>;
}

const ID = /^[A-Za-z0-9_-]{8,64}$/;
const newId = (): string => randomBytes(12).toString('base64url');
const MAX_OUTPUT_KEPT = 64 * 1024;

/** Keeps a run's result small enough to hold in memory and send to the dashboard. */
function trimResult(result: RunResult): RunResult {
  const cut = (s: string): string => (s.length > MAX_OUTPUT_KEPT ? `${s.slice(0, MAX_OUTPUT_KEPT)}\n… (${s.length - MAX_OUTPUT_KEPT} more characters not kept by the gateway)` : s);
  return { ...result, stdout: cut(result.stdout), stderr: cut(result.stderr) };
}

/**
 * Creates the gateway core on a data dir.
 *
 * @example
 * const gw = createGateway({ policy: loadPolicy().policy, dataDir: '/var/lib/airlock' });
 * const s = gw.createSession({ name: 'ci', tenant: 'acme', role: 'agent' });
 * const run = await gw.run(who, s.id, { kind: 'command', argv: ['ls'] });
 */
export function createGateway(options: GatewayOptions): Gateway {
  const dataDir = path.resolve(options.dataDir);
  const auditPath = path.join(dataDir, 'audit', 'audit.db');
  mkdirSync(path.dirname(auditPath), { recursive: true, mode: 0o700 });
  mkdirSync(path.join(dataDir, 'sessions'), { recursive: true, mode: 0o700 });
  mkdirSync(path.join(dataDir, 'workspaces'), { recursive: true, mode: 0o700 });
  // One audit store for every tenant, outside every workspace (the sandbox hides its directory).
  const policy: Policy = { ...options.policy, audit: { ...options.policy.audit, store: auditPath } };
  const makeAirlock = options.createAirlock ?? defaultCreateAirlock;
  const keep = options.runsPerTenant ?? 500;
  const log = openAuditLog({ path: auditPath, signingKeyPath: policy.audit.signingKey, checkpointEvery: policy.audit.checkpointEvery });
  const bus = createEventBus();
  const runContext = new AsyncLocalStorage<{ runId: string; signal?: AbortSignal | undefined }>();
  const approvalContext = new Map<string, { runId: string | null; action: unknown; decision: Decision }>();
  const runs = new Map<string, RunRecord[]>();
  const sessions = new Map<string, SessionInfo>();
  const airlocks = new Map<string, Airlock>();
  let pendingRequest: { runId: string | null; action: unknown; decision: Decision } | null = null;

  const approvals = createApprovalQueue(log, {
    timeoutMs: policy.approvals.timeout,
    prompt: 'never',
    // Called synchronously inside `request`, right after the row is written: the context stashed
    // just before the call belongs to this approval.
    onPending(approval) {
      if (pendingRequest) approvalContext.set(approval.id, pendingRequest);
      const tenant = approval.requester.tenant;
      const runId = pendingRequest?.runId ?? null;
      if (runId && tenant) {
        const record = (runs.get(tenant) ?? []).find((r) => r.id === runId);
        if (record) {
          record.status = 'waiting-approval';
          record.approvalId = approval.id;
          bus.publish(tenant, { type: 'run.waiting', data: { id: runId, session: record.session, approvalId: approval.id } });
        }
      }
      if (tenant) bus.publish(tenant, { type: 'approval.requested', data: { id: approval.id, summary: approval.summary, session: approval.requester.session ?? null } });
    },
  });

  const sessionKey = (tenant: string, id: string): string => `${tenant}\u0000${id}`;
  const sessionMeta = (tenant: string, id: string): string => path.join(dataDir, 'sessions', tenant, `${id}.json`);

  // Sessions survive a restart: their index is read back from the data dir.
  for (const tenant of readdirSync(path.join(dataDir, 'sessions'))) {
    for (const file of readdirSync(path.join(dataDir, 'sessions', tenant))) {
      if (!file.endsWith('.json')) continue;
      try {
        const info = JSON.parse(readFileSync(path.join(dataDir, 'sessions', tenant, file), 'utf8')) as SessionInfo;
        if (info.tenant === tenant && ID.test(info.id) && existsSync(info.workspace)) sessions.set(sessionKey(tenant, info.id), info);
      } catch {
        // A damaged index entry is skipped; its workspace stays on disk.
      }
    }
  }

  const airlockFor = (tenant: string, id: string): Airlock | null => {
    const info = sessions.get(sessionKey(tenant, id));
    if (!info) return null;
    const existing = airlocks.get(sessionKey(tenant, id));
    if (existing) return existing;
    // One audit connection for every session: handed to the pipeline as `audit` (a pipeline
    // without that option ignores it and opens the same store itself).
    const airlockOptions = {
      audit: log,
      policy: { ...policy, workspace: info.workspace },
      policySource: options.policySource ?? null,
      ...(options.policyHash ? { policyHash: options.policyHash } : {}),
      requester: { tenant, session: id, agent: 'http' },
      approve: async (req) => {
        const ctx = runContext.getStore();
        const requester = { ...req.requester, tenant, session: id };
        pendingRequest = { runId: ctx?.runId ?? null, action: sanitizeForAudit(req.action), decision: req.decision };
        try {
          // A client that hangs up while waiting cancels its approval (recorded as a deny).
          const pending = approvals.request({ ...req, requester }, ctx?.signal ? { signal: ctx.signal } : {});
          pendingRequest = null;
          return await pending;
        } finally {
          pendingRequest = null;
        }
      },
    } satisfies Omit<AirlockOptions, 'audit'> & { audit: AuditLog };
    const airlock = makeAirlock(airlockOptions);
    airlocks.set(sessionKey(tenant, id), airlock);
    return airlock;
  };

  const pushRun = (record: RunRecord): void => {
    const list = runs.get(record.tenant) ?? [];
    list.push(record);
    // Forget the oldest finished runs beyond the limit; running ones are always kept.
    while (list.length > keep) {
      const i = list.findIndex((r) => r.status === 'finished' || r.status === 'failed');
      if (i === -1) break;
      list.splice(i, 1);
    }
    runs.set(record.tenant, list);
  };

  const view = (a: PendingApproval): ApprovalView => {
    const ctx = approvalContext.get(a.id);
    const { findings = [], verdict: _v, reasons: _r, ruleIds: _i, ...details } = ctx?.decision ?? ({} as Partial<Decision>);
    return { ...a, runId: ctx?.runId ?? null, action: ctx?.action ?? null, findings, details };
  };

  let statusCache: { seq: number; at: number; result: VerifyResult } | null = null;

  const gateway: Gateway = {
    policy,
    policyHash: options.policyHash ?? null,
    policySource: options.policySource ?? null,
    log,
    approvals,
    bus,
    createSession(who, input = {}) {
      const id = newId();
      const workspace = path.join(dataDir, 'workspaces', who.tenant, id);
      mkdirSync(workspace, { recursive: true, mode: 0o700 });
      mkdirSync(path.dirname(sessionMeta(who.tenant, id)), { recursive: true, mode: 0o700 });
      const name = (input.name ?? '').slice(0, 120) || `session ${id.slice(0, 6)}`;
      const info: SessionInfo = { id, tenant: who.tenant, name, createdAt: new Date().toISOString(), createdBy: who.name, workspace };
      writeFileSync(sessionMeta(who.tenant, id), JSON.stringify(info), { mode: 0o600 });
      sessions.set(sessionKey(who.tenant, id), info);
      log.append('session.created', { session: id, name, by: `http:${who.name}` }, { tenant: who.tenant, session: id, user: who.name });
      bus.publish(who.tenant, { type: 'session.created', data: { ...info } });
      return info;
    },
    listSessions: (tenant) => [...sessions.values()].filter((s) => s.tenant === tenant).sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    getSession: (tenant, id) => sessions.get(sessionKey(tenant, id)) ?? null,
    async deleteSession(who, id) {
      const info = sessions.get(sessionKey(who.tenant, id));
      if (!info) return false;
      await airlocks.get(sessionKey(who.tenant, id))?.close();
      airlocks.delete(sessionKey(who.tenant, id));
      sessions.delete(sessionKey(who.tenant, id));
      rmSync(sessionMeta(who.tenant, id), { force: true });
      rmSync(info.workspace, { recursive: true, force: true });
      log.append('session.deleted', { session: id, by: `http:${who.name}` }, { tenant: who.tenant, session: id, user: who.name });
      bus.publish(who.tenant, { type: 'session.deleted', data: { id } });
      return true;
    },
    airlockFor,
    trackedAirlock(who, id, agent) {
      const inner = airlockFor(who.tenant, id);
      if (!inner) return null;
      return {
        policy: inner.policy,
        check: (action) => inner.check(action),
        run: async (action, runOptions = {}) => {
          const record = await gateway.run(who, id, action, { agent, ...(runOptions.signal ? { signal: runOptions.signal } : {}) });
          if (!record.result) throw new IntegrationError(`Airlock could not run this action: ${record.error ?? 'unknown error'}`);
          return record.result;
        },
        close: async () => {},
      };
    },
    async run(who, sessionId, action, runOptions = {}) {
      const airlock = airlockFor(who.tenant, sessionId);
      if (!airlock) throw new IntegrationError(`no session "${sessionId}" for tenant ${who.tenant}; create one with POST /v1/sessions.`);
      const record: RunRecord = {
        id: newId(), tenant: who.tenant, session: sessionId, summary: String(sanitizeForAudit(summarizeAction(action))),
        action: sanitizeForAudit(action), status: 'running', startedAt: new Date().toISOString(), finishedAt: null,
        requestedBy: who.name, approvalId: null, result: null, error: null,
      };
      pushRun(record);
      bus.publish(who.tenant, { type: 'run.started', data: { id: record.id, session: sessionId, summary: record.summary } });
      try {
        const result = await runContext.run({ runId: record.id, signal: runOptions.signal }, () => airlock.run(action, {
          requester: { tenant: who.tenant, session: sessionId, agent: runOptions.agent ?? 'http', user: who.name },
          ...(runOptions.signal ? { signal: runOptions.signal } : {}),
        }));
        record.result = trimResult(result);
        record.status = 'finished';
        if (result.approval && !record.approvalId) record.approvalId = result.approval.id;
      } catch (error) {
        record.status = 'failed';
        record.error = (error as Error).message;
      }
      record.finishedAt = new Date().toISOString();
      bus.publish(who.tenant, { type: 'run.finished', data: { id: record.id, session: sessionId, verdict: record.result?.verdict ?? null, status: record.status } });
      return record;
    },
    listRuns(tenant, { session, limit = 200 } = {}) {
      const list = (runs.get(tenant) ?? []).filter((r) => !session || r.session === session);
      return list.slice(-limit).reverse();
    },
    getRun: (tenant, id) => (runs.get(tenant) ?? []).find((r) => r.id === id) ?? null,
    listApprovals(tenant, { all = false } = {}) {
      return approvals.list({ all, limit: 500 }).filter((a) => a.requester.tenant === tenant).map(view);
    },
    getApproval(tenant, id) {
      const a = ID.test(id) ? approvals.get(id) : null;
      return a && a.requester.tenant === tenant ? view(a) : null;
    },
    answerApproval(who, id, input) {
      // Exact ids only, and only the caller's tenant: no prefix guessing across tenants.
      const a = ID.test(id) ? approvals.get(id) : null;
      if (!a || a.requester.tenant !== who.tenant) return { ok: false, reason: 'not-found', message: `no approval with id "${id}" for tenant ${who.tenant}.` };
      const result = approvals.answer(a.id, { decision: input.decision, scope: input.scope ?? 'once', by: `http:${who.name}`, ...(input.reason ? { reason: input.reason } : {}) });
      if (result.ok) bus.publish(who.tenant, { type: 'approval.answered', data: { id: a.id, status: result.approval.status, by: result.approval.answeredBy, scope: result.approval.scope } });
      return result;
    },
    auditEvents(tenant, { afterSeq = 0, limit = 100, session, type } = {}) {
      const where = ['tenant = ?', 'seq > ?'];
      const args: unknown[] = [tenant, afterSeq];
      if (session) { where.push('session = ?'); args.push(session); }
      if (type) { where.push('type = ?'); args.push(type); }
      const rows = log.database.prepare(`SELECT seq, id, ts, type, tenant, session, requester, payload, prev_hash AS prevHash, hash FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`)
        .all(...args, Math.min(Math.max(1, limit), 1000)) as StoredEvent[];
      return rows.map(parseEvent);
    },
    auditEventsForRequest(tenant, requestId) {
      const rows = log.database.prepare("SELECT seq, id, ts, type, tenant, session, requester, payload, prev_hash AS prevHash, hash FROM audit_events WHERE tenant = ? AND (id = ? OR json_extract(payload, '$.requestId') = ?) ORDER BY seq LIMIT 1000")
        .all(tenant, requestId, requestId) as StoredEvent[];
      return rows.map(parseEvent);
    },
    auditStatus(tenant) {
      const head = log.store.head();
      // Re-verified when the chain grew or after a second: a change in place (tampering) must show
      // up without new events, and a burst of dashboard requests must not re-read a big log each.
      if (!statusCache || statusCache.seq !== (head?.seq ?? 0) || Date.now() - statusCache.at > 1000) statusCache = { seq: head?.seq ?? 0, at: Date.now(), result: log.verify() };
      const r = statusCache.result;
      const { n } = log.database.prepare('SELECT count(*) AS n FROM audit_events WHERE tenant = ?').get(tenant) as { n: number };
      return { ok: r.ok, tenantEvents: n, checkpoints: r.checkpoints, firstBad: r.firstBad ? { seq: r.firstBad.seq, problem: r.firstBad.problem, message: r.firstBad.message } : null };
    },
    async close() {
      for (const airlock of airlocks.values()) await airlock.close().catch(() => {});
      airlocks.clear();
      log.close();
    },
  };
  return gateway;
}
