/**
 * The contract every `AuditStore` must meet (SQLite today, PostgreSQL next): one suite, run
 * against each implementation by `store-contract.test.ts`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GENESIS_HASH, hashInput, sha256Hex, verifyChain, type AuditStore } from '../../src/audit/index.js';

/** Registers the contract tests for stores made by `make` (each call: a fresh, empty store). */
export function runAuditStoreContract(name: string, make: () => { store: AuditStore; dispose(): void }): void {
  describe(`AuditStore contract: ${name}`, () => {
    const withStore = (fn: (store: AuditStore) => void) => () => {
      const { store, dispose } = make();
      try { fn(store); } finally { store.close(); dispose(); }
    };
    const input = (i: number) => ({ type: 'decision.made', payload: { i, verdict: 'allow' }, requester: { agent: 'contract', session: `s${i % 2}`, ...(i % 3 ? {} : { tenant: 't1' }) } });

    it('starts empty', withStore((store) => {
      assert.equal(store.head(), null);
      assert.equal(store.count(), 0);
      assert.deepEqual(store.read(), []);
    }));

    it('numbers events 1, 2, 3… and chains each to the previous hash', withStore((store) => {
      const a = store.append(input(1));
      const b = store.append(input(2));
      assert.deepEqual([a.seq, b.seq], [1, 2]);
      assert.equal(a.prevHash, GENESIS_HASH);
      assert.equal(b.prevHash, a.hash);
      assert.equal(a.hash, sha256Hex(hashInput(a)));
      assert.deepEqual(store.head(), { seq: 2, hash: b.hash });
    }));

    it('stores what it returned, byte for byte, with tenant and session columns', withStore((store) => {
      const a = store.append(input(3));
      assert.deepEqual(store.get(a.id), a);
      assert.equal(a.tenant, 't1');
      assert.equal(a.session, 's1');
      assert.equal(a.payload, '{"i":3,"verdict":"allow"}');
    }));

    it('appendMany is in order and all or nothing', withStore((store) => {
      const events = store.appendMany([input(1), input(2), input(3)]);
      assert.deepEqual(events.map((e) => e.seq), [1, 2, 3]);
      assert.throws(() => store.appendMany([input(4), { type: 'x', payload: { bad: Number.NaN }, requester: {} }]));
      assert.equal(store.count(), 3);
    }));

    it('the after-append hook adds an event in the same transaction', withStore((store) => {
      store.append(input(1), (e) => ({ type: 'audit.checkpoint', payload: { upTo: e.seq }, requester: {} }));
      assert.deepEqual(store.read().map((e) => e.type), ['decision.made', 'audit.checkpoint']);
    }));

    it('reads, iterates and tails in order, and the chain verifies', withStore((store) => {
      for (let i = 0; i < 25; i++) store.append(input(i));
      assert.deepEqual(store.read({ afterSeq: 20, limit: 3 }).map((e) => e.seq), [21, 22, 23]);
      assert.deepEqual(store.last(2).map((e) => e.seq), [24, 25]);
      assert.deepEqual([...store.iterate(22)].map((e) => e.seq), [23, 24, 25]);
      assert.equal(verifyChain(store.iterate()).ok, true);
      assert.equal(store.get('no-such-id'), null);
    }));
  });
}
