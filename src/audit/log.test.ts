import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openAuditLog } from './log.js';

describe('openAuditLog', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-log-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('appendAsync: concurrent callers share commits, each gets its own id, in call order', async () => {
    const log = openAuditLog({ path: path.join(dir, 'a.db') });
    log.append('policy.loaded', { hash: 'x' });
    const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => log.appendAsync('decision.made', { i })));
    assert.equal(new Set(ids).size, 50);
    const events = log.tail(50);
    assert.deepEqual(events.map((e) => e.id), ids);
    assert.deepEqual(events.map((e) => e.payload.i), Array.from({ length: 50 }, (_, i) => i));
    assert.equal(log.verify().ok, true);
    log.close();
  });

  it('appendAsync rejects when the events cannot be written, and a failed append leaves the chain intact', async () => {
    const log = openAuditLog({ path: path.join(dir, 'b.db') });
    log.append('policy.loaded', {});
    log.database.exec("CREATE TRIGGER no_errors BEFORE INSERT ON audit_events WHEN NEW.type = 'error' BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    await assert.rejects(Promise.all([log.appendAsync('decision.made', {}), log.appendAsync('error', {})]), /disk says no/);
    assert.throws(() => log.appendMany([{ type: 'run.started' }, { type: 'error' }]), /disk says no/);
    assert.deepEqual(log.tail(10).map((e) => e.type), ['policy.loaded'], 'all or nothing');
    assert.equal(log.verify().ok, true);
    log.close();
  });

  it('close() flushes queued appends', async () => {
    const file = path.join(dir, 'c.db');
    const log = openAuditLog({ path: file });
    const pending = log.appendAsync('run.started', {});
    log.close();
    const id = await pending;
    const again = openAuditLog({ path: file });
    assert.equal(again.tail(1)[0]!.id, id);
    again.close();
  });
});
