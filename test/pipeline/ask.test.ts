/**
 * The whole pipeline through the CLI: an `ask` waits for a human who answers from another
 * process; a deny and silence both stop the run; the audit log records every stage.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { airlock, BIN } from '../cli/helpers.js';
import { cleanup, tempDir } from '../sandbox/helpers.js';

function start(args: string[], cwd: string) {
  const child = spawn(BIN, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => { stdout += c; });
  child.stderr.on('data', (c) => { stderr += c; });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { done, stderr: () => stderr };
}

async function pendingId(cwd: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const list = JSON.parse(airlock(['approvals', 'list', '--json'], { cwd }).stdout || '[]');
    const items = Array.isArray(list) ? list : list.approvals ?? list.pending ?? [];
    if (items.length) return items[0].id as string;
    await sleep(100);
  }
  throw new Error('no pending approval appeared');
}

describe('pipeline: ask, approve, deny, expire', () => {
  let ws: string;
  before(() => {
    ws = tempDir('airlock-ask-');
    writeFileSync(path.join(ws, 'airlock.policy.yaml'), [
      'commands:',
      '  - { match: "touch approved.txt", verdict: ask, reason: "touching needs a person" }',
      'approvals: { timeout: 20s }',
    ].join('\n'));
  });
  after(() => cleanup(ws));

  it('waits for an approval from another process, then runs', async () => {
    const run = start(['run', '--', 'touch', 'approved.txt'], ws);
    const id = await pendingId(ws);
    for (let i = 0; i < 50 && !run.stderr().includes(id); i++) await sleep(100);
    assert.match(run.stderr(), new RegExp(`airlock approvals approve ${id}`));
    assert.equal(existsSync(path.join(ws, 'approved.txt')), false, 'ran before the approval');
    assert.equal(airlock(['approvals', 'approve', id], { cwd: ws }).code, 0);
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(existsSync(path.join(ws, 'approved.txt')), true);
  });

  it('a denial stops the run with exit 126', async () => {
    const plain = start(['run', '--', 'touch', 'approved.txt'], ws);
    const id = await pendingId(ws);
    airlock(['approvals', 'deny', id, '--reason', 'not today'], { cwd: ws });
    const r = await plain.done;
    assert.equal(r.code, 126);
    assert.match(r.stderr, /denied/i);
  });

  it('silence past approvals.timeout is a deny', async () => {
    writeFileSync(path.join(ws, 'short.yaml'), 'workspace: .\ncommands: [{ match: "touch never.txt", verdict: ask }]\napprovals: { timeout: 1s }\n');
    const r = airlock(['run', '--policy', 'short.yaml', '--json', '--', 'touch', 'never.txt'], { cwd: ws });
    assert.equal(r.code, 126);
    const out = JSON.parse(r.stdout);
    assert.equal(out.verdict, 'deny');
    assert.match(out.reasons.join(' '), /timeout/);
    assert.equal(existsSync(path.join(ws, 'never.txt')), false);
  });

  it('records request, decision, approval and run in a log that verifies', () => {
    const v = airlock(['audit', 'verify'], { cwd: ws });
    assert.equal(v.code, 0, v.stdout + v.stderr);
    const types = airlock(['audit', 'export'], { cwd: ws }).stdout.trim().split('\n').map((l) => JSON.parse(l).type);
    for (const t of ['policy.loaded', 'action.requested', 'decision.made', 'approval.requested', 'approval.answered', 'run.started', 'run.finished']) {
      assert.ok(types.includes(t), `missing ${t} in ${[...new Set(types)].join(', ')}`);
    }
  });

  it('the sandbox cannot read or forge the audit store it runs next to', () => {
    const r = airlock(['run', '--', 'sh', '-c', 'ls -A .airlock; echo forged > .airlock/audit.db'], { cwd: ws });
    assert.notEqual(r.code, 0);
    assert.equal(airlock(['audit', 'verify'], { cwd: ws }).code, 0);
  });
});
