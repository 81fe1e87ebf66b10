/**
 * @module core/shell-quote
 * Single-quoting for POSIX shells, shared by the analyzers (an argv read as one shell command) and
 * the sandbox runner (words of the launcher line): every byte but NUL survives, `'` as `'\''`.
 */

/**
 * Quotes each element and joins them with spaces.
 *
 * @example
 * shellQuote(['echo', "it's"]) // "'echo' 'it'\\''s'"
 */
export function shellQuote(parts: readonly string[]): string {
  return parts.map((p) => `'${p.replace(/'/g, `'\\''`)}'`).join(' ');
}
