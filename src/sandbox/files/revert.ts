/**
 * @module sandbox/files/revert
 * `verify.files.action: revert`: keep the contents of the workspace's protected files before a run
 * (in memory, bounded), then put every protected path the run created, modified or deleted back the
 * way it was. The sandbox is gone when this runs (no process of the run survives it), so nothing
 * races the restore; still, a path is only written through real directories inside the workspace,
 * never through a symlink the run planted. What cannot be restored is named, and the caller falls
 * back to blocking.
 */
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Snapshot } from '../../verify/files.js';

/** Bounds of the in-memory backup. */
export interface BackupOptions {
  /** Files larger than this are not kept (default 4 MiB): a change to one cannot be reverted. */
  maxFileBytes?: number;
  /** Total bytes kept (default 32 MiB). */
  maxBytes?: number;
}

/** A protected file as it was before the run. */
type Saved = { type: 'file'; content: Buffer; mode: number } | { type: 'symlink'; target: string };

/** The protected files of a workspace before a run. */
export interface ProtectedBackup {
  root: string;
  /** Matches a workspace-relative path against `verify.files.protect`. */
  isProtected: (rel: string) => boolean;
  saved: Map<string, Saved>;
  /** Protected paths present before the run that were not kept (too large, unreadable, other types). */
  unsaved: Set<string>;
  /** The snapshot before the run was partial: a path missing from it may have existed, so is not removed. */
  partial: boolean;
}

/** What a revert did. */
export interface RevertReport {
  /** Paths put back as they were (removed if the run created them). */
  reverted: string[];
  /** Paths that could not be put back, each with the reason. */
  failed: Array<{ path: string; reason: string }>;
}

/**
 * Keeps the protected files listed in a snapshot taken before the run.
 *
 * @example
 * const backup = backupProtected(ws, before, policy.verify.files.protect);
 * // … run …
 * revertProtected(backup, diff.changed) // { reverted: ['.git/hooks/pre-commit'], failed: [] }
 */
export function backupProtected(root: string, before: Snapshot, protect: readonly string[], options: BackupOptions = {}): ProtectedBackup {
  const maxFileBytes = options.maxFileBytes ?? 4 * 1024 * 1024;
  let budget = options.maxBytes ?? 32 * 1024 * 1024;
  const isProtected = protect.length ? picomatch([...protect], { dot: true }) : () => false;
  const saved = new Map<string, Saved>();
  const unsaved = new Set<string>();
  for (const [rel, entry] of Object.entries(before.files)) {
    if (!isProtected(rel)) continue;
    const abs = path.join(root, rel);
    try {
      if (entry.type === 'symlink') {
        saved.set(rel, { type: 'symlink', target: readlinkSync(abs) });
      } else if (entry.type === 'file' && entry.size <= maxFileBytes && entry.size <= budget) {
        const st = lstatSync(abs);
        const content = readFileSync(abs);
        budget -= content.length;
        saved.set(rel, { type: 'file', content, mode: st.mode & 0o7777 });
      } else {
        unsaved.add(rel);
      }
    } catch {
      unsaved.add(rel);
    }
  }
  return { root, isProtected, saved, unsaved, partial: before.truncated };
}

/**
 * Checks that every directory between the workspace and `rel` is a real directory (or absent), so
 * a write cannot be redirected outside the workspace by a symlink. Returns why not, or undefined.
 */
function unsafeParent(root: string, rel: string): string | undefined {
  const parts = rel.split('/');
  if (parts.some((p) => p === '..' || p === '' || p === '.')) return 'not a plain workspace path';
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = path.join(dir, part);
    let st;
    try {
      st = lstatSync(dir);
    } catch {
      return undefined; // absent from here down: mkdir creates real directories
    }
    if (st.isSymbolicLink()) return `${path.relative(root, dir)} is now a symlink`;
    if (!st.isDirectory()) return `${path.relative(root, dir)} is no longer a directory`;
  }
  return undefined;
}

function isGone(abs: string): boolean {
  try {
    lstatSync(abs);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR';
  }
}

/**
 * Puts back every protected path among `changed`: created ones are removed, modified and deleted
 * ones get their old content (or link target) and mode. Paths that are not protected are left
 * alone.
 */
export function revertProtected(backup: ProtectedBackup, changed: readonly string[]): RevertReport {
  const report: RevertReport = { reverted: [], failed: [] };
  for (const rel of changed) {
    if (!backup.isProtected(rel)) continue;
    if (backup.unsaved.has(rel)) {
      report.failed.push({ path: rel, reason: 'its old content was not kept (too large or unreadable)' });
      continue;
    }
    const abs = path.join(backup.root, rel);
    const old = backup.saved.get(rel);
    if (!old && backup.partial) {
      report.failed.push({ path: rel, reason: 'the snapshot before the run was partial, so it may have existed' });
      continue;
    }
    if (!old && isGone(abs)) {
      // Created by the run and already removed with a directory an earlier revert put back.
      report.reverted.push(rel);
      continue;
    }
    const why = unsafeParent(backup.root, rel);
    if (why) {
      report.failed.push({ path: rel, reason: why });
      continue;
    }
    try {
      // Whatever is there now (file, link, directory the run put in its place) goes first.
      rmSync(abs, { recursive: true, force: true });
      if (old) {
        mkdirSync(path.dirname(abs), { recursive: true });
        if (old.type === 'symlink') symlinkSync(old.target, abs);
        else {
          writeFileSync(abs, old.content, { flag: 'wx', mode: old.mode });
          chmodSync(abs, old.mode);
        }
      }
      report.reverted.push(rel);
    } catch (error) {
      report.failed.push({ path: rel, reason: (error as NodeJS.ErrnoException).code ?? (error as Error).message });
    }
  }
  return report;
}
