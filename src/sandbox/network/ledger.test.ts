/**
 * The ledger's stream check: a canary token is caught wherever chunk boundaries fall (one byte at a
 * time, split in two or three, inside a large chunk), clean traffic is never cut, and bytes are
 * counted exactly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EgressLedger, type AttemptHandle } from './ledger.js';

const CANARY = 'AKIAZZCANARY1234TOKEN';
const SHORT = 'sk-q';

function open(): AttemptHandle {
  const h = new EgressLedger({ canaryTokens: [CANARY, SHORT] }).admit('x', 443, 'connect', 'test');
  assert.ok('attempt' in h);
  return h;
}

/** Sends `parts` in order; returns the index of the chunk that was cut, or -1. */
function send(h: AttemptHandle, parts: Buffer[]): number {
  return parts.findIndex((p) => h.up(p) !== undefined);
}

describe('egress ledger canary check', () => {
  const before = Buffer.alloc(70_000, 'a');
  const after = Buffer.alloc(5, 'b');
  const stream = Buffer.concat([before, Buffer.from(CANARY), after]);
  const at = before.length;

  it('catches a token split at every position, in two and in three chunks', () => {
    for (let i = at - 1; i <= at + CANARY.length + 1; i++) {
      assert.notEqual(send(open(), [stream.subarray(0, i), stream.subarray(i)]), -1, `split at ${i}`);
      for (let j = i + 1; j <= at + CANARY.length; j++) {
        const parts = [stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)];
        assert.notEqual(send(open(), parts), -1, `split at ${i} and ${j}`);
      }
    }
  });

  it('catches a token sent one byte at a time after a large chunk, and a short token inside one', () => {
    const bytes = [stream.subarray(0, at - 3), ...[...stream.subarray(at - 3)].map((b) => Buffer.from([b]))];
    assert.equal(send(open(), bytes), 1 + 3 + CANARY.length - 1);
    assert.equal(send(open(), [before, Buffer.from(`xx${SHORT}yy`)]), 1);
  });

  it('catches a token sent encoded (base64 at any alignment, hex), split across chunks', () => {
    for (const lead of ['', 'p', 'pq']) {
      const b64 = Buffer.from(`${lead}${CANARY}`).toString('base64');
      const encoded = Buffer.from(`data=${b64}&x=1`);
      assert.equal(send(open(), [encoded.subarray(0, 12), encoded.subarray(12)]), 1, `base64 after ${lead.length} bytes`);
    }
    assert.equal(send(open(), [Buffer.from(`h=${Buffer.from(CANARY).toString('hex')}`)]), 0);
  });

  it('does not cut clean traffic, and counts every byte', () => {
    const h = open();
    const clean = Buffer.concat([before, Buffer.from(CANARY.slice(0, -1)), Buffer.from('Z'), Buffer.from(SHORT.slice(0, 3)), after]);
    const parts = [clean.subarray(0, at + 5), clean.subarray(at + 5, at + 6), clean.subarray(at + 6)];
    assert.equal(send(h, parts), -1);
    assert.equal(h.attempt.bytesUp, clean.length);
  });
});
