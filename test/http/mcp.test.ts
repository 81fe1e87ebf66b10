/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON read from the API under test */
/**
 * MCP over Streamable HTTP at /mcp: the same bearer keys and tenant checks as the API, and (when
 * the MCP integration is in the build) the SDK's real client calling tools that run through the
 * gateway, so they show up in the session's timeline.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { loadMcpHandlerFactory } from '../../src/surfaces/http/mcp-mount.js';
import { askOnGitPush, eventually, startTestGateway, type TestGateway } from './helpers.js';

describe('/mcp', () => {
  let gw: TestGateway;
  before(async () => { gw = await startTestGateway({ createAirlock: askOnGitPush }); });
  after(async () => { await gw.close(); });

  const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };

  test('needs an agent or admin key, and a session of the key\'s own tenant', async () => {
    assert.equal((await gw.call(null, 'POST', '/mcp', initialize)).status, 401);
    assert.equal((await gw.call(gw.keys.aReviewer, 'POST', '/mcp', initialize)).status, 403);
    const s = (await gw.call(gw.keys.aAgent, 'POST', '/v1/sessions', {})).body;
    assert.equal((await gw.call(gw.keys.bAgent, 'POST', `/mcp?session=${s.id}`, initialize)).status, 404);
  });

  test('the SDK client calls run_command over HTTP and the run lands in the session timeline', async (t) => {
    if (!(await loadMcpHandlerFactory())) {
      t.skip('src/integrations/mcp (createMcpHttpHandler) is not in this build yet; /mcp answers 501');
      return;
    }
    const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
    const s = (await gw.call(gw.keys.aAgent, 'POST', '/v1/sessions', { name: 'mcp' })).body;
    const transport = new StreamableHTTPClientTransport(new URL(`${gw.url}/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${gw.keys.aAgent}`, 'x-airlock-session': s.id } },
    });
    const client = new Client({ name: 'gateway-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const tools = (await client.listTools()).tools.map((x: any) => x.name);
      assert.ok(tools.includes('run_command'), tools.join(','));
      const result: any = await client.callTool({ name: 'run_command', arguments: { command: 'echo mcp-hello' } });
      assert.match(JSON.stringify(result.content), /mcp-hello/);
      const runs = (await gw.call(gw.keys.aAgent, 'GET', `/v1/sessions/${s.id}/runs`)).body.runs;
      assert.ok(runs.length >= 1, 'the MCP call went through the gateway');
    } finally {
      await client.close();
    }
  });

  test('an ask raised by an MCP tool call waits as a pending approval that a reviewer answers over the API', async (t) => {
    if (!(await loadMcpHandlerFactory())) {
      t.skip('src/integrations/mcp (createMcpHttpHandler) is not in this build yet; /mcp answers 501');
      return;
    }
    const { Client, StreamableHTTPClientTransport } = await import('@modelcontextprotocol/client');
    const transport = new StreamableHTTPClientTransport(new URL(`${gw.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${gw.keys.aAgent}` } } });
    const client = new Client({ name: 'gateway-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const call = client.callTool({ name: 'run_command', arguments: { command: 'git push origin main' } });
      const pending = await eventually(async () => (await gw.call(gw.keys.aReviewer, 'GET', '/v1/approvals')).body.approvals.find((a: any) => a.requester.agent === 'mcp'), 'the MCP ask');
      const session = (await gw.call(gw.keys.aAgent, 'GET', '/v1/sessions')).body.sessions.find((s: any) => s.id === pending.requester.session);
      assert.equal(session.name, 'mcp:aAgent', 'without X-Airlock-Session, the key\'s default session');
      await gw.call(gw.keys.aReviewer, 'POST', `/v1/approvals/${pending.id}/deny`, { reason: 'no' });
      const result: any = await call;
      assert.equal(result.isError, true, 'a denial is a tool result with isError, not a protocol error');
    } finally {
      await client.close();
    }
  });
});
