/**
 * `airlock hook codex`: the codec contract, then the built CLI spawned with Codex's PreToolUse
 * payloads (Claude-compatible fields plus `turn_id` and `model`; shell commands as a string or
 * an argv; `apply_patch` envelopes). Codex runs a call it was answered "ask" for, so an ask must
 * come out as a block.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { codexCodec, patchToActions, type HookOutput } from '../../src/integrations/hooks/index.js';
import { runHookCodecContract, type AgentReading } from './codec-contract.js';
import { hook, makeProject } from './helpers.js';

/** How Codex reads a hook's output: exit 2 blocks; JSON deny blocks; "ask" is ignored (the call runs). */
function codexReads(out: HookOutput): AgentReading {
  if (out.exitCode === 2) return 'deny';
  if (out.exitCode !== 0) return 'none';
  let parsed: { hookSpecificOutput?: { permissionDecision?: string }; decision?: string };
  try { parsed = JSON.parse(out.stdout || '{}'); } catch { return 'none'; }
  const d = parsed.hookSpecificOutput?.permissionDecision;
  if (d === 'deny' || parsed.decision === 'block') return 'deny';
  if (d === 'allow') return 'allow';
  return 'none';
}

const preToolUse = (cwd: string, tool_name: string, tool_input: unknown) => ({
  session_id: '019a7b2c-5d1e-7f00-9a3b-4c2d1e0f9a8b', turn_id: 'turn-3', transcript_path: null, cwd,
  hook_event_name: 'PreToolUse', model: 'gpt-5-codex', permission_mode: 'default', tool_name, tool_input, tool_use_id: 'call_9xYz',
});

runHookCodecContract({
  codec: codexCodec,
  interpret: codexReads,
  shellGate: (command, cwd) => preToolUse(cwd, 'Bash', { command }),
  observe: (cwd) => ({ ...preToolUse(cwd, 'Bash', { command: 'ls' }), hook_event_name: 'PostToolUse', tool_response: 'a\n' }),
  askBecomes: 'deny',
  allowBecomes: 'none',
});

describe('airlock hook codex (spawned CLI, real payloads)', () => {
  const dir = makeProject();

  test('an ordinary command passes: exit 0, {} (Codex keeps its own sandbox and approvals)', () => {
    const r = hook('codex', preToolUse(dir, 'Bash', { command: 'cargo test --workspace' }));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json, {});
  });

  test('an ask becomes a block (exit 2) whose message says a human must approve', () => {
    const r = hook('codex', preToolUse(dir, 'Bash', { command: ['bash', '-lc', 'git push origin main'] }));
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /cannot ask a human/);
    assert.match(r.stderr, /pushing needs a human|git push/);
  });

  test('a denied command is a block (exit 2) with the policy\'s reason', () => {
    const r = hook('codex', preToolUse(dir, 'Bash', { command: 'rm -rf build' }));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /recursive deletes are not allowed/);
  });

  test('apply_patch content is checked file by file', () => {
    const patch = '*** Begin Patch\n*** Add File: src/hello.py\n+print("hi")\n*** Update File: README.md\n@@\n-old\n+new\n*** End Patch\n';
    assert.deepEqual(patchToActions(patch), [
      { kind: 'write_file', path: 'src/hello.py', content: 'print("hi")' },
      { kind: 'write_file', path: 'README.md', content: 'new' },
    ]);
    const r = hook('codex', preToolUse(dir, 'apply_patch', { command: patch }));
    assert.ok(r.code === 0 || r.code === 2, r.stderr);
  });

  test('unreadable input blocks', () => {
    const r = hook('codex', 'null');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /JSON object/);
  });
});
