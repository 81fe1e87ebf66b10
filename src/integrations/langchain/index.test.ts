/**
 * LangChain.js: the structured tools run through the real pipeline; invoked with a tool call they
 * return a ToolMessage whose artifact carries the verdict (no model, no network).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ToolMessage } from '@langchain/core/messages';
import { makeWorkspace, realAirlock } from '../../../test/mcp/helpers.js';
import { createAirlockLangChainTools } from './index.js';

const tempAirlock = () => {
  const ws = makeWorkspace();
  return realAirlock(ws.policyFile, ws.workspace);
};

test('LangChain tools: output as content, verdict as artifact, refusals as text', async () => {
  const airlock = tempAirlock();
  const tools = createAirlockLangChainTools({ airlock, include: ['run_command', 'write_file', 'read_file'] });
  const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
  const msg = await byName.run_command!.invoke({ type: 'tool_call', id: 'tc1', name: 'run_command', args: { command: 'echo lc-ok' } }) as ToolMessage;
  assert.equal(msg.content, 'lc-ok');
  assert.equal(msg.artifact.verdict, 'allow');
  assert.equal(msg.artifact.isError, false);
  const denied = await byName.run_command!.invoke({ type: 'tool_call', id: 'tc2', name: 'run_command', args: { command: 'rm -rf ./x' } }) as ToolMessage;
  assert.match(String(denied.content), /recursive deletes are not allowed/);
  assert.equal(denied.artifact.verdict, 'deny');
  await byName.write_file!.invoke({ path: 'a.txt', content: 'lang\n' });
  assert.equal(await byName.read_file!.invoke({ path: 'a.txt' }), 'lang');
  await assert.rejects(() => byName.read_file!.invoke({ wrong: 1 } as never), /path/);
  await airlock.close();
});
