/**
 * Gateway throughput and latency: small `run_command` calls (`/bin/true`) sent over loopback HTTP
 * to `airlock serve`'s API at concurrency 1, 4 and 8 (a bounded load loop: N requests, C in
 * flight), against calling the library (`createAirlock().run`) directly at the same concurrency,
 * in the same run on the same machine. Also the cost of the HTTP layer alone (`GET /v1/whoami`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAirlock } from '../src/airlock.js';
import { defaultPolicy, resolvePolicyPaths } from '../src/policy/index.js';
import { generateKey, hashKey } from '../src/surfaces/http/keys.js';
import { startGatewayServer } from '../src/surfaces/http/server.js';
import { machine, ms, percentile, writeSection } from './lib.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const LEVELS = [1, 4, 8];
const ws = mkdtempSync(path.join(os.tmpdir(), 'airlock-bench-gw-'));
const policy = resolvePolicyPaths({ ...defaultPolicy(), workspace: ws }, ws, os.homedir());
const key = generateKey();
const server = await startGatewayServer({
  policy, dataDir: path.join(ws, 'data'), port: 0, keysEnv: '', bootstrapAdmin: false,
  extraKeys: [hashKey(key, { tenant: 'bench', role: 'agent', name: 'bench' })],
  // The benchmark measures the gateway, not the rate limiter: a bucket large enough for the whole run.
  rateLimit: { perMinute: 1e9, burst: 1e6 },
});
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
const session = (await (await fetch(`${server.url}/v1/sessions`, { method: 'POST', headers, body: '{"name":"bench"}' })).json()) as { id: string };
const body = JSON.stringify({ kind: 'command', argv: ['/bin/true'] });
const direct = createAirlock({ policy: { ...policy, workspace: server.gateway.getSession('bench', session.id)!.workspace } });

/** Runs `total` calls with `concurrency` in flight; returns latencies and the wall time. */
async function load(call: () => Promise<void>, total: number, concurrency: number): Promise<{ lat: number[]; wallMs: number }> {
  const lat: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next += 1;
      const t = performance.now();
      await call();
      lat.push(performance.now() - t);
    }
  }));
  return { lat, wallMs: performance.now() - t0 };
}

const viaHttp = async (): Promise<void> => {
  const res = await fetch(`${server.url}/v1/sessions/${session.id}/runs`, { method: 'POST', headers, body });
  const r = (await res.json()) as { exitCode?: number };
  if (res.status !== 200 || r.exitCode !== 0) throw new Error(`run failed: ${res.status} ${JSON.stringify(r).slice(0, 200)}`);
};
const viaLibrary = async (): Promise<void> => {
  const r = await direct.run({ kind: 'command', argv: ['/bin/true'] });
  if (r.exitCode !== 0) throw new Error('run failed');
};
const whoami = async (): Promise<void> => {
  const res = await fetch(`${server.url}/v1/whoami`, { headers });
  await res.text();
};

const rows: string[] = [];
const results: Record<string, { rps: number; p50: number }> = {};
const record = (name: string, c: number, r: { lat: number[]; wallMs: number }): void => {
  const rps = (r.lat.length / r.wallMs) * 1000;
  results[`${name}@${c}`] = { rps, p50: percentile(r.lat, 50) };
  rows.push(`| ${name} | ${c} | ${r.lat.length} | ${rps.toFixed(1)} | ${ms(percentile(r.lat, 50))} | ${ms(percentile(r.lat, 90))} | ${ms(percentile(r.lat, 99))} |`);
  process.stderr.write(`  ${name} c=${c}: ${rps.toFixed(1)} req/s\n`);
};

await load(viaHttp, 10, 2);
await load(viaLibrary, 10, 2);
await load(whoami, 50, 4);
for (const c of LEVELS) {
  record('library: createAirlock().run(/bin/true)', c, await load(viaLibrary, REQUESTS, c));
  record('gateway: POST /v1/sessions/:id/runs (/bin/true)', c, await load(viaHttp, REQUESTS, c));
}
for (const c of LEVELS) record('gateway: GET /v1/whoami (HTTP + auth only)', c, await load(whoami, REQUESTS * 5, c));

await direct.close();
await server.close();
rmSync(ws, { recursive: true, force: true });

const ratio = (c: number): string => (results[`library: createAirlock().run(/bin/true)@${c}`]!.rps / results[`gateway: POST /v1/sessions/:id/runs (/bin/true)@${c}`]!.rps).toFixed(2);
writeSection('gateway', `## Gateway throughput and latency (issue 7)

Machine: ${machine()}. A bounded load loop in one Node process on loopback: N requests with C in flight,
\`/bin/true\` as a \`command\` action through the whole pipeline (sandbox included), against the library
call \`createAirlock().run()\` at the same concurrency in the same run; plus \`GET /v1/whoami\` for the cost of
HTTP, Host/Origin checks, key verification (HMAC) and the rate limiter alone. The load generator shares
the machine with the server. Reproduce: \`npm run bench -- gateway\` (BENCH_REQUESTS=${REQUESTS}).

| what | C | N | req/s | p50 ms | p90 ms | p99 ms |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Library ÷ gateway throughput: ${LEVELS.map((c) => `C=${c}: ${ratio(c)}`).join(', ')} (1.00 would mean the gateway adds nothing).
`);
