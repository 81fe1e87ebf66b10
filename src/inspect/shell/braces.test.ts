/**
 * Brace expansion: documented examples, quoting, limits, and random words checked against bash
 * itself (the words are printed by `printf`, one per line, nothing is run).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { expandBraces, MAX_BRACE_WORDS } from './braces.js';

describe('expandBraces', () => {
  it('expands lists, nested lists, sequences and several pairs in a word', () => {
    assert.deepEqual(expandBraces('/{etc,usr}'), ['/etc', '/usr']);
    assert.deepEqual(expandBraces('~/.ssh/{id_rsa,id_ed25519}'), ['~/.ssh/id_rsa', '~/.ssh/id_ed25519']);
    assert.deepEqual(expandBraces('a{b,c{d,e}}f'), ['abf', 'acdf', 'acef']);
    assert.deepEqual(expandBraces('{a,b}{1,2}'), ['a1', 'a2', 'b1', 'b2']);
    assert.deepEqual(expandBraces('f{1..3}'), ['f1', 'f2', 'f3']);
    assert.deepEqual(expandBraces('{08..10}'), ['08', '09', '10']);
    assert.deepEqual(expandBraces('{c..a}'), ['c', 'b', 'a']);
    assert.deepEqual(expandBraces('{1..9..4}'), ['1', '5', '9']);
    assert.deepEqual(expandBraces('x{a,}'), ['xa', 'x']);
  });

  it('leaves quoted, escaped and parameter braces, and pairs without a comma', () => {
    for (const w of ["'{a,b}'", '"{a,b}"', '\\{a,b}', '${HOME}', '${x:-{a,b}}', '{}', '{a}', 'find . -exec {} +', '{a,b']) {
      assert.deepEqual(expandBraces(w), [w], w);
    }
    assert.deepEqual(expandBraces('"$HOME"/{a,b}'), ['"$HOME"/a', '"$HOME"/b']);
    assert.deepEqual(expandBraces('{x}{a,b}'), ['{x}a', '{x}b']);
  });

  it('stops at MAX_BRACE_WORDS words', () => {
    assert.equal(expandBraces('{1..99999999}').length, MAX_BRACE_WORDS);
    assert.equal(expandBraces('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}').length, MAX_BRACE_WORDS);
  });

  it('agrees with bash on random words', { skip: existsSync('/bin/bash') ? false : 'no bash' }, () => {
    const alphabet = ['{', '}', ',', 'a', 'b', '.', '.', '1', '2', '-', '{', '}', ','];
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const words: string[] = [];
    for (let i = 0; i < 2000; i++) {
      let w = '';
      const len = 1 + rnd(12);
      for (let j = 0; j < len; j++) w += alphabet[rnd(alphabet.length)];
      words.push(w);
    }
    // One bash for all words: each word's expansions between markers, empty words dropped as bash does.
    const script = words.map((w) => `printf '%s\\n' '@@' ${w}`).join('\n');
    const out = execFileSync('/bin/bash', ['--norc', '--noprofile', '-c', script], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const got = out.split('@@\n').slice(1).map((block) => block.split('\n').filter((l) => l !== ''));
    assert.equal(got.length, words.length);
    words.forEach((w, i) => {
      assert.deepEqual(expandBraces(w).filter((x) => x !== ''), got[i], `word ${JSON.stringify(w)}`);
    });
  });
});
