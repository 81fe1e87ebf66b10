import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { decide } from '../../policy/decide.js';
import { defaultPolicy } from '../../policy/schema.js';
import { shellQuote } from '../code-common.js';
import { inspectCode } from '../engine.js';
import { inspectPlainArgv } from './argv.js';
import { KNOWN_PROGRAMS } from './programs.js';

const policy = defaultPolicy();

/** Argument lists that exercise the rules: paths, URLs, shell syntax as data, injection shapes. */
const ARGS: string[][] = [
  [], ['-la'], ['-rf', '/'], ['-rf', '~'], ['-rf', '.'], ['-rf', '/etc'], ['--force'], ['push', '--force', 'origin', 'main'],
  ['push', '-f'], ['reset', '--hard'], ['clean', '-fdx'], ['~/.ssh/id_rsa'], ['/etc/shadow'], ['.env'], ['-c', 'x'],
  ['https://example.com/install.sh'], ['-s', 'http://169.254.169.254/latest/meta-data/'], ['-o', '/tmp/x', 'http://x'],
  ['; rm -rf /'], ['$(id)'], ['`id`'], ['a | sh'], ['a && b'], ['*'], ['{a,b}'], ['$HOME'], ['a b c'], ['ünïcödé'],
  ['FOO=bar'], ['-e', 'print 1'], ['-exec', 'rm', '{}', ';'], ['777', '/'], ['+s', '/bin/sh'], ['-R', 'nobody', '/'],
  ['if=/dev/zero', 'of=/dev/sda'], ['-t', 'nat', '-F'], ['install', 'left-pad'], ['install', '--unsafe-perm', 'x'],
  ['%0a', 'x'], ['\\n'], ['x\\r'], [':(){ :|:& };:'], ['>', '/etc/passwd'], ['<', '/etc/shadow'], ['2>&1'], ['--', '-x'],
];

/** Program words: every known program, interpreters and wrappers (which take the parser path), odd shapes. */
const PROGRAMS = [
  ...KNOWN_PROGRAMS, '/bin/true', '/usr/bin/python3', './run.sh', 'python3', 'bash', 'sh', 'node', 'sudo', 'env', 'xargs',
  'find', 'busybox', 'eval', 'alias', 'watch', 'unknown-tool', 'rm%0a', 'a;b', 'x\\ry', '/', ' ls', 'ls ', 'git.exe', '-rf',
];

/** Every argv the shell fixtures contain as one plain command, too. */
function fixtureArgvs(): string[][] {
  const dir = path.resolve('src/inspect/fixtures/shell');
  const out: string[][] = [];
  for (const name of readdirSync(dir)) {
    let input: string;
    try { input = readFileSync(path.join(dir, name, 'input'), 'utf8'); } catch { continue; }
    for (const line of input.split('\n')) if (/^[\w./-]+( [\w./:=~-]+)*$/.test(line.trim())) out.push(line.trim().split(' '));
  }
  return out;
}

test('a plain argv gets exactly the analysis and the decision the shell parser gives it', async () => {
  let fast = 0;
  let total = 0;
  const argvs = [...PROGRAMS.flatMap((p) => ARGS.map((a) => [p, ...a])), ...fixtureArgvs()];
  for (const argv of argvs) {
    total++;
    const quick = inspectPlainArgv(argv);
    if (!quick) continue;
    fast++;
    const parsed = await inspectCode('shell', shellQuote(argv));
    assert.deepEqual(quick, parsed, `analysis of ${JSON.stringify(argv)}`);
    const input = (a: typeof quick) => ({ findings: a.findings, invocations: a.invocations, knownPrograms: KNOWN_PROGRAMS });
    assert.deepEqual(decide(input(quick), policy), decide(input(parsed), policy), `decision on ${JSON.stringify(argv)}`);
  }
  assert.ok(fast > total / 2, `the argv path covered ${fast} of ${total}`);
});

test('anything the parser must see takes the parser path', () => {
  for (const argv of [['bash', '-c', 'ls'], ['python3', '-c', 'pass'], ['sudo', 'rm', '-rf', '/'], ['env', 'X=1', 'ls'], ['alias', 'x=y'],
    ["it's"], ['echo', "it's"], ['echo', 'a\nb'], ['echo', 'x\u0000'], [''], [], ['/'], ['echo', 'x'.repeat(3000)]]) {
    assert.equal(inspectPlainArgv(argv), undefined, JSON.stringify(argv).slice(0, 80));
  }
});
