/**
 * @module surfaces/http/keys
 * API keys for `airlock serve`: each key belongs to one tenant and has one role (`agent` runs
 * actions, `reviewer` answers approvals and reads the audit trail, `admin` does both). Keys are
 * never stored in clear: a record keeps a short lookup prefix of the key's SHA-256 (to find the
 * record) and an HMAC-SHA-256 of the key under a random per-key salt (to check it, in constant
 * time). Keys come from a keys file (JSON, written by `airlock serve --add-key`) and/or the
 * `AIRLOCK_API_KEYS` environment variable (`tenant:role:key,…`, hashed in memory on start).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../../core/errors.js';

/** What a key may do. */
export type Role = 'agent' | 'reviewer' | 'admin';
/** Every role, for validation and documentation. */
export const ROLES: readonly Role[] = ['agent', 'reviewer', 'admin'];

/** A stored key: no secret material beyond a salted HMAC. */
export interface KeyRecord {
  /** A label shown in the audit log as the answerer/requester (`http:<name>`). */
  name: string;
  tenant: string;
  role: Role;
  /** First 16 hex characters of SHA-256(key): finds the record, cannot check the key. */
  lookup: string;
  /** Random per-key salt (hex). */
  salt: string;
  /** HMAC-SHA-256(salt, key), hex. */
  hash: string;
  createdAt: string;
}

/** The identity a request authenticated as. */
export interface Principal {
  name: string;
  tenant: string;
  role: Role;
}

/** The keys file's shape. */
export interface KeysFile {
  version: 1;
  keys: KeyRecord[];
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const lookupOf = (key: string): string => createHash('sha256').update(key).digest('hex').slice(0, 16);
const hmac = (salt: string, key: string): string => createHmac('sha256', Buffer.from(salt, 'hex')).update(key).digest('hex');

/**
 * Hashes a key into a record.
 *
 * @example
 * const record = hashKey('alk_…', { tenant: 'acme', role: 'agent', name: 'ci' });
 */
export function hashKey(key: string, who: { tenant: string; role: Role; name: string }): KeyRecord {
  if (key.length < 16) throw new ConfigError(`API key for ${who.tenant}/${who.name} is ${key.length} characters; use at least 16 random characters.`);
  if (!NAME.test(who.tenant)) throw new ConfigError(`tenant "${who.tenant}" must be 1-64 letters, digits, ".", "_" or "-".`);
  if (!ROLES.includes(who.role)) throw new ConfigError(`role "${String(who.role)}" is not one of ${ROLES.join(', ')}.`);
  const salt = randomBytes(16).toString('hex');
  return { name: who.name, tenant: who.tenant, role: who.role, lookup: lookupOf(key), salt, hash: hmac(salt, key), createdAt: new Date().toISOString() };
}

/**
 * A fresh random key (`alk_` + 256 random bits, URL-safe).
 *
 * @example
 * generateKey() // 'alk_Q2x…'
 */
export function generateKey(): string {
  return `alk_${randomBytes(32).toString('base64url')}`;
}

/** A set of keys that can authenticate bearer tokens. */
export interface KeyRing {
  /** The principal for a presented key, or `null` (unknown or wrong key). */
  verify(key: string): Principal | null;
  readonly size: number;
  /** The records (hashes only), for listing. */
  list(): KeyRecord[];
}

/**
 * Builds a key ring from records.
 *
 * @example
 * const ring = createKeyRing([hashKey(k, { tenant: 't', role: 'agent', name: 'a' })]);
 * ring.verify(k) // { name: 'a', tenant: 't', role: 'agent' }
 */
export function createKeyRing(records: KeyRecord[]): KeyRing {
  const byLookup = new Map<string, KeyRecord[]>();
  for (const r of records) byLookup.set(r.lookup, [...(byLookup.get(r.lookup) ?? []), r]);
  return {
    verify(key) {
      if (typeof key !== 'string' || key.length < 16 || key.length > 512) return null;
      for (const r of byLookup.get(lookupOf(key)) ?? []) {
        const expected = Buffer.from(r.hash, 'hex');
        const actual = Buffer.from(hmac(r.salt, key), 'hex');
        if (expected.length === actual.length && timingSafeEqual(expected, actual)) return { name: r.name, tenant: r.tenant, role: r.role };
      }
      return null;
    },
    get size() { return records.length; },
    list: () => records.map((r) => ({ ...r })),
  };
}

/**
 * Parses `AIRLOCK_API_KEYS`: comma- or newline-separated `tenant:role:key` (or
 * `tenant:role:name:key`) entries. Every problem is listed in one error.
 *
 * @example
 * parseKeysEnv('acme:agent:sk-…,acme:reviewer:alice:sk-…')
 */
export function parseKeysEnv(text: string): KeyRecord[] {
  const problems: string[] = [];
  const out: KeyRecord[] = [];
  text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean).forEach((entry, i) => {
    const parts = entry.split(':');
    if (parts.length < 3) { problems.push(`entry ${i + 1}: expected tenant:role:key or tenant:role:name:key`); return; }
    const [tenant, role] = parts as [string, string];
    const name = parts.length >= 4 ? parts[2]! : `env-${i + 1}`;
    const key = parts.slice(parts.length >= 4 ? 3 : 2).join(':');
    try {
      out.push(hashKey(key, { tenant, role: role as Role, name }));
    } catch (error) {
      problems.push(`entry ${i + 1}: ${(error as Error).message}`);
    }
  });
  if (problems.length) throw new ConfigError(`AIRLOCK_API_KEYS has ${problems.length} problem(s): ${problems.join('; ')}`);
  return out;
}

