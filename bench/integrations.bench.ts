/**
 * Integration overheads, each side by side with its baseline in the same run:
 * - `airlock hook claude-code` as an agent runs it (one process per tool call, build first) vs a
 *   bare `node -e ''` spawn; and the same decision in process (`runHook`) vs `airlock.check` alone.
 * - an MCP `run_command` call through the Streamable HTTP handler and the SDK client (in process)
 *   vs `airlock.run` of the same action directly.
 * `BENCH_RUNS` (default 20) sets the number of timed runs.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { claudeCodeCodec, runHook } from '../src/integrations/hooks/index.js';
import { createMcpHttpHandler } from '../src/integrations/mcp/index.js';
import { makeWorkspace, realAirlock } from '../test/mcp/helpers.js';
import { machine, ms, percentile, timeRuns, writeSection } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const ws = makeWorkspace();
const airlock = realAirlock(ws.policyFile, ws.workspace);
const payload = JSON.stringify({
  session_id: 's', transcript_path: '/dev/null', cwd: ws.workspace, permission_mode: 'default',
  hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'git status && npm test -- --grep parser' }, tool_use_id: 't',
});
const BIN = path.resolve('bin/airlock');
const row = (name: string, v: number[]) => `| ${name} | ${ms(percentile(v, 50))} | ${ms(percentile(v, 95))} |`;
const log = (line: string) => process.stderr.write(`  ${line}\n`);

const nodeSpawn = await timeRuns(() => spawnSync(process.execPath, ['-e', ''], { encoding: 'utf8' }), RUNS, 2);
log('node spawn done');
const hookSpawn = await timeRuns(() => {
  const r = spawnSync(process.execPath, [BIN, 'hook', 'claude-code', '--policy', ws.policyFile], { input: payload, encoding: 'utf8' });
  if (r.status !== 0 || !r.stdout.includes('permissionDecision')) throw new Error(`hook failed: ${r.status} ${r.stdout} ${r.stderr}`);
}, RUNS, 2);
log('hook spawn done');
const action = { kind: 'command' as const, argv: ['/bin/sh', '-c', 'git status && npm test -- --grep parser'] };
const checkOnly = await timeRuns(() => airlock.check(action), RUNS * 5, 5);
const hookInProc = await timeRuns(() => runHook(claudeCodeCodec, payload, { checker: () => airlock }), RUNS * 5, 5);
log('in-process hook done');

const handler = createMcpHttpHandler({ airlock });
const client = new Client({ name: 'bench', version: '1' });
await client.connect(new StreamableHTTPClientTransport(new URL('http://bench.local/mcp'), { fetch: (u, init) => handler.fetch(new Request(u, init)) }));
const direct = await timeRuns(() => airlock.run({ kind: 'command', argv: ['/bin/sh', '-c', 'echo hi'] }), RUNS, 3);
const viaMcp = await timeRuns(async () => {
  const r = await client.callTool({ name: 'run_command', arguments: { command: 'echo hi' } });
  if (r.isError) throw new Error(JSON.stringify(r.content));
}, RUNS, 3);
await client.close();
await handler.close();
await airlock.close();

writeSection('integrations', `
## Integrations (hooks, MCP)

${machine()}; ${RUNS} timed runs per row (×5 for the in-process hook rows); milliseconds.

| what | p50 ms | p95 ms |
| --- | ---: | ---: |
${row('baseline: spawn `node -e \'\'`', nodeSpawn)}
${row('`airlock hook claude-code` (spawned, Bash payload, real policy)', hookSpawn)}
${row('baseline: `airlock.check` of the same command (in process)', checkOnly)}
${row('`runHook` (parse + decode + check + encode, in process)', hookInProc)}
${row('baseline: `airlock.run` of `echo hi` (library, sandboxed)', direct)}
${row('MCP `run_command` `echo hi` (SDK client → Streamable HTTP handler, in process)', viaMcp)}

A coding agent pays the spawned-hook row on every gated tool call: most of it is Node start-up
and module loading (compare the bare spawn), not the decision (compare \`runHook\` with
\`airlock.check\`). The MCP layer adds the JSON-RPC round trip and schema validation on top of a
sandboxed run.
`);
