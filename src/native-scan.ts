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
import { fileURLToPath } from 'node:url';
import { setNativeScan, type NativeScan } from './verify/engine.js';

/** Where the addon sits below the package root. */
export const NATIVE_SCAN_RELATIVE_PATH = path.join('dist', 'native', 'airlock-scan.node');

/**
 * The addon in the package this module belongs to, or null: not built, turned off, or built for
 * another platform or Node ABI (then it fails to load and is not used).
 */
export function loadNativeScan(): NativeScan | null {
  const env = process.env.AIRLOCK_NATIVE_SCAN;
  if (env === 'off' || env === '0') return null;
  // src/, dist/ and the CLI bundle's dist/cli all sit below the root.
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, NATIVE_SCAN_RELATIVE_PATH);
    if (existsSync(candidate)) {
      try {
        const mod = createRequire(import.meta.url)(candidate) as Partial<NativeScan>;
        return typeof mod.keywordHits === 'function' && typeof mod.numericItems === 'function' ? (mod as NativeScan) : null;
      } catch {
        return null;
      }
    }
    dir = path.dirname(dir);
  }
  return null;
}

/** Lets the scanner load the native passes when it first needs them. Idempotent. */
export function registerNativeScan(): void {
  setNativeScan(loadNativeScan);
}
