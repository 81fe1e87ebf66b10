/**
 * Differential test of the plain-statement reader (src/inspect/shell/plain.ts): random statements
 * from a grammar of plain words, quotes, escapes, variables and operators, plus near misses with
 * characters that must send the statement to tree-sitter. Whenever plainStatement accepts one:
 * - the text holds nothing bash would interpret further (substitutions, redirections, brackets,
 *   comments, newlines) and no reserved word stands where a program would;
 * - its commands (columns, pipes) are those of the tree-sitter parse;
 * - its words are what bash itself makes of them: every accepted command's words are handed to
 *   bash's printf (a builtin; nothing is run), with each variable set to its own name as written.
 * Words are not compared with tree-sitter's: it splits some concatenations bash reads as one word
 * (`9${HOME}$1`, `"a"\[`, `''\]`), which the reader gets right (see the corpus comparisons in
 * docs/inspect.md).
 *
 * Statements with `$(…)`, `{}` inside a word, a backslash in double quotes or a redirection were
 * always parsed by tree-sitter before the reader took them, so for them the reference is the node-by-node walk
 * itself: random statements with such words (nested, quoted, in pipes and lists, near misses) must
 * give exactly its invocations, and tree-sitter must parse every one the reader accepts without an error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { getEngine } from '../../src/inspect/engine.js';
import { getParsers } from '../../src/inspect/parsers.js';
import { walkPlainStatement, walkShell } from '../../src/inspect/shell/extract.js';
import { plainStatement, type PlainStatement } from '../../src/inspect/shell/plain.js';
import type { Analysis } from '../../src/inspect/types.js';

/** Small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROGRAMS = ['ls', 'rm', 'grep', 'find', 'echo', 'cat', 'sh', 'curl', 'if', 'time', 'export', 'do', 'x=1', '!', '[[', 'case'];
const BARE = 'abcxyz019-./=:,+@%^*?~_';
/** Characters that bash interprets (or that the reader must leave to the tree). */
const NEAR_MISS = ['<', '>', '(', ')', '`', '$(', '$((', '${x:-y}', '#', '!', '[', ']', '{', '}', '{a,b}', '\n', '\r', '\u00a0', '$IFS', '$@', '$*', '$?', '$$', '$-', '$!', '$#', '&>', '|&', ';;', '<<', '\\\n', '\t', '\\ ', '\\\t', '"', "'", '\\', '$', '$"x"', "$'x'", '=(', '~+'];
const OPERATORS = [' | ', ' || ', ' && ', ' ; ', ' & ', '|', '&&', ';', '&', '||'];

