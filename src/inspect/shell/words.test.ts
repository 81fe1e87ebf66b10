import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectCode } from '../engine.js';
import { plainCommand } from './words.js';

test('plainCommand reads only plain words and simple quotes', () => {
  assert.deepEqual(plainCommand("A=1 grep -r 'a b' \"c\"d")?.words.map((w) => w.text), ['grep', '-r', 'a b', 'cd']);
  assert.deepEqual(plainCommand('A=1 B="x y" ls')?.env, ['A=1', 'B="x y"']);
  for (const text of ['echo $HOME', 'echo `id`', 'r\\m -rf /', 'ls > f', 'a | b', 'echo "$(id)"', "echo 'open", 'echo a # c', 'ls {a,b}', 'echo a\nb']) {
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
