/**
 * The hash chain against real tampering: events changed, deleted, inserted or reordered directly
 * in the SQLite file, and a whole-log rewrite with recomputed hashes caught by signed checkpoints.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { generateSigningKey, hashInput, loadVerifyKey, sha256Hex, verifyChain, openSqliteStore, type StoredEvent } from '../../src/audit/index.js';
import { cleanup, fill, openTemp, tempDir } from './helpers.js';

const dirs: string[] = [];
after(() => cleanup(...dirs));

/** A fresh log of `n` events, closed, with the path of its database. */
function freshLog(n: number, options: { signed?: boolean; checkpointEvery?: number } = {}): { db: string; key?: string } {
  const dir = tempDir();
  dirs.push(dir);
  let key: string | undefined;
  if (options.signed) {
    key = path.join(dir, 'key.pem');
    writeFileSync(key, generateSigningKey().privateKeyPem);
  }
  const log = openTemp(dir, { ...(key ? { signingKeyPath: key } : {}), ...(options.checkpointEvery ? { checkpointEvery: options.checkpointEvery } : {}) });
  fill(log, n);
  log.close();
  return { db: path.join(dir, 'audit.db'), ...(key ? { key } : {}) };
}

function verifyFile(db: string, key?: string) {
  const store = openSqliteStore(db, { readonly: true });
  try {
    return verifyChain(store.iterate(), key ? { publicKey: loadVerifyKey(key), requireCheckpointEvery: 10 } : {});
  } finally {
    store.close();
  }
}

const sql = (db: string, statement: string, ...params: unknown[]): void => {
  const h = new Database(db);
  h.prepare(statement).run(...params);
  h.close();
};

describe('audit hash chain', () => {
  let db: string;
  beforeEach(() => { ({ db } = freshLog(50)); });

  it('verifies an untouched log', () => {
    const r = verifyFile(db);
    assert.equal(r.ok, true);
    assert.equal(r.events, 50);
    assert.equal(r.head?.seq, 50);
  });

  it('names a changed payload', () => {
    sql(db, `UPDATE audit_events SET payload = replace(payload, '"allow"', '"deny"') WHERE seq = 20`);
    const r = verifyFile(db);
    assert.equal(r.ok, false);
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [20, 'hash-mismatch']);
    assert.equal(r.head?.seq, 19);
  });

  it('names a changed requester, time or type', () => {
    sql(db, `UPDATE audit_events SET ts = '2020-01-01T00:00:00.000Z' WHERE seq = 33`);
    assert.deepEqual([verifyFile(db).firstBad?.seq, verifyFile(db).firstBad?.problem], [33, 'hash-mismatch']);
  });

  it('names a deleted event (middle and first)', () => {
    sql(db, 'DELETE FROM audit_events WHERE seq = 10');
    let r = verifyFile(db);
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [11, 'sequence-gap']);
    sql(db, 'DELETE FROM audit_events WHERE seq = 1');
    r = verifyFile(db);
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [2, 'sequence-gap']);
  });

  it('names a deletion hidden by renumbering', () => {
    sql(db, 'DELETE FROM audit_events WHERE seq = 10');
    sql(db, 'UPDATE audit_events SET seq = seq - 1 WHERE seq > 10');
    const r = verifyFile(db);
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [10, 'broken-link']);
  });

  it('names reordered events', () => {
    sql(db, 'UPDATE audit_events SET seq = -1 WHERE seq = 30');
    sql(db, 'UPDATE audit_events SET seq = 30 WHERE seq = 31');
    sql(db, 'UPDATE audit_events SET seq = 31 WHERE seq = -1');
    const r = verifyFile(db);
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [30, 'broken-link']);
  });

  it('names an inserted event even when its own hash is well-formed', () => {
    sql(db, 'UPDATE audit_events SET seq = -seq - 1 WHERE seq > 40');
    sql(db, 'UPDATE audit_events SET seq = -seq WHERE seq < 0');
    const h = new Database(db);
    const prev = h.prepare('SELECT hash FROM audit_events WHERE seq = 40').get() as { hash: string };
    const forged = { seq: 41, id: 'forged', ts: new Date().toISOString(), type: 'approval.answered', tenant: null, session: null, requester: '{}', payload: '{"answer":"approved"}', prevHash: prev.hash };
    h.prepare('INSERT INTO audit_events (seq, id, ts, type, tenant, session, requester, payload, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)')
      .run(forged.seq, forged.id, forged.ts, forged.type, null, null, forged.requester, forged.payload, forged.prevHash, sha256Hex(hashInput(forged)));
    h.close();
    const r = verifyFile(db);
    assert.deepEqual([r.firstBad?.seq, r.firstBad?.problem], [42, 'broken-link']);
  });
});

