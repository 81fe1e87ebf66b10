/**
 * @module surfaces/http/app
 * The Hono application of `airlock serve`: Host/Origin checks on every request, bearer API keys
 * (hashed at rest) with a tenant and a role, a token bucket per key, request size limits, the
 * `/v1` JSON API over the gateway core, server-sent events for the dashboard, the dashboard
 * itself at `/`, the OpenAPI document, and MCP over Streamable HTTP at `/mcp`. Routes translate
 * only: every decision is the pipeline's, every tenant check is the gateway's.
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { maskSecret } from '../../core/mask.js';
import type { Requester } from '../../core/contracts.js';
import { parseAction } from './action-schema.js';
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from './dashboard/assets.js';
import type { Gateway, RunRecord, SessionInfo } from './gateway.js';
import { checkHost, checkOrigin, createRateLimiter, type HostPolicy } from './guards.js';
import type { KeyRing, Principal, Role } from './keys.js';
import { loadMcpHandlerFactory, type McpHttpHandler } from './mcp-mount.js';
import { buildOpenApi } from './openapi.js';

/** Options for `createApp`. */
export interface AppOptions {
  gateway: Gateway;
  keys: KeyRing;
  host?: Partial<HostPolicy>;
  /** Largest request body in bytes (default 1 MiB). */
  maxBodyBytes?: number;
  /** Requests per minute per key (default 600) and burst (default 120). */
  rateLimit?: { perMinute: number; burst: number };
}

type Env = { Variables: { principal: Principal } };

const json = (c: Context, status: number, code: string, message: string, extra: Record<string, unknown> = {}): Response =>
  c.json({ error: { code, message, ...extra } }, status as 400);

/** A session as the API shows it: no server paths. */
const publicSession = (s: SessionInfo): Omit<SessionInfo, 'workspace'> => ({ id: s.id, tenant: s.tenant, name: s.name, createdAt: s.createdAt, createdBy: s.createdBy });

/** A run for lists: the result without the full output. */
const runSummary = (r: RunRecord): Record<string, unknown> => {
  const res = r.result;
  return {
    id: r.id, session: r.session, summary: r.summary, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt,
    requestedBy: r.requestedBy, approvalId: r.approvalId, error: r.error,
    verdict: res?.verdict ?? null, exitCode: res?.exitCode ?? null, durationMs: res?.durationMs ?? null, ran: res?.ran ?? false,
    redacted: res?.redacted ?? false, findings: res?.findings.length ?? 0,
    limitsHit: res ? Object.entries(res.limits).filter(([k, v]) => k !== 'enforced' && v === true).map(([k]) => k) : [],
    network: res ? { attempts: res.network.length, refused: res.network.filter((n) => !n.allowed).length } : { attempts: 0, refused: 0 },
  };
};

/**
 * Builds the Hono app.
 *
 * @example
 * const { app } = createApp({ gateway, keys });
 * const res = await app.fetch(new Request('http://127.0.0.1/v1/sessions', { headers: { authorization: `Bearer ${key}` } }));
 */
