/**
 * @module native-scan
 * Finds and loads the output scanner's native passes (native/airlock-scan.c, built into
 * `dist/native/airlock-scan.node` by `npm run build` / scripts/setup.sh when gcc is present) and
 * hands them to the scanner, which stays free of I/O. Loading waits for the first text large
 * enough to use them. Without the addon, or with `AIRLOCK_NATIVE_SCAN=off`, the scanner runs the
 * same passes in JavaScript: same findings, slower on large outputs (docs/verify.md).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { findPackageFile } from './package-files.js';
import { setNativeScan, type NativeScan } from './verify/engine.js';

/** Where the addon sits below the package root. */
export const NATIVE_SCAN_RELATIVE_PATH = path.join('dist', 'native', 'airlock-scan.node');

/**
 * The addon in the package this module belongs to, or null: not built, turned off, or built for
 * another platform or Node ABI (then it fails to load and is not used), or without every pass.
 */
export function loadNativeScan(): NativeScan | null {
  const env = process.env.AIRLOCK_NATIVE_SCAN;
  if (env === 'off' || env === '0') return null;
  const file = findPackageFile(NATIVE_SCAN_RELATIVE_PATH, existsSync);
  if (file === undefined) return null;
  try {
    const mod = createRequire(import.meta.url)(file) as Partial<NativeScan>;
    const complete = typeof mod.keywordHits === 'function' && typeof mod.numericItems === 'function' && typeof mod.longRuns === 'function';
    return complete ? (mod as NativeScan) : null;
  } catch {
    return null;
  }
}

/** Lets the scanner load the native passes when it first needs them. Idempotent. */
export function registerNativeScan(): void {
  setNativeScan(loadNativeScan);
}