function pick<T>(r: () => number, xs: T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function word(r: () => number, near: boolean): string {
  let w = '';
  const parts = 1 + Math.floor(r() * 3);
  for (let k = 0; k < parts; k++) {
    const x = r();
    if (near && x < 0.12) w += NEAR_MISS[Math.floor(r() * NEAR_MISS.length)]!;
    else if (x < 0.45) w += Array.from({ length: 1 + Math.floor(r() * 4) }, () => BARE[Math.floor(r() * BARE.length)]).join('');
    else if (x < 0.55) w += `'${Array.from({ length: Math.floor(r() * 4) }, () => pick(r, [...' a|;&$"\\`#<*'])).join('')}'`;
    else if (x < 0.68) w += `"${Array.from({ length: Math.floor(r() * 4) }, () => pick(r, [' ', 'a', '|', ';', '&', "'", '#', '<', '*', '$x', '${y}', '$1', '{}', '$', '/', ')', '.'])).join('')}"`;
    else if (x < 0.78) w += `\\${pick(r, [...'a;|&$"\'#<>(){}*?[] -'])}`;
    else if (x < 0.88) w += ['$x', '${HOME}', '$1', '$_a9', '${y}z'][Math.floor(r() * 5)];
    else w += '{}';
  }
  return w;
}

function statement(r: () => number, near: boolean): string {
  const commands = 1 + Math.floor(r() * 3);
  let s = r() < 0.1 ? ' ' : '';
  for (let c = 0; c < commands; c++) {
    if (c) s += OPERATORS[Math.floor(r() * OPERATORS.length)];
    if (r() < 0.15) s += `A${c}=${word(r, near)} `;
    s += r() < 0.8 ? PROGRAMS[Math.floor(r() * PROGRAMS.length)] : word(r, near);
    const args = Math.floor(r() * 4);
    for (let a = 0; a < args; a++) s += (r() < 0.1 ? '\t' : ' ') + word(r, near);
  }
  if (r() < 0.1) s += [' ;', ' &', '  ', '\n'][Math.floor(r() * 4)];
  return s;
}

type Read = [column: number, piped: boolean][];

/** The tree's reading: every command node, in order; undefined when the tree holds anything else. */
function readTree(root: Node): Read | undefined {
  const out: Read = [];
  let other = false;
  const visit = (node: Node): void => {
    if (node.type === 'command') {
      const parent = node.parent;
      out.push([node.startPosition.column, parent?.type === 'pipeline' && parent.firstNamedChild?.id !== node.id]);
      return;
    }
    if (!['program', 'list', 'pipeline'].includes(node.type)) other = true;
    for (const child of node.namedChildren) if (child) visit(child);
  };
  visit(root);
  return other ? undefined : out;
}

/** What no accepted statement may hold outside quotes: substitutions, redirections, brackets, comments, newlines. */
function unquotedSpecials(text: string): string[] {
  const found: string[] = [];
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (quote === '"' && (c === '`' || (c === '$' && text[i + 1] === '('))) found.push(c);
      continue;
    }
    if (c === '\\') { i++; continue; }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (c === '$' && '!#'.includes(text[i + 1] ?? '')) { i++; continue; } // special parameters `$!`, `$#`
    if ('<>()`[]#\n!'.includes(c) || (c === '$' && '("'.includes(text[i + 1] ?? ''))) found.push(c); // `$'…'` is a quote
  }
  return found;
}


/** Variables as the reader keeps them: `$x`, `${x}`, `$1`. */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*|[0-9])/g;
const marker = (name: string): string => `@V:${name}@`;

/**
 * Bash's words for each command: one printf per command, `\x1f` after each word and `\x1e` after
 * each command. Every variable is set to a marker for its name, `$1` through `set --`; globbing is off.
 */
function bashWords(commands: string[][]): string[][] {
  const names = new Set<string>();
  for (const raw of commands.flat()) for (const m of raw.matchAll(VARIABLE)) names.add(m[1] ?? m[2]!);
  const script = ['set -f', `set -- ${Array.from({ length: 9 }, (_, k) => `'${marker(String(k + 1))}'`).join(' ')}`,
    // Names bash gives a meaning (IFS, PATH, …) are left alone: a literal `$IFS` in single quotes reads the same either way.
    ...[...names].filter((n) => !/^[0-9_]$|^(IFS|PATH|PWD|OLDPWD|UID|EUID|PPID|RANDOM|SRANDOM|SECONDS|LINENO|OPTIND|OPTARG|HISTCMD|GROUPS|FUNCNAME|SHELLOPTS|BASH\w*|EPOCH\w*|PS[0-4])$/.test(n)).map((n) => `${n}='${marker(n)}'`),
    ...commands.map((raw) => `printf '%s\\x1f' ${raw.join(' ')}; printf '\\x1e'`)].join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile'], { input: script, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\x1e').slice(0, -1).map((c) => c.split('\x1f').slice(0, -1));
}

/** SEEDS=300000 PLAIN_SEED=… widen or move the search; the default keeps the test near a second. */
const SEEDS = Number(process.env.SEEDS ?? 20000);
const FIRST_SEED = Number(process.env.PLAIN_SEED ?? 1);

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in', 'function', 'time', 'coproc', '!', '[[', ']]', '{', '}']);

