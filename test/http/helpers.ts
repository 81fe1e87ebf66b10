/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON read from the API under test */
/**
 * @module test/http/helpers
 * Starts a real gateway on a free loopback port with two tenants' keys, and sends requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAirlock, summarizeAction, type AirlockOptions } from '../../src/airlock.js';
import { emptyLimits, type Action, type Decision } from '../../src/core/contracts.js';
import { defaultPolicy, type Policy } from '../../src/policy/schema.js';
import { generateKey, hashKey, type Role } from '../../src/surfaces/http/keys.js';
import { startGatewayServer, type GatewayServer, type ServerOptions } from '../../src/surfaces/http/server.js';

export interface TestGateway {
  server: GatewayServer;
  url: string;
  keys: Record<'aAgent' | 'aReviewer' | 'aAdmin' | 'bAgent' | 'bReviewer', string>;
  dir: string;
  call(key: string | null, method: string, route: string, body?: unknown): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/** Starts a gateway with tenants "a" and "b". */
export async function startTestGateway(options: Partial<ServerOptions> & { policy?: Policy } = {}): Promise<TestGateway> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-http-'));
  const who: Array<[keyof TestGateway['keys'], string, Role]> = [
    ['aAgent', 'a', 'agent'], ['aReviewer', 'a', 'reviewer'], ['aAdmin', 'a', 'admin'], ['bAgent', 'b', 'agent'], ['bReviewer', 'b', 'reviewer'],
  ];
  const keys = {} as TestGateway['keys'];
  const records = who.map(([name, tenant, role]) => {
    keys[name] = generateKey();
    return hashKey(keys[name], { tenant, role, name });
  });
  const policy = options.policy ?? { ...defaultPolicy(), workspace: dir };
  const server = await startGatewayServer({ policy, dataDir: path.join(dir, 'data'), port: 0, keysEnv: '', extraKeys: records, ...options });
  return {
    server, url: server.url, keys, dir,
    async call(key, method, route, body) {
      const res = await fetch(`${server.url}${route}`, {
        method,
        headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** True when `action` is `git push …`, directly or as `/bin/sh -c 'git push …'` (MCP's run_command). */
const isGitPush = (action: Action): boolean => action.kind === 'command'
  && ((action.argv[0] === 'git' && action.argv[1] === 'push') || (action.argv[0] === '/bin/sh' && action.argv[1] === '-c' && /^git push\b/.test(action.argv[2] ?? '')));

/**
 * The real pipeline, except that `git push` is an ask, the way a `commands: [{match: "git push",
 * verdict: ask}]` rule makes it once command rules are wired into `createAirlock`. It calls the
 * gateway's real `approve` callback and then the real pipeline, so what is under test (the
 * gateway turning an ask into a pending approval that a reviewer answers over HTTP) is real.
 */
export function askOnGitPush(options: AirlockOptions) {
  const real = createAirlock(options);
  return {
    ...real,
    async run(action: Action, runOptions: Parameters<typeof real.run>[1] = {}) {
      if (!isGitPush(action)) return real.run(action, runOptions);
      const decision: Decision = {
        verdict: 'ask',
        findings: [{ rule: 'policy.command-rule', severity: 'medium', category: 'policy', message: 'git push publishes code: a human decides' }],
        reasons: ['commands[0]: "git push" needs approval'],
        ruleIds: ['commands[0]'],
      };
      const answer = await options.approve!({ action, decision, requester: { ...options.requester, ...runOptions.requester }, summary: summarizeAction(action) });
      if (answer.answer !== 'approved') {
        return { verdict: 'deny' as const, exitCode: null, signal: null, stdout: '', stderr: '', findings: decision.findings, reasons: [...decision.reasons, `denied: ${answer.answer}`], limits: emptyLimits(), network: [], files: { changed: [] }, durationMs: 0, auditId: null, ran: false, approval: { id: answer.id, answer: answer.answer, ...(answer.by ? { by: answer.by } : {}) } };
      }
      const result = await real.run(action, runOptions);
      return { ...result, verdict: 'ask' as const, approval: { id: answer.id, answer: answer.answer, ...(answer.by ? { by: answer.by } : {}) } };
    },
  };
}

/** Waits until `check` returns a value (polling). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
