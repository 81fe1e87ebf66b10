/**
 * Audit log throughput: durable single-event appends per second through `openAuditLog().append`
 * (sanitise, canonical JSON, SHA-256 chain, BEGIN IMMEDIATE, WAL fsync) against raw better-sqlite3
 * inserts with the same durability and no hashing; and the time to verify a million events against
 * a plain scan of the same rows. Targets (issue 6): ≥ 5,000 durable events/s; verify 10⁶ events < 10 s.
 * `BENCH_EVENTS` (default 1,000,000) and `BENCH_APPENDS` (default 5,000) scale it down.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { generateSigningKey, openAuditLog, openSqliteStore, verifyChain, loadVerifyKey } from '../src/audit/index.js';
import { machine, writeSection } from './lib.js';

const APPENDS = Number(process.env.BENCH_APPENDS ?? 5_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-bench-audit-'));
const key = path.join(dir, 'key.pem');
writeFileSync(key, generateSigningKey().privateKeyPem);

const payload = (i: number) => ({ requestId: `req-${i}`, verdict: 'allow', findings: [], reasons: ['no rule matched'], ruleIds: [], mode: 'enforce' });
const requester = { agent: 'bench', session: 'bench-session' };
const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
const log = (line: string) => process.stderr.write(`  ${line}\n`);

// 1. Raw better-sqlite3: same WAL + synchronous=FULL, one transaction (one fsync) per insert, no hashing.
const rawDb = new Database(path.join(dir, 'raw.db'));
rawDb.pragma('journal_mode = WAL');
rawDb.pragma('synchronous = FULL');
rawDb.exec('CREATE TABLE events (seq INTEGER PRIMARY KEY, ts TEXT, type TEXT, payload TEXT)');
const rawInsert = rawDb.prepare('INSERT INTO events (ts, type, payload) VALUES (?, ?, ?)');
let t = performance.now();
for (let i = 0; i < APPENDS; i++) rawInsert.run(new Date().toISOString(), 'decision.made', JSON.stringify(payload(i)));
const rawMs = performance.now() - t;
rawDb.close();
log(`raw inserts: ${perSecond(APPENDS, rawMs)}/s`);

// 2. The audit log, unsigned and with signed checkpoints every 1,000 events.
const measureLog = (name: string, signingKeyPath?: string) => {
  const auditLog = openAuditLog({ path: path.join(dir, `${name}.db`), ...(signingKeyPath ? { signingKeyPath } : {}), checkpointEvery: 1000 });
  const start = performance.now();
  for (let i = 0; i < APPENDS; i++) auditLog.append('decision.made', payload(i), requester);
  const elapsed = performance.now() - start;
  auditLog.close();
  log(`${name}: ${perSecond(APPENDS, elapsed)}/s`);
  return elapsed;
};
const logMs = measureLog('log');
const signedMs = measureLog('signed', key);

// 2b. appendMany: a run's events known together (e.g. run.finished + egress + output findings), 4 per fsync.
const BATCH = 4;
const batchLog = openAuditLog({ path: path.join(dir, 'batch.db'), signingKeyPath: key, checkpointEvery: 1000 });
const batchStart = performance.now();
for (let i = 0; i < APPENDS; i += BATCH) {
  batchLog.appendMany(Array.from({ length: BATCH }, (_, j) => ({ type: 'decision.made', payload: payload(i + j), requester })));
}
const batchMs = performance.now() - batchStart;
batchLog.close();
log(`appendMany x${BATCH}: ${perSecond(APPENDS, batchMs)}/s`);

// 2c. appendAsync: 16 concurrent sessions, each awaiting its own event before the next (group commit).
const SESSIONS = 16;
const asyncLog = openAuditLog({ path: path.join(dir, 'async.db'), signingKeyPath: key, checkpointEvery: 1000 });
const asyncStart = performance.now();
await Promise.all(Array.from({ length: SESSIONS }, async (_, s) => {
  for (let i = s; i < APPENDS; i += SESSIONS) await asyncLog.appendAsync('decision.made', payload(i), { agent: 'bench', session: `s${s}` });
}));
const asyncMs = performance.now() - asyncStart;
asyncLog.close();
log(`appendAsync x${SESSIONS} sessions: ${perSecond(APPENDS, asyncMs)}/s`);

// 3. A million events (written in large transactions: the build is not what is measured).
const bigPath = path.join(dir, 'big.db');
const big = openAuditLog({ path: bigPath, signingKeyPath: key, checkpointEvery: 1000 });
t = performance.now();
const batch = big.database.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) big.append(i % 4 === 0 ? 'action.requested' : 'decision.made', payload(i), requester);
});
for (let i = 0; i < EVENTS; i += 10_000) batch(i, Math.min(EVENTS, i + 10_000));
const buildMs = performance.now() - t;
big.close();
log(`built ${EVENTS} events in ${(buildMs / 1000).toFixed(1)} s`);

const store = openSqliteStore(bigPath, { readonly: true });
t = performance.now();
let scanned = 0;
for (const row of store.iterate()) if (row.hash) scanned++;
const scanMs = performance.now() - t;
t = performance.now();
const unsigned = verifyChain(store.iterate());
const verifyMs = performance.now() - t;
t = performance.now();
const signed = verifyChain(store.iterate(), { publicKey: loadVerifyKey(key), requireCheckpointEvery: 1000 });
const verifySignedMs = performance.now() - t;
store.close();
if (!unsigned.ok || !signed.ok) throw new Error(`verification failed: ${unsigned.firstBad?.message ?? signed.firstBad?.message}`);
log(`verify: ${(verifyMs / 1000).toFixed(2)} s, with signatures ${(verifySignedMs / 1000).toFixed(2)} s, scan ${(scanMs / 1000).toFixed(2)} s`);
rmSync(dir, { recursive: true, force: true });

const total = unsigned.events;
writeSection('audit', `## Audit log

${machine()}. The machine is shared with other jobs: single-append rates varied between about 2,900 and 5,400/s across runs (the raw baseline between 2,500 and 7,300/s). Store on the same disk as the repository's temp dir (\`${os.tmpdir()}\`), WAL, \`synchronous=FULL\`.

Durable appends: ${APPENDS.toLocaleString('en')} single-event appends, each its own committed transaction (fsync) before the call returns.

| what | events/s | µs per event |
| --- | ---: | ---: |
| baseline: raw better-sqlite3 INSERT, same durability, no hashing | ${perSecond(APPENDS, rawMs).toLocaleString('en')} | ${((rawMs / APPENDS) * 1000).toFixed(0)} |
| \`openAuditLog().append\` (sanitise, canonical JSON, SHA-256 chain, BEGIN IMMEDIATE) | ${perSecond(APPENDS, logMs).toLocaleString('en')} | ${((logMs / APPENDS) * 1000).toFixed(0)} |
| the same with a signed Ed25519 checkpoint every 1,000 events | ${perSecond(APPENDS, signedMs).toLocaleString('en')} | ${((signedMs / APPENDS) * 1000).toFixed(0)} |
| \`appendMany\`, ${BATCH} events per transaction (a run's end events together), signed | ${perSecond(APPENDS, batchMs).toLocaleString('en')} | ${((batchMs / APPENDS) * 1000).toFixed(0)} |
| \`appendAsync\`, ${SESSIONS} concurrent sessions each awaiting its event (group commit), signed | ${perSecond(APPENDS, asyncMs).toLocaleString('en')} | ${((asyncMs / APPENDS) * 1000).toFixed(0)} |

Target ≥ 5,000 durable events/s: one event per transaction **${perSecond(APPENDS, logMs) >= 5000 ? 'met' : 'not met'}**
(${(logMs / rawMs).toFixed(2)}× the raw insert's time per event: the fsync per commit dominates, and the baseline
itself is bound by it); with \`appendMany\` of ${BATCH} **${perSecond(APPENDS, batchMs) >= 5000 ? 'met' : 'not met'}**;
with group commit across ${SESSIONS} sessions **${perSecond(APPENDS, asyncMs) >= 5000 ? 'met' : 'not met'}**.

Verification of ${total.toLocaleString('en')} events (${signed.checkpoints.total.toLocaleString('en')} of them checkpoints):

| what | seconds |
| --- | ---: |
| baseline: scan every row (better-sqlite3 iterate, no hashing; ${scanned.toLocaleString('en')} rows) | ${(scanMs / 1000).toFixed(2)} |
| \`verifyChain\` without a key (links, sequence, SHA-256 of every event) | ${(verifyMs / 1000).toFixed(2)} |
| \`verifyChain\` with the public key (and every checkpoint signature) | ${(verifySignedMs / 1000).toFixed(2)} |

Target < 10 s for a million events: **${verifySignedMs < 10_000 && total >= 1_000_000 ? 'met' : total < 1_000_000 ? `not measured at full size (BENCH_EVENTS=${EVENTS})` : 'not met'}**.
`);
