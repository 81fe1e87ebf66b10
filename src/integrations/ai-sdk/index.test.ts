/**
 * The AI SDK tools call the real pipeline: an allowed command runs in the sandbox, a command the
 * policy denies comes back as a refusal result (no model, no network: `execute` is called directly,
 * as the AI SDK would after a tool call).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeWorkspace, realAirlock } from '../../../test/mcp/helpers.js';
import { createAirlockTools } from './index.js';

const tempAirlock = () => {
  const ws = makeWorkspace();
  return realAirlock(ws.policyFile, ws.workspace);
};
const opts = { toolCallId: 'call_1', messages: [] };

test('AI SDK tools: allowed runs, denied is a refusal result, the input schema validates', async () => {
  const airlock = tempAirlock();
  const tools = createAirlockTools({ airlock, include: ['run_command', 'execute_code'] });
  assert.deepEqual(Object.keys(tools).sort(), ['execute_code', 'run_command']);
  const run = tools.run_command!;
  const ok = await run.execute!({ command: 'echo ai-$((40+2))' }, opts) as { text: string; isError: boolean; verdict: string };
  assert.equal(ok.isError, false, ok.text);
  assert.equal(ok.text, 'ai-42');
  assert.equal(ok.verdict, 'allow');
  const denied = await run.execute!({ command: 'rm -rf ./src' }, opts) as { text: string; isError: boolean; verdict: string; ran: boolean };
  assert.equal(denied.isError, true);
  assert.equal(denied.verdict, 'deny');
  assert.equal(denied.ran, false);
  assert.match(denied.text, /recursive deletes are not allowed/);
  const code = await tools.execute_code!.execute!({ language: 'javascript', code: 'console.log(6 * 7)' }, opts) as { text: string };
  assert.equal(code.text, '42');
  const bad = await run.execute!({ nope: true }, opts) as { isError: boolean; text: string };
  assert.equal(bad.isError, true);
  assert.match(bad.text, /command/);
  await airlock.close();
});
