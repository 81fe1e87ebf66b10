/**
 * @module integrations/gateway-client
 * A small typed client for the `airlock serve` HTTP API (fetch only, no dependencies): what the
 * demo and the gateway benchmark use to act as an agent or a reviewer. Errors from the server
 * become `IntegrationError`s carrying the HTTP status and the server's message.
 */
import type { Action, RunResult } from '../../core/contracts.js';
import { IntegrationError } from '../../core/errors.js';

/** A session as the API returns it. */
export interface GatewaySession { id: string; tenant: string; name: string; createdAt: string; createdBy: string }
/** An approval as the API returns it (fields the client uses). */
export interface GatewayApproval {
  id: string; status: string; summary: string; verdictReasons: string[]; ruleIds: string[];
  requester: { session?: string; tenant?: string; user?: string }; findings: RunResult['findings']; answeredBy: string | null;
}
/** An audit event as the API returns it. */
export interface GatewayAuditEvent { seq: number; ts: string; type: string; session: string | null; payload: Record<string, unknown>; hash: string }

/** The client. */
export interface GatewayClient {
  createSession(name?: string): Promise<GatewaySession>;
  run(sessionId: string, action: Action): Promise<RunResult & { runId: string; session: string }>;
  approvals(): Promise<GatewayApproval[]>;
  answer(id: string, decision: 'approve' | 'deny', options?: { scope?: 'once' | 'session'; reason?: string }): Promise<GatewayApproval>;
  audit(options?: { after?: number; limit?: number; session?: string }): Promise<GatewayAuditEvent[]>;
  auditStatus(): Promise<{ ok: boolean; tenantEvents: number; firstBad: { seq: number; message: string } | null }>;
  request<T>(method: string, route: string, body?: unknown): Promise<T>;
}

/**
 * Creates a client for one key.
 *
 * @example
 * const agent = createGatewayClient({ url: 'http://127.0.0.1:8787', key: process.env.AIRLOCK_KEY! });
 * const s = await agent.createSession('ci');
 * const result = await agent.run(s.id, { kind: 'command', argv: ['npm', 'test'] });
 */
export function createGatewayClient(options: { url: string; key: string; fetch?: typeof fetch }): GatewayClient {
  const doFetch = options.fetch ?? fetch;
  const request = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const res = await doFetch(`${options.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${options.key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : null;
    if (!res.ok) {
      const message = (parsed as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`;
      throw new IntegrationError(`${method} ${route}: ${res.status} ${message}`);
    }
    return parsed as T;
  };
  return {
    request,
    createSession: (name) => request('POST', '/v1/sessions', name ? { name } : {}),
    run: (sessionId, action) => request('POST', `/v1/sessions/${encodeURIComponent(sessionId)}/runs`, action),
    approvals: async () => (await request<{ approvals: GatewayApproval[] }>('GET', '/v1/approvals')).approvals,
    answer: (id, decision, answerOptions = {}) => request('POST', `/v1/approvals/${encodeURIComponent(id)}/${decision}`, answerOptions),
    audit: async ({ after = 0, limit = 1000, session } = {}) =>
      (await request<{ events: GatewayAuditEvent[] }>('GET', `/v1/audit?after=${after}&limit=${limit}${session ? `&session=${encodeURIComponent(session)}` : ''}`)).events,
    auditStatus: () => request('GET', '/v1/audit/status'),
  };
}
