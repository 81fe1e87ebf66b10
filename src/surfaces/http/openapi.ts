/**
 * @module surfaces/http/openapi
 * The OpenAPI 3.1 document of `airlock serve`, served at `GET /openapi.json`. Written by hand
 * next to the routes in `app.ts`; a test checks that every route the app answers is described.
 */

const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: unknown, description = 'OK'): Record<string, unknown> => ({ description, content: { 'application/json': { schema } } });
const errors = {
  400: { $ref: '#/components/responses/BadRequest' },
  401: { $ref: '#/components/responses/Unauthorized' },
  403: { $ref: '#/components/responses/Forbidden' },
  404: { $ref: '#/components/responses/NotFound' },
  429: { $ref: '#/components/responses/RateLimited' },
};
const idParam = (name: string, what: string): Record<string, unknown> => ({ name, in: 'path', required: true, description: what, schema: { type: 'string' } });

/**
 * Builds the document.
 *
 * @example
 * buildOpenApi().openapi // '3.1.0'
 */
export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Airlock gateway',
      version: '1',
      description: 'Sessions, runs through the Airlock pipeline (inspect, decide, approve, contain, verify, audit), approvals and the audit trail, per tenant. Every /v1 route needs `Authorization: Bearer <API key>`; each key has a tenant and a role (agent, reviewer, admin). See docs/http-api.md.',
    },
    servers: [{ url: 'http://127.0.0.1:8787' }],
    security: [{ bearer: [] }],
    paths: {
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { 200: jsonBody({ type: 'object', properties: { ok: { type: 'boolean' } } }) } } },
      '/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: jsonBody({ type: 'object' }) } } },
      '/': { get: { summary: 'The dashboard (HTML)', security: [], responses: { 200: { description: 'HTML page', content: { 'text/html': {} } } } } },
      '/v1/whoami': { get: { summary: 'The key\'s tenant, name and role', responses: { 200: jsonBody(ref('Principal')), ...errors } } },
      '/v1/policy': { get: { summary: 'The policy in effect', responses: { 200: jsonBody({ type: 'object', properties: { policy: { type: 'object' }, source: { type: ['string', 'null'] }, hash: { type: ['string', 'null'] }, mode: { type: 'string' } } }), ...errors } } },
      '/v1/sessions': {
        get: { summary: 'The tenant\'s sessions', responses: { 200: jsonBody({ type: 'object', properties: { sessions: { type: 'array', items: ref('Session') } } }), ...errors } },
        post: {
          summary: 'Create a session with its own empty workspace (agent, admin)',
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } },
          responses: { 201: jsonBody(ref('Session'), 'Created'), ...errors },
        },
      },
      '/v1/sessions/{id}': {
        parameters: [idParam('id', 'Session id')],
        get: { summary: 'One session', responses: { 200: jsonBody(ref('Session')), ...errors } },
        delete: { summary: 'Delete a session and its workspace (agent, admin)', responses: { 204: { description: 'Deleted' }, ...errors } },
      },
      '/v1/sessions/{id}/runs': {
        parameters: [idParam('id', 'Session id')],
        post: {
          summary: 'Run an action through the whole pipeline (agent, admin). An ask waits for a reviewer, up to approvals.timeout.',
          requestBody: { required: true, content: { 'application/json': { schema: ref('Action') } } },
          responses: { 200: jsonBody(ref('RunResult')), 413: { $ref: '#/components/responses/TooLarge' }, 500: { $ref: '#/components/responses/Failed' }, ...errors },
        },
        get: { summary: 'The session\'s runs, newest first', responses: { 200: jsonBody({ type: 'object', properties: { runs: { type: 'array', items: ref('RunSummary') } } }), ...errors } },
      },
      '/v1/runs': {
        get: {
          summary: 'The tenant\'s runs, newest first',
          parameters: [{ name: 'session', in: 'query', schema: { type: 'string' } }],
          responses: { 200: jsonBody({ type: 'object', properties: { runs: { type: 'array', items: ref('RunSummary') } } }), ...errors },
        },
      },
      '/v1/runs/{id}': { parameters: [idParam('id', 'Run id')], get: { summary: 'One run with its full result', responses: { 200: jsonBody(ref('RunDetail')), ...errors } } },
      '/v1/runs/{id}/audit': {
        parameters: [idParam('id', 'Run id')],
        get: { summary: 'The audit events of one run, in chain order (reviewer, admin)', responses: { 200: jsonBody({ type: 'object', properties: { auditId: { type: ['string', 'null'] }, events: { type: 'array', items: ref('AuditEvent') } } }), ...errors } },
      },
      '/v1/approvals': {
        get: {
          summary: 'Pending approvals (reviewer, admin); all=1 includes answered ones',
          parameters: [{ name: 'all', in: 'query', schema: { type: 'string', enum: ['0', '1', 'true', 'false'] } }],
          responses: { 200: jsonBody({ type: 'object', properties: { approvals: { type: 'array', items: ref('Approval') } } }), ...errors },
        },
      },
      '/v1/approvals/{id}': { parameters: [idParam('id', 'Approval id')], get: { summary: 'One approval (reviewer, admin)', responses: { 200: jsonBody(ref('Approval')), ...errors } } },
      '/v1/approvals/{id}/approve': {
        parameters: [idParam('id', 'Approval id')],
        post: {
          summary: 'Approve once or for the rest of the session (reviewer, admin)',
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { scope: { type: 'string', enum: ['once', 'session'] }, reason: { type: 'string' } } } } } },
          responses: { 200: jsonBody(ref('Approval')), 409: { $ref: '#/components/responses/Conflict' }, ...errors },
        },
      },
      '/v1/approvals/{id}/deny': {
        parameters: [idParam('id', 'Approval id')],
        post: {
          summary: 'Deny (reviewer, admin)',
          requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { reason: { type: 'string' } } } } } },
          responses: { 200: jsonBody(ref('Approval')), 409: { $ref: '#/components/responses/Conflict' }, ...errors },
        },
      },
      '/v1/audit': {
        get: {
          summary: 'The tenant\'s audit events in chain order (reviewer, admin)',
          parameters: [
            { name: 'after', in: 'query', description: 'Only events with seq greater than this', schema: { type: 'integer', minimum: 0 } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
            { name: 'session', in: 'query', schema: { type: 'string' } },
            { name: 'type', in: 'query', schema: { type: 'string' } },
          ],
          responses: { 200: jsonBody({ type: 'object', properties: { events: { type: 'array', items: ref('AuditEvent') }, next: { type: ['integer', 'null'] } } }), ...errors },
        },
      },
      '/v1/audit/status': { get: { summary: 'Hash-chain verification of the whole log (reviewer, admin)', responses: { 200: jsonBody(ref('ChainStatus')), ...errors } } },
      '/v1/events': { get: { summary: 'Live events for the tenant (server-sent events: session.*, run.*, approval.*)', responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': {} } }, ...errors } } },
      '/mcp': {
        post: {
          summary: 'MCP over Streamable HTTP (agent, admin); X-Airlock-Session header or ?session= picks the session, else a per-key default session',
          parameters: [{ name: 'X-Airlock-Session', in: 'header', schema: { type: 'string' } }],
          responses: { 200: { description: 'MCP response (JSON or text/event-stream)' }, 501: { $ref: '#/components/responses/Failed' }, ...errors },
        },
        get: { summary: 'MCP server-to-client stream', responses: { 200: { description: 'text/event-stream' }, ...errors } },
        delete: { summary: 'End an MCP session', responses: { 200: { description: 'OK' }, ...errors } },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key (alk_…). Stored hashed on the server.' } },
      responses: Object.fromEntries(([
        ['BadRequest', 'The body or a parameter is invalid'], ['Unauthorized', 'Missing or unknown API key'],
        ['Forbidden', 'Wrong role, or Host/Origin not accepted'], ['NotFound', 'No such thing for your tenant'],
        ['RateLimited', 'Too many requests for this key (see Retry-After)'], ['TooLarge', 'Body over the size limit'],
        ['Conflict', 'Already answered or expired'], ['Failed', 'Airlock itself failed, or the feature is unavailable'],
      ] as const).map(([name, description]) => [name, jsonBody(ref('Error'), description)])),
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } } },
        Principal: { type: 'object', properties: { name: { type: 'string' }, tenant: { type: 'string' }, role: { type: 'string', enum: ['agent', 'reviewer', 'admin'] } } },
        Session: { type: 'object', required: ['id', 'tenant', 'name', 'createdAt'], properties: { id: { type: 'string' }, tenant: { type: 'string' }, name: { type: 'string' }, createdAt: { type: 'string', format: 'date-time' }, createdBy: { type: 'string' } } },
        Action: {
          oneOf: [
            { type: 'object', required: ['kind', 'argv'], properties: { kind: { const: 'command' }, argv: { type: 'array', items: { type: 'string' }, minItems: 1 }, stdin: { type: 'string' }, timeoutMs: { type: 'integer' } } },
            { type: 'object', required: ['kind', 'language', 'code'], properties: { kind: { const: 'code' }, language: { enum: ['shell', 'python', 'javascript'] }, code: { type: 'string' }, stdin: { type: 'string' }, timeoutMs: { type: 'integer' } } },
            { type: 'object', required: ['kind', 'path'], properties: { kind: { const: 'read_file' }, path: { type: 'string' } } },
            { type: 'object', required: ['kind', 'path', 'content'], properties: { kind: { const: 'write_file' }, path: { type: 'string' }, content: { type: 'string' } } },
            { type: 'object', required: ['kind'], properties: { kind: { const: 'list_files' }, path: { type: 'string' } } },
          ],
        },
        Finding: { type: 'object', required: ['rule', 'severity', 'category', 'message'], properties: { rule: { type: 'string' }, severity: { enum: ['low', 'medium', 'high', 'critical'] }, category: { type: 'string' }, message: { type: 'string' }, match: { type: 'string' }, location: { type: 'object' } } },
        RunResult: {
          type: 'object',
          description: 'The shape of `airlock run --json`, plus runId and session.',
          required: ['verdict', 'exitCode', 'stdout', 'stderr', 'findings', 'limits', 'network', 'files', 'durationMs', 'ran'],
          properties: {
            runId: { type: 'string' }, session: { type: 'string' }, verdict: { enum: ['allow', 'ask', 'deny'] }, exitCode: { type: ['integer', 'null'] }, signal: { type: ['string', 'null'] },
            stdout: { type: 'string' }, stderr: { type: 'string' }, findings: { type: 'array', items: ref('Finding') }, reasons: { type: 'array', items: { type: 'string' } },
            limits: { type: 'object' }, network: { type: 'array', items: { type: 'object', properties: { host: { type: 'string' }, port: { type: 'integer' }, allowed: { type: 'boolean' } } } },
            files: { type: 'object', properties: { changed: { type: 'array', items: { type: 'string' } } } }, durationMs: { type: 'number' }, auditId: { type: ['string', 'null'] },
            ran: { type: 'boolean' }, redacted: { type: 'boolean' }, approval: { type: 'object', properties: { id: { type: 'string' }, answer: { type: 'string' }, by: { type: 'string' } } },
          },
        },
        RunSummary: { type: 'object', properties: { id: { type: 'string' }, session: { type: 'string' }, summary: { type: 'string' }, status: { enum: ['running', 'waiting-approval', 'finished', 'failed'] }, verdict: { type: ['string', 'null'] }, durationMs: { type: ['number', 'null'] }, limitsHit: { type: 'array', items: { type: 'string' } }, network: { type: 'object' }, redacted: { type: 'boolean' }, approvalId: { type: ['string', 'null'] } } },
        RunDetail: { allOf: [ref('RunSummary'), { type: 'object', properties: { action: { type: 'object' }, result: { oneOf: [ref('RunResult'), { type: 'null' }] } } }] },
        Approval: { type: 'object', properties: { id: { type: 'string' }, status: { enum: ['pending', 'approved', 'denied', 'expired'] }, summary: { type: 'string' }, requester: { type: 'object' }, verdictReasons: { type: 'array', items: { type: 'string' } }, ruleIds: { type: 'array', items: { type: 'string' } }, findings: { type: 'array', items: ref('Finding') }, action: {}, runId: { type: ['string', 'null'] }, createdAt: { type: 'string' }, expiresAt: { type: 'string' }, answeredBy: { type: ['string', 'null'] }, scope: { type: ['string', 'null'] } } },
        AuditEvent: { type: 'object', properties: { seq: { type: 'integer' }, id: { type: 'string' }, ts: { type: 'string' }, type: { type: 'string' }, tenant: { type: ['string', 'null'] }, session: { type: ['string', 'null'] }, requester: { type: 'object' }, payload: { type: 'object' }, prevHash: { type: 'string' }, hash: { type: 'string' } } },
        ChainStatus: { type: 'object', description: 'The whole chain (all tenants) is verified; only the caller tenant\'s event count is shown.', properties: { ok: { type: 'boolean' }, tenantEvents: { type: 'integer' }, checkpoints: { type: 'object' }, firstBad: { type: ['object', 'null'] } } },
      },
    },
  };
}