export function createApp(options: AppOptions): { app: Hono<Env>; close(): Promise<void> } {
  const { gateway, keys } = options;
  const hostPolicy: HostPolicy = { allowedHosts: options.host?.allowedHosts ?? [], loopbackOnly: options.host?.loopbackOnly ?? true };
  const limiter = createRateLimiter(options.rateLimit ?? { perMinute: 600, burst: 120 });
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const app = new Hono<Env>();
  const openapi = buildOpenApi();

  // DNS rebinding and cross-site requests: checked before anything else, dashboard included.
  app.use('*', async (c, next) => {
    const problem = checkHost(c.req.header('host'), hostPolicy) ?? checkOrigin(c.req.header('origin'), hostPolicy);
    if (problem) return json(c, 403, 'forbidden-host', problem);
    await next();
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
    c.header('x-frame-options', 'DENY');
  });

  const auth: MiddlewareHandler<Env> = async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) return json(c, 401, 'unauthorized', 'send an API key as "Authorization: Bearer <key>" (see docs/http-api.md, "Keys").');
    const principal = keys.verify(m[1]!);
    if (!principal) return json(c, 401, 'unauthorized', `API key ${maskSecret(m[1]!)} is not valid for this server.`);
    const wait = limiter.take(`${principal.tenant}/${principal.name}`);
    if (wait > 0) {
      c.header('retry-after', String(wait));
      return json(c, 429, 'rate-limited', `too many requests for key "${principal.name}"; retry in ${wait}s.`);
    }
    c.set('principal', principal);
    await next();
  };
  const need = (...roles: Role[]): MiddlewareHandler<Env> => async (c, next) => {
    const p = c.get('principal');
    if (!roles.includes(p.role)) return json(c, 403, 'forbidden-role', `key "${p.name}" has role ${p.role}; this needs ${roles.join(' or ')}.`);
    await next();
  };
  const limitBody = bodyLimit({ maxSize: maxBody, onError: (c) => json(c, 413, 'too-large', `request body is larger than ${maxBody} bytes.`) });
  const readJson = async (c: Context): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> => {
    const text = await c.req.text();
    if (!text.trim()) return { ok: true, value: {} };
    try {
      return { ok: true, value: JSON.parse(text) as unknown };
    } catch {
      return { ok: false, response: json(c, 400, 'bad-json', 'the request body is not valid JSON.') };
    }
  };

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/openapi.json', (c) => c.json(openapi));
  app.get('/', (c) => {
    c.header('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    return c.html(DASHBOARD_HTML);
  });
  app.get('/assets/app.js', (c) => c.body(DASHBOARD_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }));
  app.get('/assets/style.css', (c) => c.body(DASHBOARD_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }));

  app.use('/v1/*', auth, limitBody);
  app.use('/mcp', auth, limitBody);

  app.get('/v1/whoami', (c) => c.json(c.get('principal')));
  app.get('/v1/policy', (c) => {
    const { workspace: _w, ...policy } = gateway.policy;
    return c.json({ policy: { ...policy, workspace: '(one directory per session)' }, source: gateway.policySource, hash: gateway.policyHash, mode: gateway.policy.mode });
  });

  app.post('/v1/sessions', need('agent', 'admin'), async (c) => {
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const name = (body.value as { name?: unknown }).name;
    if (name !== undefined && typeof name !== 'string') return json(c, 400, 'invalid', 'name: expected a string.');
    return c.json(publicSession(gateway.createSession(c.get('principal'), name ? { name } : {})), 201);
  });
  app.get('/v1/sessions', (c) => c.json({ sessions: gateway.listSessions(c.get('principal').tenant).map(publicSession) }));
  app.get('/v1/sessions/:id', (c) => {
    const s = gateway.getSession(c.get('principal').tenant, c.req.param('id'));
    return s ? c.json(publicSession(s)) : json(c, 404, 'not-found', `no session "${c.req.param('id')}" for your tenant.`);
  });
  app.delete('/v1/sessions/:id', need('agent', 'admin'), async (c) => {
    const ok = await gateway.deleteSession(c.get('principal'), c.req.param('id'));
    return ok ? c.body(null, 204) : json(c, 404, 'not-found', `no session "${c.req.param('id')}" for your tenant.`);
  });
  app.post('/v1/sessions/:id/runs', need('agent', 'admin'), async (c) => {
    const who = c.get('principal');
    const id = c.req.param('id');
    if (!gateway.getSession(who.tenant, id)) return json(c, 404, 'not-found', `no session "${id}" for your tenant.`);
    const body = await readJson(c);
    if (!body.ok) return body.response;
    const action = parseAction(body.value);
    if (!action.ok) return json(c, 400, 'invalid-action', `the body is not a valid action: ${action.issues.join('; ')}`, { issues: action.issues });
    const record = await gateway.run(who, id, action.value, { signal: c.req.raw.signal });
    if (!record.result) return json(c, 500, 'airlock-failed', `Airlock could not run this action: ${record.error ?? 'unknown error'}`, { runId: record.id });
    return c.json({ ...record.result, runId: record.id, session: id });
  });
  app.get('/v1/sessions/:id/runs', (c) => {
    const who = c.get('principal');
    const id = c.req.param('id');
    if (!gateway.getSession(who.tenant, id)) return json(c, 404, 'not-found', `no session "${id}" for your tenant.`);
    return c.json({ runs: gateway.listRuns(who.tenant, { session: id }).map(runSummary) });
  });
  app.get('/v1/runs', (c) => c.json({ runs: gateway.listRuns(c.get('principal').tenant, { ...(c.req.query('session') ? { session: c.req.query('session')! } : {}) }).map(runSummary) }));
  app.get('/v1/runs/:id', (c) => {
    const r = gateway.getRun(c.get('principal').tenant, c.req.param('id'));
    return r ? c.json({ ...r, ...runSummary(r), result: r.result }) : json(c, 404, 'not-found', `no run "${c.req.param('id')}" for your tenant.`);
  });

  app.get('/v1/runs/:id/audit', need('reviewer', 'admin'), (c) => {
    const who = c.get('principal');
    const r = gateway.getRun(who.tenant, c.req.param('id'));
    if (!r) return json(c, 404, 'not-found', `no run "${c.req.param('id')}" for your tenant.`);
    const auditId = r.result?.auditId ?? null;
    return c.json({ auditId, events: auditId ? gateway.auditEventsForRequest(who.tenant, auditId) : [] });
  });

  app.get('/v1/approvals', need('reviewer', 'admin'), (c) => c.json({ approvals: gateway.listApprovals(c.get('principal').tenant, { all: c.req.query('all') === '1' || c.req.query('all') === 'true' }) }));
  app.get('/v1/approvals/:id', need('reviewer', 'admin'), (c) => {
    const a = gateway.getApproval(c.get('principal').tenant, c.req.param('id'));
    return a ? c.json(a) : json(c, 404, 'not-found', `no approval "${c.req.param('id')}" for your tenant.`);
  });
  for (const decision of ['approve', 'deny'] as const) {
    app.post(`/v1/approvals/:id/${decision}`, need('reviewer', 'admin'), async (c) => {
      const body = await readJson(c);
      if (!body.ok) return body.response;
      const { scope, reason } = body.value as { scope?: unknown; reason?: unknown };
      if (scope !== undefined && scope !== 'once' && scope !== 'session') return json(c, 400, 'invalid', 'scope: expected "once" or "session".');
      if (reason !== undefined && typeof reason !== 'string') return json(c, 400, 'invalid', 'reason: expected a string.');
      const result = gateway.answerApproval(c.get('principal'), c.req.param('id'), { decision, ...(scope ? { scope } : {}), ...(reason ? { reason } : {}) });
      if (result.ok) return c.json(result.approval);
      return json(c, result.reason === 'not-found' ? 404 : 409, result.reason, result.message);
    });
  }

  app.get('/v1/audit', need('reviewer', 'admin'), (c) => {
    const n = (v: string | undefined, d: number): number => (v && /^\d+$/.test(v) ? Number(v) : d);
    const events = gateway.auditEvents(c.get('principal').tenant, {
      afterSeq: n(c.req.query('after'), 0), limit: n(c.req.query('limit'), 100),
      ...(c.req.query('session') ? { session: c.req.query('session')! } : {}), ...(c.req.query('type') ? { type: c.req.query('type')! } : {}),
    });
    return c.json({ events, next: events.length ? events[events.length - 1]!.seq : null });
  });
  app.get('/v1/audit/status', need('reviewer', 'admin'), (c) => c.json(gateway.auditStatus(c.get('principal').tenant)));

  // Open event streams per key, capped so one key cannot hold unbounded connections.
  const streams = new Map<string, number>();
  const MAX_STREAMS_PER_KEY = 16;
  app.get('/v1/events', (c) => {
    const who = c.get('principal');
    const tenant = who.tenant;
    const streamKey = `${tenant}/${who.name}`;
    if ((streams.get(streamKey) ?? 0) >= MAX_STREAMS_PER_KEY) return json(c, 429, 'too-many-streams', `key "${who.name}" already has ${MAX_STREAMS_PER_KEY} open event streams; close one first.`);
    streams.set(streamKey, (streams.get(streamKey) ?? 0) + 1);
    return streamSSE(c, async (stream) => {
      const queue: string[] = [];
      let wake: (() => void) | null = null;
      const off = gateway.bus.subscribe(tenant, (event) => {
        queue.push(JSON.stringify(event));
        wake?.();
      });
      let closed = false;
      stream.onAbort(() => { closed = true; wake?.(); });
      try {
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ tenant }) });
        while (!closed) {
          while (queue.length) {
            const data = queue.shift()!;
            await stream.writeSSE({ event: (JSON.parse(data) as { type: string }).type, data });
          }
          // Wake on an event, or every 15 s for a keep-alive comment.
          await new Promise<void>((resolve) => { wake = resolve; setTimeout(resolve, 15_000).unref(); });
          wake = null;
          if (!queue.length && !closed) await stream.write(': keep-alive\n\n');
        }
      } finally {
        off();
        streams.set(streamKey, (streams.get(streamKey) ?? 1) - 1);
      }
    });
  });

  // MCP over Streamable HTTP: one handler per session, picked by `X-Airlock-Session` (or
  // `?session=`); without one, a per-key default session named `mcp:<key name>`.
  const handlers = new Map<string, McpHttpHandler>();
  app.all('/mcp', need('agent', 'admin'), async (c) => {
    const who = c.get('principal');
    let sessionId = c.req.header('x-airlock-session') ?? c.req.query('session');
    if (sessionId && !gateway.getSession(who.tenant, sessionId)) return json(c, 404, 'not-found', `no session "${sessionId}" for your tenant.`);
    const factory = await loadMcpHandlerFactory();
    if (!factory) return json(c, 501, 'unavailable', 'MCP over HTTP is not in this build (src/integrations/mcp is missing); use the /v1 API.');
    if (!sessionId) {
      const name = `mcp:${who.name}`;
      sessionId = (gateway.listSessions(who.tenant).find((s) => s.name === name) ?? gateway.createSession(who, { name })).id;
    }
    const cacheKey = `${who.tenant}\u0000${sessionId}`;
    let handler = handlers.get(cacheKey);
    if (!handler) {
      const requester: Requester = { tenant: who.tenant, session: sessionId, agent: 'mcp', user: who.name };
      handler = factory({ airlock: gateway.trackedAirlock(who, sessionId, 'mcp')!, requester });
      handlers.set(cacheKey, handler);
    }
    return handler.fetch(c.req.raw);
  });

  app.notFound((c) => json(c, 404, 'not-found', `no route ${c.req.method} ${new URL(c.req.url).pathname}; see /openapi.json.`));
  app.onError((error, c) => json(c, 500, 'internal', `internal error: ${error.message}`));
  return {
    app,
    async close() {
      for (const handler of handlers.values()) await handler.close();
      handlers.clear();
    },
  };
}
