/**
 * @module sandbox/files/snapshot
 * Takes a bounded snapshot of a workspace's files (path, size, mtime, sha-256 of the content)
 * for the before/after file-change manifest (`verify/files`). Bounded on purpose: it stops after
 * `maxFiles` entries or `maxBytes` hashed and says so in `notes`; big files are compared by size
 * and mtime instead of hashed. Symlinks are recorded (their target hashed), never followed.
 */
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { FileEntry, Snapshot } from '../../verify/files.js';

/** Limits of a snapshot. */
export interface SnapshotOptions {
  /** Stop after this many entries (default 20 000). */
  maxFiles?: number;
  /** Stop hashing after this many bytes in total (default 256 MiB); later files use size+mtime. */
  maxBytes?: number;
  /** Files larger than this are not hashed (default 16 MiB). */
  maxFileBytes?: number;
  /** Directory names skipped entirely (default: none; `.git` objects are walked like any file). */
  skipDirs?: string[];
}

/**
 * Snapshots `root` (paths in the result are relative, with `/`).
 *
 * @example
 * const before = takeSnapshot('/work/ws');
 * // … run …
 * const diff = diffSnapshots(before, takeSnapshot('/work/ws'));
 */
export function takeSnapshot(root: string, options: SnapshotOptions = {}): Snapshot {
  const maxFiles = options.maxFiles ?? 20_000;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const maxFileBytes = options.maxFileBytes ?? 16 * 1024 * 1024;
  const skip = new Set(options.skipDirs ?? []);
  const files: Record<string, FileEntry> = {};
  const notes: string[] = [];
  let count = 0;
  let hashed = 0;
  let truncated = false;
  let bytesNoted = false;
  const stack: string[] = [''];
  while (stack.length && !truncated) {
    const rel = stack.pop()!;
    let entries: Dirent[];
    try {
      entries = readdirSync(path.join(root, rel), { withFileTypes: true });
    } catch (error) {
      notes.push(`could not list ${rel || '.'}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!skip.has(entry.name)) stack.push(relPath);
        continue;
      }
      if (count >= maxFiles) {
        truncated = true;
        notes.push(`stopped after ${maxFiles} files (maxFiles)`);
        break;
      }
      count++;
      const abs = path.join(root, relPath);
      try {
        const st = lstatSync(abs);
        const item: FileEntry = { size: st.size, mtimeMs: st.mtimeMs, type: st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other' };
        if (item.type === 'symlink') item.hash = createHash('sha256').update(readlinkSync(abs)).digest('hex');
        else if (item.type === 'file' && st.size <= maxFileBytes && hashed + st.size <= maxBytes) {
          item.hash = createHash('sha256').update(readFileSync(abs)).digest('hex');
          hashed += st.size;
        } else if (item.type === 'file' && !bytesNoted && hashed + st.size > maxBytes) {
          bytesNoted = true;
          notes.push(`hashing stopped after ${maxBytes} bytes (maxBytes); later files compared by size and mtime`);
        }
        files[relPath] = item;
      } catch (error) {
        notes.push(`could not read ${relPath}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
    }
  }
  return { files, truncated, notes };
}

/** How far into a file a NUL byte marks it as binary, not text. */
const BINARY_PROBE = 8192;

/**
 * The first `maxBytes` of a file, or undefined when it is binary (a NUL in its first 8 KiB).
 * Throws when the file cannot be opened.
 *
 * @example
 * readTextStart('notes.txt', 1024)?.toString('utf8')
 */
export function readTextStart(file: string, maxBytes: number): Buffer | undefined {
  const buf = Buffer.alloc(maxBytes);
  const fd = openSync(file, 'r');
  let got = 0;
  try {
    got = readSync(fd, buf, 0, maxBytes, 0);
  } finally {
    closeSync(fd);
  }
  return buf.subarray(0, Math.min(got, BINARY_PROBE)).includes(0) ? undefined : buf.subarray(0, got);
}

/**
 * Reads the text of created/modified files for scanning, bounded: the first `maxFileBytes` of each
 * file (default 1 MiB) and `maxTotal` in all (default 8 MiB); binary files (a NUL in the first
 * 8 KiB) are skipped. A file cut short is still scanned on its first part.
 *
 * @example
 * verifyOutput({ stdout, stderr, files: readChangedText(ws, [...diff.created, ...diff.modified]), policy })
 */
export function readChangedText(root: string, paths: readonly string[], maxFileBytes = 1024 * 1024, maxTotal = 8 * 1024 * 1024): Array<{ path: string; content: string }> {
  const out: Array<{ path: string; content: string }> = [];
  let total = 0;
  for (const rel of paths) {
    try {
      const st = lstatSync(path.join(root, rel));
      const want = Math.min(st.size, maxFileBytes, maxTotal - total);
      if (!st.isFile() || want <= 0) continue;
      const text = readTextStart(path.join(root, rel), want);
      if (!text) continue;
      total += text.length;
      out.push({ path: rel, content: text.toString('utf8') });
    } catch {
      // deleted or unreadable between diff and read: nothing to scan
    }
  }
  return out;
}
