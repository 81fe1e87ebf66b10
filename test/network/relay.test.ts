/**
 * The tunnel relay (CONNECT and SOCKS5) byte for byte: a large download read by a slow client
 * arrives intact (the download side reuses one read buffer, so a chunk still queued for the client
 * must never be overwritten), bytes up and down are recorded exactly, the idle timeout still cuts
 * a silent tunnel but not a slow, steady one, and up-direction canaries and `maxBytesOut` still cut.
 * The upstream is a raw TCP server started here on loopback.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NetworkAttempt } from '../../src/core/contracts.js';
import { startEgress, type EgressSession } from '../../src/sandbox/network/index.js';
import { netPolicy, socksTunnel } from './helpers.js';

/** Deterministic, non-repeating bytes (so a reordered or overwritten chunk changes the hash). */
function pattern(n: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = x & 255;
  }
  return out;
}
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

const DOWN = pattern(24 * 2 ** 20 + 12_345, 7);
const UPLOAD = pattern(6 * 2 ** 20 + 321, 9);

/**
 * A raw upstream: `D\n` answers DOWN then ends; `U<n>\n` reads n bytes and answers their sha256;
 * `T<k>\n` sends one byte every 100 ms k times, then ends; `S\n` stays silent.
 */
interface Raw { port: number; received: Buffer[]; close(): Promise<void> }
async function startRaw(): Promise<Raw> {
  const received: Buffer[] = [];
  const open = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    let buf = Buffer.alloc(0);
    let mode: string | undefined;
    let want = 0;
    s.on('error', () => s.destroy());
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      received.push(c);
      if (mode === undefined) {
        const nl = buf.indexOf(10);
        if (nl < 0) return;
        mode = buf.subarray(0, nl).toString();
        buf = buf.subarray(nl + 1);
        if (mode === 'D') s.end(DOWN);
        if (mode.startsWith('U')) want = Number(mode.slice(1));
        if (mode.startsWith('T')) {
          let k = Number(mode.slice(1));
          const t = setInterval(() => { if (k-- > 0) s.write('.'); else { clearInterval(t); s.end(); } }, 100);
          s.on('close', () => clearInterval(t));
        }
      }
      if (mode?.startsWith('U') && buf.length >= want) s.end(sha(buf.subarray(0, want)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    close: () => new Promise((r) => {
      for (const s of open) s.destroy();
      server.close(() => r());
    }),
  };
}

type Opener = (egress: EgressSession, port: number) => Promise<net.Socket>;
const viaConnect: Opener = (egress, port) => new Promise((resolve, reject) => {
  const s = net.connect(path.join(egress.socketDir, 'http.sock'));
  s.on('error', reject);
  s.once('connect', () => s.write(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: x\r\n\r\n`));
  s.once('data', (c: Buffer) => (/^HTTP\/1\.1 200/.test(c.toString()) ? resolve(s) : reject(new Error(c.toString()))));
});
const viaSocks: Opener = (egress, port) => socksTunnel(egress, port);

/** Sends `first` (and ends when asked), reads everything, pausing now and then like a slow reader. */
function exchange(s: net.Socket, first: string | Buffer, slow: boolean, end = false): Promise<{ data: Buffer; closedBy: 'end' | 'close' }> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let chunks = 0;
    let ended = false;
    s.on('data', (c: Buffer) => {
      parts.push(c);
      if (slow && ++chunks % 16 === 0) {
        s.pause();
        setTimeout(() => s.resume(), 5);
      }
    });
    s.on('end', () => { ended = true; });
    s.on('close', () => resolve({ data: Buffer.concat(parts), closedBy: ended ? 'end' : 'close' }));
    s.on('error', () => undefined);
    if (end) s.end(first);
    else s.write(first);
  });
}

async function finished(egress: EgressSession, count: number, recorded: NetworkAttempt[]): Promise<void> {
  for (let i = 0; i < 200 && recorded.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(recorded.length, count, JSON.stringify(egress.attempts()));
}

describe('egress tunnel relay', () => {
  let raw: Raw;
  let egress: EgressSession;
  const recorded: NetworkAttempt[] = [];

  before(async () => {
    raw = await startRaw();
    egress = await startEgress(netPolicy({ local: [`127.0.0.1:${raw.port}`] }), {
      runId: 'relay', idleTimeoutMs: 1000, onAttempt: (a) => recorded.push(a),
    });
  });
  after(async () => {
    await egress.close();
    await raw.close();
  });

  for (const [name, open] of [['CONNECT', viaConnect], ['SOCKS5', viaSocks]] as const) {
    it(`${name}: a large download read slowly arrives intact, bytes counted exactly`, async () => {
      const before = recorded.length;
      const { data, closedBy } = await exchange(await open(egress, raw.port), 'D\n', true);
      assert.equal(closedBy, 'end');
      assert.equal(data.length, DOWN.length);
      assert.equal(sha(data), sha(DOWN));
      await finished(egress, before + 1, recorded);
      const a = recorded.at(-1);
      assert.equal(a?.bytesDown, DOWN.length);
      assert.equal(a?.bytesUp, 2);
      assert.doesNotMatch(a?.reason ?? '', /cut/);
    });

    it(`${name}: an upload, half-closed by the client, arrives intact and is counted exactly`, async () => {
      const before = recorded.length;
      const head = `U${UPLOAD.length}\n`;
      const { data } = await exchange(await open(egress, raw.port), Buffer.concat([Buffer.from(head), UPLOAD]), false, true);
      assert.equal(data.toString(), sha(UPLOAD));
      await finished(egress, before + 1, recorded);
      assert.equal(recorded.at(-1)?.bytesUp, head.length + UPLOAD.length);
      assert.equal(recorded.at(-1)?.bytesDown, 64);
    });
  }

  it('the idle timeout cuts a silent tunnel but not one with a byte every 100 ms', async () => {
    // 2 s of bytes against a 1 s timeout: a 100 ms tick may come late on a loaded machine (with a
    // 400 ms timeout, a 300 ms stall cut the steady tunnel), yet the tunnel outlives the timeout.
    const before = recorded.length;
    const [silent, steady] = await Promise.all([
      exchange(await viaConnect(egress, raw.port), 'S\n', false),
      exchange(await viaConnect(egress, raw.port), 'T20\n', false),
    ]);
    assert.equal(silent.data.length, 0);
    assert.equal(steady.data.toString(), '.'.repeat(20));
    await finished(egress, before + 2, recorded);
    const reasons = recorded.slice(before).map((a) => a.reason ?? '');
    assert.equal(reasons.filter((r) => /idle timeout/.test(r)).length, 1, reasons.join('\n'));
    assert.equal(recorded.slice(before).find((a) => /idle timeout/.test(a.reason ?? ''))?.bytesDown, 0);
  });

  it('a canary split across writes and maxBytesOut still cut the tunnel before the bytes leave', async () => {
    const canary = 'AKIAZZCANARY1234TOKEN';
    const local = { local: [`127.0.0.1:${raw.port}`] };
    const guarded = await startEgress(netPolicy(local), { runId: 'relay-canary', canaryTokens: [canary] });
    const limited = await startEgress(netPolicy({ ...local, maxBytesOut: '1MiB' }), { runId: 'relay-limit' });
    try {
      raw.received.length = 0;
      const s = await viaConnect(guarded, raw.port);
      const done = exchange(s, `U100\n${canary.slice(0, 9)}`, false);
      await new Promise((r) => setTimeout(r, 50));
      s.write(canary.slice(9));
      await done;
      assert.ok(!Buffer.concat(raw.received).includes(canary), 'the canary must not arrive');
      assert.match(guarded.attempts()[0]?.reason ?? '', /canary/);

      const big = await exchange(await viaSocks(limited, raw.port), Buffer.concat([Buffer.from(`U${UPLOAD.length}\n`), UPLOAD]), false);
      assert.notEqual(big.data.toString(), sha(UPLOAD));
      assert.match(limited.attempts()[0]?.reason ?? '', /maxBytesOut/);
    } finally {
      await guarded.close();
      await limited.close();
    }
  });
});