test('plainStatement reads random plain statements as bash and tree-sitter do, and refuses near misses', async () => {
  const { shell } = await getParsers();
  const bad: string[] = [];
  const checked: { seed: number; text: string; words: string[]; texts: string[] }[] = [];
  for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
    const r = rng(seed);
    const text = statement(r, seed % 2 === 0);
    const st = plainStatement(text);
    if (!st) continue;
    const commands = st.flat();
    // Redirections (`> f`, `2>&1`) are compared with the node walk by the next test.
    if (commands.some((c) => c.command.redirects)) continue;
    // Trailing blanks and newlines end the statement (the split hands them over with it). A lone `!`
    // argument is a word (one in command position is caught as a reserved word below).
    if (unquotedSpecials(text.replace(/[ \t\n]+$/, '').replace(/(?<=[ \t])!(?=[ \t]|$)/g, '')).length) bad.push(`seed ${seed}: accepted ${JSON.stringify(text)}`);
    // As written: `\{` or `'if'` is a quoted word, which bash runs as a program.
    if (commands.some((c) => RESERVED.has(c.command.words[0]?.raw ?? ''))) bad.push(`seed ${seed}: reserved word read as a program in ${JSON.stringify(text)}`);
    const plain: Read = st.flatMap((pipeline) => pipeline.map((c, k): Read[number] => [c.column, k > 0]));
    const tree = shell.parse(text)!;
    const fromTree = tree.rootNode.hasError ? undefined : readTree(tree.rootNode);
    tree.delete();
    const missed = (read: Read | undefined): boolean => !!read && read.some(([column, piped]) => !plain.some(([c, p]) => c === column && p === piped));
    // Where tree-sitter cannot read the statement (`c_%`, `x\\#`: bash reads them as plain words) only bash is compared.
    // The reader must not miss a command the tree sees (it may see more: the tree drops some, as in
    // `echo = | A=\\?y grep x`, and adds one after a trailing `& `; bash agrees with the reader there).
    if (missed(fromTree) && !/&\s+$/.test(text)) bad.push(`seed ${seed}: ${JSON.stringify(text)} commands ${JSON.stringify(plain)}, tree ${JSON.stringify(fromTree)}`);
    for (const c of commands) checked.push({ seed, text, words: c.command.words.map((w) => w.raw), texts: c.command.words.map((w) => w.text) });
  }
  assert.ok(checked.length > 2000, `only ${checked.length} commands accepted`);
  const fromBash = bashWords(checked.map((c) => c.words));
  checked.forEach((c, k) => {
    // A word's text keeps its variables as written, concatenated (`$x"a"` is `$xa`): compared as `$name`, braces dropped.
    const unbrace = (t: string): string => t.replaceAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, '$$$1');
    const expected = fromBash[k]!.map((w) => unbrace(w.replaceAll(/@V:([A-Za-z_0-9]+)@/g, '$$$1')));
    const mine = c.texts.map(unbrace);
    // Tilde expansion is left as written by both readers (`~` is a directory, never a program).
    if (c.words.some((w) => w.includes('~'))) return;
    // `$0` and `$_` are bash's own (shell name, last argument): the reader marks the word dynamic, as for any variable.
    // The same for special parameters (`$$`, `$@`, …), which bash expands to its own values.
    if (c.words.some((w) => /\$(0|_(?![A-Za-z0-9_])|[$@*?!#-])/.test(w))) return;
    if (JSON.stringify(mine) !== JSON.stringify(expected)) bad.push(`seed ${c.seed}: ${JSON.stringify(c.text)} words ${JSON.stringify(mine)}, bash ${JSON.stringify(expected)}`);
  });
  assert.deepEqual(bad.slice(0, 20), []);
});

/** Programs and words for statements with substitutions, including ones tree-sitter reads its own way (`-`, `a@`, `_=`, `==`). */
const SUB_PROGRAMS = ['ls', 'rm', 'grep', 'echo', 'cat', 'test', 'sudo', 'env', 'curl', 'find', 'xargs', 'sh', '1', '.', 'a.b', 'a-b', './x'];
const SUB_ODD_PROGRAMS = ['time', 'b\\ c', '$$', '"$@"', '!', 'if', '[', 'x=1', '-', 'a@', 'a%', '_=', '"rm"', '\\rm', 'a+:', '-r', '%d', '~', '*.c', '$x'];
const SUB_WORDS = ['a', '-r', '/etc/x', 'b.c', '==', '=~', '=', '!=', '-eq', '!', '!x', 'a!', '!!', '"a$"', '"$"', '"a$/b"', '"(a$|b$)"', '"a$.b"', '"$)"', '"a$ b"', '"$-"', '"$ "', '"a$\\""', '"$x$"', '"a$"b', 'x"$"', '"a$"$x', '"\\.txt$"', '$$', '$@', '"$@"', '$*', '$?x', '"a$#b"', '$-', '$!', 'x$$', 'x$@', '$$$$', '$@$x', '"$$"', '$$\\x', "$$'a'", '$@"x"', '$#{}', '"$@"x', '"a$@"', '"$$"$x', '"$#"\'a\'', '"$# "', '"$$a"',
  "$'\\n'", "x$'a'", "$'a\\tb'", "$'it\\'s'", "$'a\\\\'b'", "$'\\x41'", "$'a'b", "$'a'\"b\"", "$''", "$'\\0'", "$'\\c['", "$'a|b'", "$'a b'", "\"$'a'\"", "$'a\\\\'", "'x'$'y'", '$x$\'y\'',
  'a\\ "b"', "a\\ 'b'", 'a\\ {}', 'a\\ \\x', 'a\\ $(b)', 'a\\ `b`', 'a\\ b\\ c', '1\\ ', '-\\ ', 'a"b"\\ c', 'a$x\\ c', 'b\\ c', '-d\\ ', 'x\\ \\ y', '$x\\ b', '{}\\ b', '"x"\\ y', 'a\\\tb', '~/a\\ b', '*.c\\ x', '--x=a\\ b', '\\ b', 'a\\ $x', '{}', '\\;', '$x', '${y}', '$1', "'a b'", '"a b"', '"$x"', '*.c', '~', '%d', 'a=b', '-', '--', ':', '+', '\\ ', '1', '0x1',
  '{}.bak', 'dest/{}', '-I{}', 'a{}b', '{}{}', '{}\\;', "'a'{}", '"a"{}', '$x{}', '${x}{}', '{}$x', '\\a{}', '{}\\a', 'a\\{}', '{}}', '{}{', '"a\\"b"', '"a\\\\"', '"\\$x"', '"\\n"', '"a\\`b"', '"\\\\$x"', '"%P\\0"', '"a\\'];
const SUB_NEAR = ['\\$(a)', "'$(a)'", '$(a \\))', "$(a 'b)c')", '$(a "b)c")', '$("a")', '$(\\a)', '$(a \\ b)', '"$(a "b c")"', '"$(a \\"b\\")"', '$(a)\'b\'', '{}$(a)', '$x$(a)', '$(a)$x',
  '"$(a)"x', '"$(a) $(b)"', '$(a)=', '=$(a)', '$( a)', '$(a )', '$(a;b)', '$(a&&b)', '$(a||b)', '$(a|b)', '$(a & b)', '$(a;;)', '$(!a)', '$(a)#', '$(\ta)', '$(A=1)', '$(A=1 a)', '$(if)',
  '$(time a)', '$({})', '$(a {})', '$(~)', '$((1))', '$(', ')', '`id`', '"`id`"', '$(a', '$( )', '$()', '$(#)', '$(a\n)', '$[1]', '$(<f)', '$(a >f)', '`a`', '`a b`', '"`a`"', '"x`a`"', '`a`x', 'x`a`', '`a``b`', '`a` `b`', '`a \\`b\\``', '`a \\$x`', '"`a "b"`"', "`a 'b'`", '`$(a)`', '$(`a`)', '`a | b`', '`a;`', '` a `', '<(a)', '>(a)', '<( a )', '<(a)b', 'a<(b)', '"<(a)"', '<<(a)', '< <(a)', '<((a))', '>(a >f)', '=<(a)'];

function subWord(r: () => number, depth: number, near: boolean): string {
  const x = r();
  if (near && x < 0.08) return pick(r, SUB_NEAR);
  if (depth < 2 && x < 0.35) {
    const body = `${r() < 0.15 ? ' ' : ''}${subStatement(r, depth + 1, near)}${r() < 0.15 ? pick(r, [' ', ';', ' &', ' ;']) : ''}`;
    const kind = r();
    const sub = kind < 0.25 ? `\`${body}\`` : kind < 0.4 ? `${pick(r, ['<', '>'])}(${body})` : `$(${body})`;
    const shape = r();
    if (shape < 0.5) return sub;
    if (shape < 0.65) return `"${sub}"`;
    if (shape < 0.75) return `"a ${sub} b"`;
    if (shape < 0.85) return `a${sub}`;
    if (shape < 0.88) return `${sub}/b`;
    if (shape < 0.92) return pick(r, [`'x'${sub}`, `$x${sub}`, `${sub}"y"`, `\\x${sub}`, `${sub}$1`, `"${sub}"${sub}`]);
    return `${sub}${sub}`;
  }
  return pick(r, SUB_WORDS);
}

/** Redirections, most with a plain target; some tree-sitter reads its own way (`0<f`, `>|f`, `> f x`). */
const REDIRECTS = ['> f', '>f', '2>/dev/null', '2> /dev/null', '2>&1', '>&2', '>> log', '>>log', '&> f', '&>> f', '< in', '<in', '1> f', '> *.c', '> ~/x', '>& f', '> a=b', '>&-', '> $x', '> "f"', '0<f', '>|f', '3>f', '> f x', '<<EOF', '<<<x', '2>', '>', '<=.~-9', '&>=9c'];

function subCommand(r: () => number, depth: number, near: boolean): string {
  let s = r() < 0.1 ? `A=${subWord(r, depth, near)} ` : '';
  s += r() < 0.85 ? pick(r, r() < 0.8 ? SUB_PROGRAMS : SUB_ODD_PROGRAMS) : subWord(r, depth, near);
  const args = Math.floor(r() * 4);
  for (let a = 0; a < args; a++) s += r() < 0.05 ? ` ${pick(r, REDIRECTS)}` : ` ${subWord(r, depth, near)}`;
  if (r() < 0.3) s += ` ${pick(r, REDIRECTS)}`;
  if (r() < 0.1) s += `${pick(r, [' ', ''])}${pick(r, REDIRECTS)}`;
  return s;
}

function subStatement(r: () => number, depth: number, near: boolean): string {
  // A lone assignment (`X=$(…)`), sometimes with more after it.
  if (r() < 0.12) {
    const assignment = `${pick(r, ['A', '_x', 'B1', '1A', 'A-'])}${pick(r, ['=', '+=', '=='])}${subWord(r, depth, near)}${r() < 0.3 ? subWord(r, depth, near) : ''}`;
    return r() < 0.8 ? assignment : `${assignment}${pick(r, [' | ', ' && ', '; ', ' ', ';', ' &'])}${subCommand(r, depth, near)}`;
  }
  let s = subCommand(r, depth, near);
  const more = Math.floor(r() * (depth ? 2 : 3));
  for (let c = 0; c < more; c++) s += pick(r, [' | ', ' && ', ' || ', '; ', ' & ', '|']) + subCommand(r, depth, near);
  return s;
}

/** True when a statement read from text uses an extended shape (`$(…)`, `{}` in a word, `\` in double quotes, a redirection, `X=$(…)`). */
function extended(st: PlainStatement): boolean {
  return st.flat().some((c) => c.command.extended);
}

test('statements with $(…), {} in words, escapes in double quotes or redirections read from their text give exactly the node walk of their tree', async () => {
  const { shell } = await getParsers();
  const engine = await getEngine();
  const bad: string[] = [];
  let compared = 0;
  for (let seed = FIRST_SEED; seed < FIRST_SEED + SEEDS; seed++) {
    const r = rng(seed);
    const text = subStatement(r, 0, seed % 2 === 0);
    const st = plainStatement(text);
    if (!st || !extended(st)) continue;
    compared++;
    const textWalk: Analysis = { invocations: [], findings: [] };
    walkPlainStatement(engine, st, { via: [], depth: 0 }, textWalk);
    const tree = shell.parse(text)!;
    const nodeWalk: Analysis = { invocations: [], findings: [] };
    // `false`: commands with extended shapes are walked node by node, as before the reader took them.
    walkShell(engine, tree.rootNode, { via: [], depth: 0 }, nodeWalk, false);
    const error = tree.rootNode.hasError;
    tree.delete();
    if (error) bad.push(`seed ${seed}: accepted ${JSON.stringify(text)}, which tree-sitter does not parse`);
    else if (JSON.stringify(textWalk) !== JSON.stringify(nodeWalk)) bad.push(`seed ${seed}: ${JSON.stringify(text)}\n  text ${JSON.stringify(textWalk)}\n  tree ${JSON.stringify(nodeWalk)}`);
  }
  assert.ok(compared > 200, `only ${compared} statements with substitutions accepted`);
  assert.deepEqual(bad.slice(0, 10), []);
});
