/**
 * @module package-files
 * Finds files that the build puts inside Airlock's own package (`dist/native/…`), from wherever
 * the code runs: the sources (`src/`), the compiled modules (`dist/`) or the CLI bundle
 * (`dist/cli/`), all of which sit below the package root.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The first `relative` path (from the package root) that `usable` accepts, looked for from this
 * module's directory upward; undefined when none is.
 *
 * @example
 * findPackageFile(path.join('dist', 'native', 'airlock-splice'), existsSync) // '/usr/lib/node_modules/airlock/dist/native/airlock-splice'
 */
export function findPackageFile(relative: string, usable: (file: string) => boolean): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, relative);
    if (usable(candidate)) return candidate;
    dir = path.dirname(dir);
  }
  return undefined;
}
