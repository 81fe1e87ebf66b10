/**
 * No event lost, no chain broken: child processes append to the log and are killed with SIGKILL
 * at random moments, again and again; afterwards the chain verifies, every event a child saw
 * acknowledged is present, and each kill left at most one action without its end event.
 * Several writers at once keep the chain linear.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { generateSigningKey, loadVerifyKey, openSqliteStore, parseEvent, verifyChain } from '../../src/audit/index.js';
import { cleanup, tempDir } from './helpers.js';

const APPENDER = path.resolve('test/audit/fixtures/appender.ts');
const dirs: string[] = [];
/** Events a child acknowledges before it may be killed: each of the 8 kills adds at least this many. */
const KILL_AFTER_ACKS = 5;
after(() => cleanup(...dirs));

/**
 * Starts an appender; resolves with the ids it acknowledged once it exits. With `killAfterMs` it is
 * killed a random moment within that time after it acknowledged `KILL_AFTER_ACKS` events; with
 * `start`, it waits for that promise before appending.
 */
function runAppender(db: string, key: string, actions: number, name: string, options: { killAfterMs?: number; start?: Promise<void>; ready?: () => void } = {}): Promise<{ acked: string[]; killed: boolean; done: boolean }> {
  const { killAfterMs, start, ready } = options;
  return new Promise((resolve, reject) => {
    const args = [APPENDER, db, key, String(actions), name, ...(start ? ['wait'] : [])];
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    if (!start) child.stdin.end();
    let out = '';
    let err = '';
    let killed = false;
    let started = false;
    child.stdout.on('data', (c) => {
      out += c;
      if (start && !started && out.includes('ready\n')) {
        started = true;
        ready?.();
        void start.then(() => child.stdin.end('go\n'));
      }
      // Kill only once the child has really appended a few events (however slowly a loaded
      // machine runs it), at a random moment after that.
      if (killAfterMs !== undefined && !killed && out.split('\n').filter((l, i, all) => i < all.length - 1 && l.startsWith('durable ')).length >= KILL_AFTER_ACKS) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), Math.random() * killAfterMs);
      }
    });
    child.stderr.on('data', (c) => { err += c; });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') reject(new Error(`appender failed (${code}): ${err}`));
      const lines = out.split('\n');
      resolve({ acked: lines.filter((l) => l.startsWith('durable ')).map((l) => l.slice(8)), killed: signal === 'SIGKILL', done: lines.includes('done') });
    });
  });
}

function setup(): { db: string; key: string } {
  const dir = tempDir('airlock-crash-');
  dirs.push(dir);
  const key = path.join(dir, 'key.pem');
  writeFileSync(key, generateSigningKey().privateKeyPem);
  return { db: path.join(dir, 'audit.db'), key };
}

function check(db: string, key: string, acked: string[]) {
  const store = openSqliteStore(db, { readonly: true });
  try {
    const result = verifyChain(store.iterate(), { publicKey: loadVerifyKey(key), requireCheckpointEvery: 25 });
    const events = [...store.iterate()].map(parseEvent);
    const ids = new Set(events.map((e) => e.id));
    const lost = acked.filter((id) => !ids.has(id));
    const started = new Set(events.filter((e) => e.type === 'action.requested').map((e) => e.id));
    for (const e of events) if (e.type === 'run.finished') started.delete(e.payload.requestId as string);
    return { result, lost, unfinished: started.size, events };
  } finally {
    store.close();
  }
}

describe('crash safety', () => {
  it('survives repeated SIGKILL mid-append: the log verifies and no acknowledged event is lost', async () => {
    const { db, key } = setup();
    const acked: string[] = [];
    const kills = 8;
    let killedCount = 0;
    for (let i = 0; i < kills; i++) {
      const r = await runAppender(db, key, 100_000, `agent${i}`, { killAfterMs: 150 });
      acked.push(...r.acked);
      if (r.killed) killedCount++;
      // Verify after every kill, as a recovering process would.
      const { result, lost } = check(db, key, acked);
      assert.equal(result.ok, true, `after kill ${i + 1}: ${result.firstBad?.message}`);
      assert.deepEqual(lost, [], `after kill ${i + 1}: acknowledged events missing`);
    }
    assert.equal(killedCount, kills, 'every child was killed mid-run');
    const { result, unfinished, events } = check(db, key, acked);
    assert.ok(acked.length >= kills * KILL_AFTER_ACKS, `the children appended (${acked.length} acknowledged)`);
    assert.ok(unfinished <= kills, `${unfinished} actions without an end event after ${kills} kills`);
    assert.ok(result.checkpoints.verified > 0, 'signed checkpoints were written and verify');
    assert.equal(events.length, result.events);
  });

  it('keeps one linear chain with several writers at once', async () => {
    const { db, key } = setup();
    // The writers start appending together, once all three have opened the log: started as they
    // are scheduled, one could finish before the next begins on a loaded machine.
    let go!: () => void;
    const start = new Promise<void>((resolve) => { go = resolve; });
    let ready = 0;
    const runs = await Promise.all([0, 1, 2].map((i) => runAppender(db, key, 400, `writer${i}`, { start, ready: () => { if (++ready === 3) go(); } })));
    for (const r of runs) assert.equal(r.done, true);
    const acked = runs.flatMap((r) => r.acked);
    const { result, lost, unfinished, events } = check(db, key, acked);
    assert.equal(result.ok, true, result.firstBad?.message);
    assert.deepEqual(lost, []);
    assert.equal(unfinished, 0);
    assert.equal(events.filter((e) => e.type !== 'audit.checkpoint').length, 3 * 400 * 4);
    // The writers really interleaved (otherwise this test proves nothing about concurrency).
    const switches = events.filter((e, i) => i > 0 && e.requester.agent && events[i - 1]!.requester.agent && e.requester.agent !== events[i - 1]!.requester.agent).length;
    assert.ok(switches > 2, `writers interleaved ${switches} times`);
  });
});
