/**
 * Temporary directories for tests, removed when the test file's process exits (`node --test` runs
 * each file in a process of its own), so the suite leaves nothing in the temp directory.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A new directory under the temp directory (its real path), removed at exit. */
export function scratchDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}
