/** `airlock audit` as a user runs it: verify's exit codes and messages, tail, export, keygen. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { cleanup, cli, fill, openTemp, RUN_CLI, tempDir, TSX } from './helpers.js';

describe('airlock audit', () => {
  let dir: string;
  let db: string;
  let key: string;
  before(() => {
    dir = tempDir('airlock-audit-cli-');
    db = path.join(dir, 'audit.db');
    key = path.join(dir, 'audit-key.pem');
    const made = cli(['audit', 'keygen', key]);
    assert.equal(made.code, 0, made.stderr);
    const log = openTemp(dir, { signingKeyPath: key, checkpointEvery: 10 });
    fill(log, 25);
    log.close();
  });
  after(() => cleanup(dir));

  it('keygen writes a private key only its owner can read, and a public key', () => {
    assert.equal(statSync(key).mode & 0o777, 0o600);
    assert.match(readFileSync(`${key}.pub`, 'utf8'), /BEGIN PUBLIC KEY/);
    assert.equal(cli(['audit', 'keygen', key]).code, 2, 'refuses to overwrite a key');
  });

  it('verify: exit 0 and a summary when intact, with signatures checked', () => {
    const r = cli(['audit', 'verify', '--db', db, '--public-key', `${key}.pub`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^intact: 27 events/);
    assert.match(r.stdout, /2 signatures verified/);
    const j = cli(['audit', 'verify', '--db', db, '--json']);
    const out = JSON.parse(j.stdout);
    assert.equal(out.intact, true);
    assert.equal(out.checkpoints.unchecked, 2);
  });

  it('tail shows the last events; --json prints one object per line', () => {
    const r = cli(['audit', 'tail', '-n', '3', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 3);
    assert.match(r.stdout, /^#25 /);
    const j = cli(['audit', 'tail', '-n', '5', '--json', '--type', 'decision', '--db', db]);
    const lines = j.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.length > 0 && lines.every((e) => e.type === 'decision.made'));
  });

  it('tail -f prints events appended by another process while it follows', async () => {
    const sub = path.join(dir, 'follow');
    const first = openTemp(sub);
    first.append('action.requested', { summary: 'before' });
    first.close();
    const child = spawn(process.execPath, ['--import', TSX, '-e', RUN_CLI, 'audit', 'tail', '-f', '-n', '1', '--json', '--db', path.join(sub, 'audit.db')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    // Wait until it printed the last existing event: from then on it is following.
    for (let i = 0; i < 600 && !out.includes('before'); i++) await new Promise((r) => setTimeout(r, 100));
    const log = openTemp(sub);
    log.append('action.requested', { summary: 'followed event' }, { agent: 'tail-test' });
    log.close();
    for (let i = 0; i < 600 && !out.includes('followed event'); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    await new Promise((r) => child.on('close', r));
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((e) => e.payload.summary), ['before', 'followed event']);
  });

  it('export writes verifiable JSONL and OTLP/JSON', () => {
    const out = path.join(dir, 'audit.jsonl');
    assert.equal(cli(['audit', 'export', '--db', db, '--out', out]).code, 0);
    const events = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(events.length, 27);
    assert.equal(events[1].prevHash, events[0].hash);
    const otel = JSON.parse(cli(['audit', 'export', '--format', 'otel', '--db', db]).stdout);
    const records = otel.resourceLogs[0].scopeLogs[0].logRecords;
    assert.equal(records.length, 27);
    assert.ok(records[0].attributes.some((a: { key: string }) => a.key === 'airlock.event.hash'));
  });

  it('verify: exit 1 naming the first bad event after tampering', () => {
    const h = new Database(db);
    h.prepare("UPDATE audit_events SET payload = replace(payload, 'echo 12', 'echo 99') WHERE seq = 14").run();
    h.close();
    const r = cli(['audit', 'verify', '--db', db]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /TAMPERED/);
    assert.match(r.stdout, /first bad event: #14 /);
  });

  it('finds the store through the policy found upward, and checks signatures with its key', () => {
    const project = path.join(dir, 'project');
    mkdirSync(path.join(project, 'sub'), { recursive: true });
    writeFileSync(path.join(project, 'airlock.policy.yaml'), `version: 1\naudit:\n  store: state/audit.db\n  signingKey: ${key}\n  checkpointEvery: 5\n`);
    const log = openTemp(path.join(project, 'state'), { signingKeyPath: key, checkpointEvery: 5 });
    fill(log, 12);
    log.close();
    const r = cli(['audit', 'verify'], { cwd: path.join(project, 'sub') });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /intact: 14 events/);
    assert.match(r.stdout, /2 signatures verified/);
  });

  it('explains a missing database and bad usage', () => {
    const r = cli(['audit', 'verify', '--db', path.join(dir, 'nope.db')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no audit database at .*nope\.db/);
    assert.equal(existsSync(path.join(dir, 'nope.db')), false, 'verify never creates a database');
    assert.match(cli(['audit', '--help']).stdout, /airlock audit verify/);
    assert.equal(cli(['audit', 'frobnicate', '--db', db]).code, 2);
  });
});
