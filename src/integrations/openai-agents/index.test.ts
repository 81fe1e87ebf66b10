/**
 * OpenAI Agents SDK: the function tools run through the real pipeline, and the tool input
 * guardrail rejects a call the policy denies (called as the runner calls it; no model).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunContext, type FunctionTool } from '@openai/agents';
import { makeWorkspace, realAirlock } from '../../../test/mcp/helpers.js';
import { airlockToolInputGuardrail, createAirlockAgentTools } from './index.js';

const tempAirlock = () => {
  const ws = makeWorkspace();
  return realAirlock(ws.policyFile, ws.workspace);
};

test('Agents SDK tools run through the pipeline; denied calls are refusal text', async () => {
  const airlock = tempAirlock();
  const tools = createAirlockAgentTools({ airlock });
  assert.deepEqual(tools.map((t) => t.name).sort(), ['execute_code', 'list_files', 'read_file', 'run_command', 'write_file']);
  const run = tools.find((t) => t.name === 'run_command') as FunctionTool;
  // Strict mode makes optional fields required and nullable: the model sends null for "absent".
  assert.equal(await run.invoke(new RunContext(), JSON.stringify({ command: 'echo agents-ok', timeoutMs: null })), 'agents-ok');
  const denied = String(await run.invoke(new RunContext(), JSON.stringify({ command: 'rm -rf ./x' })));
  assert.match(denied, /Airlock refused run_command/);
  assert.match(denied, /recursive deletes are not allowed/);
  await airlock.close();
});

test('the tool input guardrail checks any tool with airlock.check', async () => {
  const airlock = tempAirlock();
  const guardrail = airlockToolInputGuardrail({ airlock });
  const call = (name: string, args: unknown) => guardrail.run({
    context: new RunContext(), agent: {} as never,
    toolCall: { type: 'function_call', callId: 'c1', name, arguments: JSON.stringify(args) },
  });
  assert.equal((await call('shell', { command: 'ls -la' })).behavior.type, 'allow');
  const denied = await call('shell', { command: 'rm -rf /srv/data' });
  assert.equal(denied.behavior.type, 'rejectContent');
  assert.match((denied.behavior as { message: string }).message, /recursive deletes are not allowed/);
  assert.equal((await call('get_weather', { city: 'Paris' })).behavior.type, 'allow', 'tools Airlock does not know are not its business');
  const broken = await guardrail.run({ context: new RunContext(), agent: {} as never, toolCall: { type: 'function_call', callId: 'c2', name: 'shell', arguments: '{not json' } });
  assert.equal(broken.behavior.type, 'rejectContent', 'a call that cannot be checked is rejected');
  await airlock.close();
});
