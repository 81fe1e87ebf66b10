/**
 * @module core/mask
 * Masking of sensitive text. Anything that could be a secret is masked before it reaches a
 * finding, a message or a log: only a short prefix and the length survive.
 */

/**
 * Masks a secret, keeping up to four leading characters so a person can recognise its kind.
 *
 * @example
 * maskSecret('AKIAIOSFODNN7EXAMPLE') // 'AKIA****************'
 */
export function maskSecret(value: string, keep = 4): string {
  if (value.length <= keep * 2) return '*'.repeat(value.length);
  return value.slice(0, keep) + '*'.repeat(Math.min(value.length - keep, 32));
}
