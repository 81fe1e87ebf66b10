/* eslint-disable @typescript-eslint/no-explicit-any -- tool results are read as the client returns them */
/**
 * `airlock mcp` over stdio: the SDK's real client spawns the built CLI (`npm run build` first),
 * lists the tools, runs a command in the sandbox, is refused a file outside the workspace, and
 * (when the decide stage applies command rules) is refused a denied command. stdout must carry
 * JSON-RPC only — any stray line would break the client's parser.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { makeWorkspace, pipelineDenies, realAirlock } from './helpers.js';

const BIN = path.resolve('bin/airlock');
const text = (r: any): string => r.content.map((c: any) => c.text).join('\n');

describe('airlock mcp (stdio, spawned CLI, real client)', () => {
  const ws = makeWorkspace();
  let client: Client;
  let stderr = '';
  const protocolErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(path.resolve('dist/cli/main.js')), 'build first: npm run build');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, 'mcp', '--policy', ws.policyFile, '--workspace', ws.workspace],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? ws.root, AIRLOCK_DEBUG: '1' },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
    transport.onerror = (error) => { protocolErrors.push(error.message); };
    client = new Client({ name: 'stdio-test', version: '1.0.0' });
    await client.connect(transport);
  });
  after(async () => { await client.close(); });

  test('lists the tools; diagnostics went to stderr, not the protocol channel', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ['execute_code', 'list_files', 'read_file', 'run_command', 'write_file']);
    assert.match(stderr, /mcp: serving stdio/, 'AIRLOCK_DEBUG output is on stderr');
    assert.deepEqual(protocolErrors, [], 'nothing but JSON-RPC on stdout');
  });

  test('run_command runs in the sandbox inside the workspace', async () => {
    const r: any = await client.callTool({ name: 'run_command', arguments: { command: 'echo stdio-ok; pwd; ls ~/.ssh 2>&1 | head -1' } });
    assert.equal(r.isError, false, text(r));
    assert.match(text(r), /stdio-ok/);
    assert.ok(text(r).includes(ws.workspace), text(r));
    assert.equal(r.structuredContent.verdict, 'allow');
  });

  test('a file outside the workspace is refused as a tool result', async () => {
    const r: any = await client.callTool({ name: 'read_file', arguments: { path: '../outside.txt' } });
    assert.equal(r.isError, true);
    assert.match(text(r), /outside the workspace/);
    assert.doesNotMatch(text(r), /not for the agent/);
  });

  test('a command the policy denies is refused, naming the rule', async (t) => {
    const airlock = realAirlock(ws.policyFile, ws.workspace);
    if (!(await pipelineDenies(airlock))) {
      t.skip('the pipeline does not apply command rules yet (decide stage not wired in src/airlock.ts)');
      return;
    }
    const r: any = await client.callTool({ name: 'run_command', arguments: { command: 'rm -rf ./src' } });
    assert.equal(r.isError, true);
    assert.equal(r.structuredContent.verdict, 'deny');
    assert.match(text(r), /recursive deletes are not allowed/);
  });
});
