/**
 * @module verify/files
 * The file-change manifest: compare two workspace snapshots (taken by `sandbox/files`) and check
 * the changed paths against `verify.files.protect` globs.
 */
import picomatch from 'picomatch';
import type { FileChanges, Finding } from '../core/contracts.js';
import type { VerifyPolicy } from './types.js';

/** One file in a snapshot. */
export interface FileEntry {
  size: number;
  mtimeMs: number;
  /** Content hash (hex); absent when the file was too large to hash (then size+mtime decide). */
  hash?: string;
  /** File type: regular file, symlink (hash = link target hash) or other. */
  type?: 'file' | 'symlink' | 'other';
}

/** A bounded picture of a workspace's files. */
export interface Snapshot {
  /** Workspace-relative POSIX paths. */
  files: Record<string, FileEntry>;
  /** True when limits stopped the walk early: the diff may miss changes. */
  truncated: boolean;
  /** Why the snapshot is partial, one sentence per limit hit. */
  notes: string[];
}

/** The diff of two snapshots, with every list sorted. */
export interface SnapshotDiff extends Required<Omit<FileChanges, 'reverted'>> {
  /** True when either snapshot was partial. */
  partial: boolean;
}

function sameEntry(a: FileEntry, b: FileEntry): boolean {
  if (a.type !== b.type || a.size !== b.size) return false;
  if (a.hash !== undefined && b.hash !== undefined) return a.hash === b.hash;
  return a.mtimeMs === b.mtimeMs;
}

/**
 * Compares snapshots: created, modified and deleted paths, `changed` = all three.
 *
 * @example
 * diffSnapshots(before, after).created // ['new.txt']
 */
export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotDiff {
  const created: string[] = [];
  const modified: string[] = [];
  const deleted: string[] = [];
  for (const [path, entry] of Object.entries(after.files)) {
    const old = before.files[path];
    if (!old) created.push(path);
    else if (!sameEntry(old, entry)) modified.push(path);
  }
  for (const path of Object.keys(before.files)) if (!(path in after.files)) deleted.push(path);
  created.sort();
  modified.sort();
  deleted.sort();
  const changed = [...created, ...modified, ...deleted].sort();
  return { changed, created, modified, deleted, partial: before.truncated || after.truncated };
}

/**
 * Findings (category `file-change`) for changes to protected paths (`verify.files.protect`).
 * Severity is high; the caller applies `verify.files.action` (revert, block, report).
 *
 * @example
 * checkProtected(diff, policy.verify) // [{ rule: 'files.protected-path-changed', … }]
 */
export function checkProtected(diff: FileChanges, policy: Pick<VerifyPolicy, 'files'>): Finding[] {
  const globs = policy.files.protect;
  if (!globs.length) return [];
  const isProtected = picomatch(globs, { dot: true });
  const findings: Finding[] = [];
  const label = (path: string): string =>
    diff.created?.includes(path) ? 'created' : diff.deleted?.includes(path) ? 'deleted' : 'modified';
  for (const path of diff.changed) {
    if (!isProtected(path)) continue;
    findings.push({
      rule: 'files.protected-path-changed',
      severity: 'high',
      category: 'file-change',
      message: `The run ${label(path)} ${path}, which verify.files.protect forbids changing (action: ${policy.files.action})`,
      remediation: 'Protected paths (git hooks, CI workflows…) run code later outside the sandbox; change them by hand if intended.',
      location: { line: 1, column: 1, source: path },
    });
  }
  return findings;
}

/**
 * A finding that says a snapshot was partial, so the manifest may be incomplete.
 *
 * @example
 * partialSnapshotFinding(['stopped after 20000 files']).rule // 'files.snapshot-partial'
 */
export function partialSnapshotFinding(notes: readonly string[]): Finding {
  return {
    rule: 'files.snapshot-partial',
    severity: 'low',
    category: 'file-change',
    message: `The file-change manifest may be incomplete: ${notes.join('; ')}`,
    remediation: 'Raise the snapshot limits or keep large trees (node_modules, build output) out of the workspace.',
  };
}
