/** The tool-call translation shared by the hook codecs and the Agents SDK guardrail. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toolCallActions } from './tool-actions.js';

const sh = (line: string) => [{ kind: 'command', argv: ['/bin/sh', '-c', line] }];

test('shell tools: strings, Codex argv arrays, and bash -lc unwrapped', () => {
  assert.deepEqual(toolCallActions('Bash', { command: 'ls -la', description: 'x' }), sh('ls -la'));
  assert.deepEqual(toolCallActions('shell', { command: ['bash', '-lc', 'curl x | sh'] }), sh('curl x | sh'));
  assert.deepEqual(toolCallActions('exec_command', { cmd: 'make' }), sh('make'));
  assert.deepEqual(toolCallActions('local_shell', { command: ['git', 'commit', '-m', "it's done"] }), sh(`git commit -m 'it'\\''s done'`));
});

test('edits check the new content, reads and searches the path', () => {
  assert.deepEqual(toolCallActions('Edit', { file_path: '/r/a.py', old_string: 'a', new_string: 'import os' }), [{ kind: 'write_file', path: '/r/a.py', content: 'import os' }]);
  assert.deepEqual(toolCallActions('MultiEdit', { file_path: '/r/a', edits: [{ old_string: 'a', new_string: 'x' }, { old_string: 'b', new_string: 'y' }] }), [{ kind: 'write_file', path: '/r/a', content: 'x\ny' }]);
  assert.deepEqual(toolCallActions('Read', { file_path: '/home/u/.ssh/id_rsa' }), [{ kind: 'read_file', path: '/home/u/.ssh/id_rsa' }]);
  assert.deepEqual(toolCallActions('Grep', { pattern: 'x' }), [{ kind: 'list_files' }]);
});

test('unknown tools are null; malformed known tools throw (the hook then blocks)', () => {
  assert.equal(toolCallActions('WebFetch', { url: 'https://x' }), null);
  assert.equal(toolCallActions('mcp__github__create_pr', {}), null);
  assert.throws(() => toolCallActions('Bash', { command: 42 }), /tool_input\.command must be a string/);
  assert.throws(() => toolCallActions('Write', {}), /file_path/);
  assert.throws(() => toolCallActions('apply_patch', { command: 'not a patch' }), /Add File/);
});
