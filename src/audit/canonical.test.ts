import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, sha256Hex } from './canonical.js';
import { GENESIS_HASH, hashInput } from './events.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth, drops undefined members and has no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 'é' }], c: undefined } }), '{"a":{"d":[3,{"y":"é","z":1}]},"b":1}');
  });
  it('gives the same text for objects built in different orders', () => {
    assert.equal(canonicalJson({ x: 1, y: [1, 2] }), canonicalJson({ y: [1, 2], x: 1 }));
  });
  it('refuses what JSON cannot carry', () => {
    assert.throws(() => canonicalJson(Number.NaN), /not a JSON number/);
    assert.throws(() => canonicalJson(() => 1), /not JSON/);
  });
  it('hashes UTF-8 with SHA-256', () => {
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('hashInput', () => {
  it('is exactly the canonical JSON of the hashed fields', () => {
    const payload = { verdict: 'deny', reasons: ['r"1'], n: 2 };
    const requester = { session: 's1', agent: 'mcp' };
    const e = { seq: 7, id: 'abc', ts: '2026-01-01T00:00:00.000Z', type: 'decision.made', tenant: null, session: 's1', requester: canonicalJson(requester), payload: canonicalJson(payload), prevHash: GENESIS_HASH };
    assert.equal(hashInput(e), canonicalJson({ id: 'abc', payload, prev: GENESIS_HASH, requester, seq: 7, session: 's1', tenant: null, ts: e.ts, type: e.type }));
  });
});
