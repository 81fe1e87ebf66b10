import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { addKeyToFile, createKeyRing, generateKey, hashKey, parseKeysEnv, readKeysFile } from './keys.js';

const dirs: string[] = [];
/** A keys file in a fresh temporary directory, removed after the tests. */
function keysFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-keys-'));
  dirs.push(dir);
  return path.join(dir, 'keys.json');
}
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

test('a hashed key verifies; another key, a truncated key or a tampered record does not', () => {
  const key = generateKey();
  const record = hashKey(key, { tenant: 'acme', role: 'agent', name: 'ci' });
  assert.ok(!JSON.stringify(record).includes(key.slice(4)), 'the record holds no key material in clear');
  const ring = createKeyRing([record]);
  assert.deepEqual(ring.verify(key), { name: 'ci', tenant: 'acme', role: 'agent' });
  assert.equal(ring.verify(generateKey()), null);
  assert.equal(ring.verify(key.slice(0, -1)), null);
  assert.equal(createKeyRing([{ ...record, hash: record.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) }]).verify(key), null);
  const again = hashKey(key, { tenant: 'acme', role: 'agent', name: 'ci' });
  assert.notEqual(again.salt, record.salt, 'salts are per key');
  assert.notEqual(again.hash, record.hash);
});

test('AIRLOCK_API_KEYS entries are parsed, and every problem is listed at once', () => {
  const records = parseKeysEnv('acme:agent:0123456789abcdef0123,\nacme:reviewer:alice:fedcba9876543210fedc');
  assert.deepEqual(records.map((r) => [r.tenant, r.role, r.name]), [['acme', 'agent', 'env-1'], ['acme', 'reviewer', 'alice']]);
  assert.ok(createKeyRing(records).verify('fedcba9876543210fedc'));
  assert.throws(() => parseKeysEnv('acme:boss:0123456789abcdef0123,acme:agent:short,justone'), (e: Error) => /3 problem/.test(e.message) && /boss/.test(e.message) && /16 random/.test(e.message));
});

test('the keys file stores hashes only, with mode 0600, and refuses duplicate names', async () => {
  const file = keysFile();
  const key = addKeyToFile(file, { tenant: 't', role: 'reviewer', name: 'alice' });
  assert.ok(!readFileSync(file, 'utf8').includes(key));
  assert.equal((await import('node:fs')).statSync(file).mode & 0o777, 0o600);
  assert.ok(createKeyRing(readKeysFile(file).keys).verify(key));
  assert.throws(() => addKeyToFile(file, { tenant: 't', role: 'agent', name: 'alice' }), /already exists/);
});

test('a keys file with a tenant that could leave the data dir is refused', () => {
  const file = keysFile();
  const record = hashKey(generateKey(), { tenant: 'ok', role: 'agent', name: 'x' });
  writeFileSync(file, JSON.stringify({ version: 1, keys: [{ ...record, tenant: '../../etc' }] }));
  assert.throws(() => readKeysFile(file), /tenant "\.\.\/\.\.\/etc"/);
});
