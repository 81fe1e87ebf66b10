/**
 * `airlock scan` as a user runs it (through tsx, no build needed): exit codes 0/1/2, --json,
 * SARIF 2.1.0 required fields and stable rule ids, stdin, --redact, directories walked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

const MAIN = path.resolve('src/surfaces/cli/main.ts');
function scan(args: string[], input?: string, env: NodeJS.ProcessEnv = process.env) {
  const code = `import(${JSON.stringify(MAIN)}).then(async (m) => { process.exitCode = await m.main(['scan', ...process.argv.slice(1)]); })`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code, '--', ...args], { encoding: 'utf8', input, timeout: 60_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const npmToken = (): string => `npm_${Array.from({ length: 36 }, (_, i) => 'Ab3Xy9Qz'[(i * 7 + 3) % 8]).join('')}`;

describe('airlock scan', () => {
  let dir: string;
  let dirty: string;
  let clean: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-scan-'));
    dirty = path.join(dir, 'dirty.log');
    clean = path.join(dir, 'clean.log');
    writeFileSync(dirty, `start\n  NPM_TOKEN=${npmToken()}\nmail jane.roe@corp.io\n`);
    writeFileSync(clean, 'nothing to see\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reports the same findings in a large file with the native passes and without them', () => {
    // Over 64 KiB, so the byte passes run: natively when the addon is built, in JavaScript with
    // AIRLOCK_NATIVE_SCAN=off.
    const big = path.join(dir, 'big.log');
    const lines: string[] = [];
    for (let i = 0; lines.join('\n').length < 200_000; i++) {
      lines.push(`2026-11-26T10:00:${String(i % 60).padStart(2, '0')}Z INFO worker-${i % 7} request ${i} ok`);
      if (i % 400 === 7) lines.push(`  NPM_TOKEN=${npmToken()} card 4111 1111 1111 1111 phone +1 (415) 867-5309 mail j.roe@corp.io`);
    }
    writeFileSync(big, lines.join('\n'));
    const native = scan(['--json', big]);
    const js = scan(['--json', big], undefined, { ...process.env, AIRLOCK_NATIVE_SCAN: 'off' });
    assert.equal(native.code, 1, native.stderr);
    assert.equal(js.code, 1, js.stderr);
    assert.ok(JSON.parse(native.stdout).findings.length >= 4);
    assert.deepEqual(JSON.parse(native.stdout), JSON.parse(js.stdout));
  });

  it('exits 0 when clean, 1 with findings, 2 on errors', () => {
    assert.equal(scan([clean]).code, 0);
    assert.equal(scan([dirty]).code, 1);
    assert.equal(scan([path.join(dir, 'missing')]).code, 2);
    assert.equal(scan(['--json', '--sarif', clean]).code, 2);
  });

  it('walks a directory: text files below it, not .git, node_modules or binary files', () => {
    const tree = path.join(dir, 'tree');
    for (const d of ['src/deep', '.git', 'node_modules/pkg']) mkdirSync(path.join(tree, d), { recursive: true });
    const line = `NPM_TOKEN=${npmToken()}\n`;
    writeFileSync(path.join(tree, 'src/deep/app.env'), line);
    writeFileSync(path.join(tree, '.git/config'), line);
    writeFileSync(path.join(tree, 'node_modules/pkg/x.js'), line);
    writeFileSync(path.join(tree, 'blob.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(line)]));
    writeFileSync(path.join(tree, 'clean.txt'), 'nothing\n');
    const r = scan(['--json', tree]);
    assert.equal(r.code, 1, r.stderr);
    const sources = JSON.parse(r.stdout).findings.map((f: { location: { source: string } }) => f.location.source);
    assert.deepEqual([...new Set(sources)], [path.join(tree, 'src/deep/app.env')]);
    assert.match(scan([tree]).stderr, /1 finding\(s\) in 2 file\(s\) \(1 binary or over 64 MiB skipped\)/);
    assert.equal(scan(['--redact', tree]).code, 2);
  });

  it('--json prints {"findings": […]} with masked matches and file locations', () => {
    const r = scan(['--json', dirty]);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['findings']);
    const npm = out.findings.find((f: { rule: string }) => f.rule === 'secrets.npm-token');
    assert.deepEqual(npm.location, { line: 2, column: 13, source: dirty });
    assert.ok(!r.stdout.includes(npmToken()), 'raw token in output');
  });

  it('--sarif is a valid SARIF 2.1.0 log (required fields, rule index consistency)', () => {
    const log = JSON.parse(scan(['--sarif', dirty]).stdout);
    assert.equal(log.version, '2.1.0');
    assert.ok(typeof log.$schema === 'string');
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(typeof run.tool.driver.name, 'string');
    assert.ok(run.results.length >= 2);
    for (const res of run.results) {
      assert.equal(typeof res.message.text, 'string');
      assert.ok(['error', 'warning', 'note', 'none'].includes(res.level));
      assert.equal(run.tool.driver.rules[res.ruleIndex].id, res.ruleId);
      const loc = res.locations[0].physicalLocation;
      assert.ok(loc.artifactLocation.uri.length > 0);
      assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
    }
    assert.ok(run.tool.driver.rules.some((r: { id: string }) => r.id === 'pii.email'));
  });

  it('reads stdin, and --redact prints the text with labelled masks', () => {
    const r = scan(['--redact', '-'], `token ${npmToken()} end\n`);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'token [REDACTED:secrets.npm-token] end\n');
  });

  it('--help teaches', () => {
    const r = scan(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Exit codes: 0 nothing found, 1 findings, 2 error/);
  });
});
