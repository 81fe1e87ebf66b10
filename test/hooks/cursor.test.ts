/**
 * `airlock hook cursor`: the codec contract, then the built CLI spawned with Cursor's hook
 * payloads (`.cursor/hooks.json` version 1: `beforeShellExecution`, `beforeReadFile`,
 * `beforeMCPExecution`, `afterFileEdit`) and the `permission` answers Cursor expects.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { cursorCodec, type HookOutput } from '../../src/integrations/hooks/index.js';
import { runHookCodecContract, type AgentReading } from './codec-contract.js';
import { hook, makeProject } from './helpers.js';

/** How Cursor reads a hook's output: exit 2 blocks; invalid JSON from a permission hook blocks; else `permission`. */
function cursorReads(out: HookOutput): AgentReading {
  if (out.exitCode === 2) return 'deny';
  if (out.exitCode !== 0) return 'none';
  let parsed: { permission?: AgentReading };
  try { parsed = JSON.parse(out.stdout); } catch { return 'deny'; }
  return parsed.permission ?? 'none';
}

const common = (root: string, event: string) => ({
  hook_event_name: event, conversation_id: 'c0nv-7d2e', generation_id: 'gen-19af', workspace_roots: [root],
  model: 'claude-sonnet', cursor_version: '1.7.52',
});

runHookCodecContract({
  codec: cursorCodec,
  interpret: cursorReads,
  shellGate: (command, cwd) => ({ ...common(cwd, 'beforeShellExecution'), command, cwd }),
  observe: (cwd) => ({ ...common(cwd, 'afterFileEdit'), file_path: `${cwd}/src/a.ts`, edits: [{ old_string: 'a', new_string: 'b' }] }),
  askBecomes: 'ask',
  allowBecomes: 'allow',
});

describe('airlock hook cursor (spawned CLI, real payloads)', () => {
  const dir = makeProject();

  test('beforeShellExecution: allow for ordinary commands, with messages', () => {
    const r = hook('cursor', { ...common(dir, 'beforeShellExecution'), command: 'npm test', cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.permission, 'allow');
  });

  test('beforeShellExecution: deny and ask carry user_message and agent_message', () => {
    const deny = hook('cursor', { ...common(dir, 'beforeShellExecution'), command: 'rm -rf build', cwd: dir });
    assert.equal(deny.code, 0);
    assert.equal(deny.json.permission, 'deny');
    assert.match(deny.json.agent_message, /recursive deletes are not allowed/);
    assert.equal(deny.json.user_message, deny.json.agent_message);
    const ask = hook('cursor', { ...common(dir, 'beforeShellExecution'), command: 'git push origin main', cwd: dir });
    assert.equal(ask.json.permission, 'ask');
  });

  test('beforeMCPExecution: a tool Airlock does not inspect follows inspect.unknownPrograms (ask)', () => {
    const r = hook('cursor', { ...common(dir, 'beforeMCPExecution'), tool_name: 'database_query', tool_input: '{"query": "SELECT 1"}', command: 'npx db-mcp' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.json.permission, 'ask');
    assert.match(r.json.user_message, /database_query/);
  });

  test('beforeReadFile answers permission only; a file in the project is readable', () => {
    const r = hook('cursor', { ...common(dir, 'beforeReadFile'), file_path: path.join(dir, 'src/index.ts'), content: 'export {}', attachments: [] });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(Object.keys(r.json), ['permission']);
    assert.equal(r.json.permission, 'allow');
  });

  test('afterFileEdit is fire-and-forget: {} and exit 0', () => {
    const r = hook('cursor', { ...common(dir, 'afterFileEdit'), file_path: path.join(dir, 'src/a.ts'), edits: [{ old_string: 'a', new_string: 'b' }] });
    assert.equal(r.code, 0);
    assert.deepEqual(r.json, {});
  });

  test('unreadable input is a deny with exit 2', () => {
    const r = hook('cursor', '{"hook_event_name": 5}');
    assert.equal(r.code, 2);
    assert.equal(r.json.permission, 'deny');
  });
});