/** Rewrites the whole chain from `from` on with recomputed hashes: what an attacker with write access does. */
function rewriteFrom(db: string, from: number, edit: (e: StoredEvent) => StoredEvent | null): void {
  const h = new Database(db);
  const rows = h.prepare('SELECT seq, id, ts, type, tenant, session, requester, payload, prev_hash AS prevHash, hash FROM audit_events ORDER BY seq').all() as StoredEvent[];
  h.prepare('DELETE FROM audit_events WHERE seq >= ?').run(from);
  let prev = rows[from - 2]?.hash ?? '0'.repeat(64);
  let seq = from;
  const insert = h.prepare('INSERT INTO audit_events (seq, id, ts, type, tenant, session, requester, payload, prev_hash, hash) VALUES (@seq, @id, @ts, @type, @tenant, @session, @requester, @payload, @prevHash, @hash)');
  for (const row of rows.slice(from - 1)) {
    let e = edit(row);
    if (!e) continue;
    if (e.type === 'audit.checkpoint') {
      // The attacker points the checkpoint at the rewritten event; only the signature can tell.
      e = { ...e, payload: JSON.stringify({ ...JSON.parse(e.payload), upTo: seq - 1, hash: prev }) };
    }
    const base = { ...e, seq, prevHash: prev };
    const hash = sha256Hex(hashInput(base));
    insert.run({ ...base, hash });
    prev = hash;
    seq++;
  }
  h.close();
}

describe('signed checkpoints', () => {
  it('are written every checkpointEvery events and verify with the public key', () => {
    const { db, key } = freshLog(35, { signed: true, checkpointEvery: 10 });
    const r = verifyFile(db, key);
    assert.equal(r.ok, true, r.firstBad?.message);
    assert.equal(r.checkpoints.total, 3);
    assert.equal(r.checkpoints.verified, 3);
  });

  it('catch a rewrite with recomputed hashes that the bare chain cannot see', () => {
    const { db, key } = freshLog(35, { signed: true, checkpointEvery: 10 });
    rewriteFrom(db, 5, (e) => (e.seq === 5 ? { ...e, payload: '{"summary":"nothing to see"}' } : e));
    assert.equal(verifyFile(db).ok, true, 'without the key, a full rewrite with recomputed hashes looks intact (documented)');
    const r = verifyFile(db, key);
    assert.equal(r.ok, false);
    assert.equal(r.firstBad?.problem, 'bad-signature');
    assert.equal(r.firstBad?.seq, 11);
  });

  it('catch a rewrite that also drops the checkpoints', () => {
    const { db, key } = freshLog(60, { signed: true, checkpointEvery: 10 });
    rewriteFrom(db, 5, (e) => (e.type === 'audit.checkpoint' ? null : e));
    assert.equal(verifyFile(db).ok, true, 'without the key, a rewrite that drops checkpoints looks intact (documented)');
    const r = verifyFile(db, key);
    assert.equal(r.ok, false);
    assert.equal(r.firstBad?.problem, 'missing-checkpoint');
  });

  it('reject a checkpoint signed by another key', () => {
    const { db } = freshLog(12, { signed: true, checkpointEvery: 10 });
    const other = path.join(path.dirname(db), 'other.pem');
    writeFileSync(other, generateSigningKey().publicKeyPem);
    assert.equal(verifyFile(db, other).firstBad?.problem, 'unknown-key');
  });
});

describe('what is stored', () => {
  it('never holds a secret handed over in a command, and links events by request id', () => {
    const dir = tempDir();
    dirs.push(dir);
    const log = openTemp(dir);
    const token = `ghp_${'Ab1'.repeat(12)}`;
    const id = log.append('action.requested', { action: { kind: 'command', argv: ['git', 'push', `https://x:${token}@github.com/o/r`] }, env: { GITHUB_TOKEN: token } }, { agent: 'cli', session: 'abc' });
    log.append('decision.made', { requestId: id, verdict: 'allow' });
    log.close();
    const bytes = ['audit.db', 'audit.db-wal'].filter((f) => existsSync(path.join(dir, f))).map((f) => readFileSync(path.join(dir, f)).toString('latin1')).join('');
    assert.ok(!bytes.includes(token.slice(4)), 'the token is in the database file');
    const again = openTemp(dir);
    const [first, second] = again.tail(2);
    again.close();
    assert.equal(second!.payload.requestId, first!.id);
    assert.equal(first!.session, 'abc');
  });
});
