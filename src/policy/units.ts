/**
 * @module policy/units
 * Human units in policy files: durations (`500ms`, `30s`, `5m`, `1h`) and sizes (`512MiB`,
 * `1MB`, `64k`). Pure parsing; returns `undefined` for anything it does not understand so the
 * schema can report the field and the expected form.
 */

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  k: 1024, kb: 1000, kib: 1024,
  m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3,
  t: 1024 ** 4, tb: 1000 ** 4, tib: 1024 ** 4,
};

/**
 * Parses a duration into milliseconds. A bare number is milliseconds.
 *
 * @example
 * parseDuration('30s') // 30000
 * parseDuration('1.5m') // 90000
 */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? input : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i.exec(input);
  if (!m) return undefined;
  const unit = (m[2] ?? 'ms').toLowerCase();
  return Math.round(Number(m[1]) * (DURATION_UNITS[unit] ?? 1));
}

/**
 * Parses a size into bytes. A bare number is bytes; `K`/`M`/`G` alone mean binary units.
 *
 * @example
 * parseSize('512MiB') // 536870912
 * parseSize('1MB') // 1000000
 */
export function parseSize(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) && input >= 0 ? Math.floor(input) : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(input);
  if (!m) return undefined;
  const factor = SIZE_UNITS[(m[2] || 'b').toLowerCase()];
  if (factor === undefined) return undefined;
  return Math.floor(Number(m[1]) * factor);
}

/**
 * Formats bytes for people.
 *
 * @example
 * formatSize(1048576) // '1MiB'
 */
export function formatSize(bytes: number): string {
  for (const [unit, f] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) {
    if (bytes >= f && bytes % f === 0) return `${bytes / f}${unit}`;
  }
  return `${bytes}B`;
}
