/**
 * @module audit/canonical
 * Canonical JSON for hashing: object keys sorted by UTF-16 code unit, no whitespace, `undefined`
 * members dropped, non-finite numbers refused. Two programs that agree on this function agree on
 * every hash in the chain, whatever their JSON library or database (PostgreSQL's `jsonb` reorders
 * keys, so a store keeps the canonical text itself, never a re-serialisation).
 */
import { createHash } from 'node:crypto';

/**
 * Serialises a JSON value canonically.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }) // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const record = value as Record<string, unknown>;
      if (typeof (record as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((record as { toJSON(): unknown }).toJSON());
      const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not JSON`);
  }
}

/**
 * SHA-256 of a string's UTF-8 bytes, as lowercase hex.
 *
 * @example
 * sha256Hex('') // 'e3b0c442…b855'
 */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