/**
 * Reads a keys file (or an empty list when it does not exist).
 *
 * @example
 * readKeysFile('/var/lib/airlock/keys.json').keys.length
 */
export function readKeysFile(file: string): KeysFile {
  if (!existsSync(file)) return { version: 1, keys: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`keys file ${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const data = parsed as Partial<KeysFile>;
  if (data?.version !== 1 || !Array.isArray(data.keys)) throw new ConfigError(`keys file ${file} must be {"version":1,"keys":[…]}.`);
  const problems: string[] = [];
  data.keys.forEach((k, i) => {
    for (const field of ['name', 'tenant', 'role', 'lookup', 'salt', 'hash'] as const) {
      if (typeof k?.[field] !== 'string') problems.push(`keys[${i}].${field} is missing`);
    }
    if (k && !ROLES.includes(k.role)) problems.push(`keys[${i}].role "${String(k.role)}" is not one of ${ROLES.join(', ')}`);
    // The tenant names directories under the data dir: no separators, no dot-dot.
    if (k && typeof k.tenant === 'string' && !NAME.test(k.tenant)) problems.push(`keys[${i}].tenant "${k.tenant.slice(0, 40)}" must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  });
  if (problems.length) throw new ConfigError(`keys file ${file} has ${problems.length} problem(s): ${problems.join('; ')}`);
  return data as KeysFile;
}

/**
 * Creates a key, appends its hash to the keys file (mode 0600) and returns the key, which is
 * shown once and never stored.
 *
 * @example
 * const key = addKeyToFile('keys.json', { tenant: 'acme', role: 'reviewer', name: 'alice' });
 */
export function addKeyToFile(file: string, who: { tenant: string; role: Role; name: string }): string {
  const current = readKeysFile(file);
  if (current.keys.some((k) => k.tenant === who.tenant && k.name === who.name)) {
    throw new ConfigError(`a key named "${who.name}" already exists for tenant "${who.tenant}" in ${file}; pick another name.`);
  }
  const key = generateKey();
  const next: KeysFile = { version: 1, keys: [...current.keys, hashKey(key, who)] };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return key;
}
