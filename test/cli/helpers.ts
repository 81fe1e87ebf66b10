/** Runs the built `bin/airlock` as a user would, returning its exit code and output. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import path from 'node:path';

export const BIN = path.resolve('bin/airlock');

/** Spawns `bin/airlock ARGS…` (build first: `npm run build`). */
export function airlock(args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 60_000, ...options });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}
