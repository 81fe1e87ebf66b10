/**
 * The `airlock run` and `airlock exec` commands as a user runs them: exit codes, `--json`,
 * stdin, `--`, and refusing clearly when the sandbox is unavailable.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanup, tempDir } from '../sandbox/helpers.js';
import { airlock } from './helpers.js';


describe('airlock run / exec', () => {
  let ws: string;
  before(() => { ws = tempDir('airlock-cli-'); });
  after(() => cleanup(ws));

  it('runs the command contained and exits with its code', () => {
    const r = airlock(['run', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], { cwd: ws });
    assert.equal(r.code, 3);
    assert.equal(r.stdout, 'out\n');
    assert.equal(r.stderr, 'err\n');
  });

  it('with --json prints exactly one JSON object of the documented shape', () => {
    const r = airlock(['run', '--json', '--', 'python3', '-c', 'print(6*7)'], { cwd: ws });
    assert.equal(r.code, 0);
    const out = JSON.parse(r.stdout);
    for (const key of ['verdict', 'exitCode', 'stdout', 'stderr', 'findings', 'limits', 'network', 'files', 'durationMs', 'auditId']) {
      assert.ok(key in out, `missing ${key}`);
    }
    assert.equal(out.verdict, 'allow');
    assert.equal(out.stdout, '42\n');
    assert.equal(out.limits.timedOut, false);
    assert.deepEqual(out.files.changed, []);
  });

  it('says on stderr why output was withheld or masked', () => {
    // The program finds the planted ~/.aws/credentials by listing the home, which inspection cannot follow.
    const steal = "import os; h=os.path.expanduser('~'); d=[x for x in os.listdir(h) if x.startswith('.a')][0]; print(open(h+'/'+d+'/credentials').read())";
    const withheld = airlock(['run', '--', 'python3', '-c', steal], { cwd: ws });
    assert.equal(withheld.stdout, '');
    assert.match(withheld.stderr, /stdout withheld: it contains canary\.token/);
    const masked = airlock(['run', '--', 'sh', '-c', 'echo token=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'], { cwd: ws });
    assert.equal(masked.stdout, 'token=[REDACTED:secrets.github-token]\n');
    assert.match(masked.stderr, /stdout: 1 match\(es\) redacted per policy/);
  });

  it('passes stdin through', () => {
    const r = airlock(['run', '--', 'tr', 'a-z', 'A-Z'], { cwd: ws, input: 'shout' });
    assert.equal(r.stdout, 'SHOUT');
  });

  it('never reads the command\'s options as its own', () => {
    const r = airlock(['run', 'python3', '-c', 'pass'], { cwd: ws });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /put `--` before the command/);
    const ok = airlock(['run', '--', 'python3', '-c', 'print("--json")'], { cwd: ws });
    assert.equal(ok.stdout, '--json\n');
  });

  it('uses --workspace as the only writable tree', () => {
    const other = tempDir('airlock-cli-other-');
    try {
      const r = airlock(['run', '--workspace', other, '--', 'sh', '-c', `touch ${other}/in.txt ${ws}/out.txt`], { cwd: ws });
      assert.notEqual(r.code, 0);
      assert.equal(existsSync(path.join(other, 'in.txt')), true);
      assert.equal(existsSync(path.join(ws, 'out.txt')), false);
    } finally {
      cleanup(other);
    }
  });

  it('exec runs python, javascript and shell snippets from stdin or a file', () => {
    assert.equal(airlock(['exec', '--lang', 'python'], { cwd: ws, input: 'print(sum(range(10)))' }).stdout, '45\n');
    assert.equal(airlock(['exec', '--lang', 'javascript', '-'], { cwd: ws, input: 'console.log([1,2,3].length)' }).stdout, '3\n');
    writeFileSync(path.join(ws, 'snippet.sh'), 'echo "$((6*7))"');
    assert.equal(airlock(['exec', '--lang', 'shell', path.join(ws, 'snippet.sh')], { cwd: ws }).stdout, '42\n');
    const bad = airlock(['exec', '--lang', 'cobol'], { cwd: ws, input: 'x' });
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /--lang must be one of shell, python, javascript/);
  });

  it('exec takes a file\'s language from its #! line or its extension, and says what it cannot tell', () => {
    writeFileSync(path.join(ws, 'tool'), '#!/usr/bin/env python3\nprint(6 * 7)\n');
    writeFileSync(path.join(ws, 'count.mjs'), 'console.log([1, 2].length)\n');
    writeFileSync(path.join(ws, 'notes.txt'), 'x\n');
    assert.equal(airlock(['exec', path.join(ws, 'tool')], { cwd: ws }).stdout, '42\n');
    assert.equal(airlock(['exec', path.join(ws, 'count.mjs')], { cwd: ws }).stdout, '2\n');
    const unknown = airlock(['exec', path.join(ws, 'notes.txt')], { cwd: ws });
    assert.equal(unknown.code, 125);
    assert.match(unknown.stderr, /cannot tell the language of .*notes\.txt.*pass --lang/);
    assert.match(airlock(['exec'], { cwd: ws, input: 'print(1)' }).stderr, /code on stdin needs --lang/);
    assert.match(airlock(['exec', path.join(ws, 'missing.py')], { cwd: ws }).stderr, /cannot read .*missing\.py: ENOENT/);
  });

  it('exits 125 with a clear message when the sandbox is unavailable, and never runs unconfined', () => {
    const r = airlock(['run', '--', 'touch', path.join(ws, 'unconfined')], { cwd: ws, env: { ...process.env, AIRLOCK_BWRAP: '/nonexistent/bwrap' } });
    assert.equal(r.code, 125);
    assert.match(r.stderr, /bubblewrap \(bwrap\) is not installed/);
    assert.match(r.stderr, /hint:/);
    assert.equal(existsSync(path.join(ws, 'unconfined')), false);
  });

  it('reports a bad policy file with every problem and exits 125', () => {
    const p = path.join(ws, 'bad.yaml');
    writeFileSync(p, 'limits: { memory: lots }\nnetwrok: {}\n');
    const r = airlock(['run', '--policy', p, '--', 'true'], { cwd: ws });
    assert.equal(r.code, 125);
    assert.match(r.stderr, /limits\.memory/);
    assert.match(r.stderr, /netwrok/);
  });
});

describe('airlock itself', () => {
  it('prints its version and a help that lists every command', () => {
    const v = airlock(['--version']);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    const h = airlock(['--help']);
    assert.equal(h.code, 0);
    for (const c of ['run', 'exec', 'check', 'scan', 'policy', 'audit', 'approvals', 'mcp', 'serve', 'hook', 'demo']) assert.match(h.stdout, new RegExp(`\\n  ${c} `));
    const bad = airlock(['frobnicate']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown command "frobnicate"/);
  });
});
