/**
 * The zero-copy path (`airlock-splice`, splice.ts): a large download through a CONNECT or SOCKS5
 * tunnel moves on to the helper after 1 MiB and still arrives byte for byte, with the ledger's
 * bytes up and down exact; half-closes pass both ways; a canary in the upload still cuts a tunnel
 * whose download is in the helper; a missing helper falls back to the Node relay (and socat);
 * brokered (TLS-terminated) tunnels never use it; and the in-sandbox bridge mode joins TCP to the
 * unix socket intact both ways. Every server is a loopback one started here.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import type { NetworkAttempt } from '../../src/core/contracts.js';
import { startEgress, type EgressSession } from '../../src/sandbox/network/index.js';
import { findSpliceHelper, parseReport, spliceRelayCount, SPLICE_AFTER_BYTES } from '../../src/sandbox/network/splice.js';
import { mapResolver, netPolicy, socksTunnel, startTlsUpstream } from './helpers.js';

const helper = findSpliceHelper();
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const PAYLOAD = randomBytes(48 * 2 ** 20 + 4321);
const UPLOAD = randomBytes(3 * 2 ** 20 + 17);

/**
 * A raw upstream. `D\n`: sends PAYLOAD, ends. `H\n`: sends PAYLOAD, half-closes, then hashes what
 * the client still sends until its EOF (kept in `lateUploads`). `U\n`: reads until the client's
 * EOF, then sends PAYLOAD. `C\n`: sends PAYLOAD slowly (for the canary cut).
 */
async function startRaw(): Promise<{ port: number; lateUploads: string[]; close(): Promise<void> }> {
  const lateUploads: string[] = [];
  const open = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (s) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => s.destroy());
    let buf = Buffer.alloc(0);
    let mode: string | undefined;
    s.on('data', (c: Buffer) => {
      buf = Buffer.concat([buf, c]);
      if (mode !== undefined) return;
      const nl = buf.indexOf(10);
      if (nl < 0) return;
      mode = buf.subarray(0, nl).toString();
      buf = buf.subarray(nl + 1);
      if (mode === 'D' || mode === 'H') s.end(PAYLOAD);
      if (mode === 'C') {
        let at = 0;
        const t = setInterval(() => { if (at < PAYLOAD.length) s.write(PAYLOAD.subarray(at, (at += 512 * 1024))); }, 20);
        s.on('close', () => clearInterval(t));
      }
    });
    s.on('end', () => {
      if (mode === 'H') lateUploads.push(sha(buf));
      if (mode === 'U') s.end(PAYLOAD);
      if (mode !== 'H' && mode !== 'U') s.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    lateUploads,
    close: () => new Promise((r) => { for (const s of open) s.destroy(); server.close(() => r()); }),
  };
}

function viaConnect(egress: EgressSession, target: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ path: path.join(egress.socketDir, 'http.sock'), allowHalfOpen: true });
    s.on('error', reject);
    s.once('connect', () => s.write(`CONNECT ${target} HTTP/1.1\r\nHost: x\r\n\r\n`));
    s.once('data', (c: Buffer) => (/^HTTP\/1\.1 200/.test(c.toString()) ? resolve(s) : reject(new Error(c.toString()))));
  });
}
const viaSocks = (egress: EgressSession, port: number): Promise<net.Socket> => socksTunnel(egress, port, { allowHalfOpen: true });

/** Everything the socket receives until its EOF (then `after` runs), and whether it was an EOF. */
function receive(s: net.Socket, afterEnd?: () => void): Promise<{ data: Buffer; eof: boolean }> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let eof = false;
    s.on('data', (c: Buffer) => parts.push(c));
    s.on('end', () => { eof = true; afterEnd?.(); });
    s.on('error', () => undefined);
    s.on('close', () => resolve({ data: Buffer.concat(parts), eof }));
  });
}

/** Counts the bytes the socket receives (`onCount` sees each new total); `done` resolves at its end or close. */
function countReceived(s: net.Socket, onCount: (total: number) => void): { received: () => number; done: Promise<void> } {
  let n = 0;
  const done = new Promise<void>((resolve) => {
    s.on('data', (c: Buffer) => {
      n += c.length;
      onCount(n);
    });
    s.on('end', () => resolve());
    s.on('close', () => resolve());
    s.on('error', () => undefined);
  });
  return { received: () => n, done };
}

/**
 * Starts `airlock-splice bridge` from a free loopback port to the unix socket `sock` and connects a
 * client to it (retrying while the bridge starts); the client is undefined if it never listened.
 */
async function bridgeClient(sock: string, allowHalfOpen: boolean): Promise<{ bridge: ChildProcess; client: net.Socket | undefined }> {
  const port = await new Promise<number>((r) => { const s = net.createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => r(p)); }); });
  const bridge = spawn(helper!, ['bridge', String(port), sock], { stdio: 'ignore' });
  let client: net.Socket | undefined;
  for (let i = 0; i < 200 && !client; i++) {
    client = await new Promise<net.Socket | undefined>((r) => { const s = net.connect({ port, host: '127.0.0.1', allowHalfOpen }, () => r(s)); s.on('error', () => r(undefined)); });
    if (!client) await new Promise((r) => setTimeout(r, 10));
  }
  return { bridge, client };
}

async function settled(recorded: NetworkAttempt[], count: number): Promise<NetworkAttempt> {
  for (let i = 0; i < 300 && recorded.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(recorded.length, count);
  return recorded.at(-1)!;
}

describe('the splice helper', { skip: helper ? false : 'airlock-splice is not built (no gcc): the fallback is the only path' }, () => {
  let raw: Awaited<ReturnType<typeof startRaw>>;
  let egress: EgressSession;
  const recorded: NetworkAttempt[] = [];

  before(async () => {
    raw = await startRaw();
    egress = await startEgress(netPolicy({ local: [`127.0.0.1:${raw.port}`] }), { runId: 'splice', onAttempt: (a) => recorded.push(a) });
  });
  after(async () => {
    await egress.close();
    await raw.close();
  });

  it('is the session bridge, mounted read-only at a fixed path', () => {
    assert.deepEqual(egress.binds, [{ host: helper, sandbox: '/run/airlock-splice' }]);
    assert.match(egress.prelude[2] ?? '', /\/run\/airlock-splice bridge 3128 \/run\/airlock-net\/http\.sock/);
  });

  for (const [name, open] of [['CONNECT', (p: number) => viaConnect(egress, `127.0.0.1:${p}`)], ['SOCKS5', (p: number) => viaSocks(egress, p)]] as const) {
    it(`${name}: a 48 MiB random download goes through the helper byte for byte, counted exactly`, async () => {
      const before = { attempts: recorded.length, relays: spliceRelayCount() };
      const s = await open(raw.port);
      const got = receive(s);
      s.end('D\n');
      const { data, eof } = await got;
      assert.ok(eof);
      assert.equal(data.length, PAYLOAD.length);
      assert.equal(sha(data), sha(PAYLOAD));
      const a = await settled(recorded, before.attempts + 1);
      assert.equal(spliceRelayCount(), before.relays + 1, 'the download should have moved to the helper');
      assert.equal(a.bytesDown, PAYLOAD.length);
      assert.equal(a.bytesUp, 2);
      assert.doesNotMatch(a.reason ?? '', /cut/);
    });
  }

  it('half-close: the upstream\'s EOF reaches the client, whose later upload still arrives and is counted', async () => {
    const before = { attempts: recorded.length, relays: spliceRelayCount() };
    const s = await viaConnect(egress, `127.0.0.1:${raw.port}`);
    s.write('H\n');
    const { data, eof } = await receive(s, () => s.end(UPLOAD));
    assert.ok(eof);
    assert.equal(sha(data), sha(PAYLOAD));
    const a = await settled(recorded, before.attempts + 1);
    assert.equal(spliceRelayCount(), before.relays + 1);
    // The upstream hashes the upload at its EOF, which may come just after the tunnel is recorded.
    for (let i = 0; i < 200 && raw.lateUploads.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(raw.lateUploads.slice(-1), [sha(UPLOAD)]);
    assert.equal(a.bytesUp, 2 + UPLOAD.length);
    assert.equal(a.bytesDown, PAYLOAD.length);
  });

  it('half-close: a client that ends its upload first still gets the whole download', async () => {
    const before = recorded.length;
    const s = await viaSocks(egress, raw.port);
    const got = receive(s);
    s.end(Buffer.concat([Buffer.from('U\n'), UPLOAD]));
    const { data, eof } = await got;
    assert.ok(eof);
    assert.equal(sha(data), sha(PAYLOAD));
    const a = await settled(recorded, before + 1);
    assert.equal(a.bytesUp, 2 + UPLOAD.length);
    assert.equal(a.bytesDown, PAYLOAD.length);
  });

  it('a canary in the upload cuts a tunnel whose download is in the helper; the attempt is finished once', async () => {
    const canary = 'AKIAZZSPLICECANARY77';
    const seen: NetworkAttempt[] = [];
    const guarded = await startEgress(netPolicy({ local: [`127.0.0.1:${raw.port}`] }), { runId: 'splice-canary', canaryTokens: [canary], onAttempt: (a) => seen.push(a) });
    try {
      const relays = spliceRelayCount();
      const s = await viaConnect(guarded, `127.0.0.1:${raw.port}`);
      const got = countReceived(s, (total) => {
        if (total > SPLICE_AFTER_BYTES * 3 && !s.writableEnded) { s.write(canary); s.end(); }
      });
      s.write('C\n');
      await got.done;
      const n = got.received();
      const a = await settled(seen, 1);
      assert.equal(spliceRelayCount(), relays + 1);
      assert.match(a.reason ?? '', /canary/);
      assert.ok(n < PAYLOAD.length, 'the download must stop with the cut');
      // Every byte the client saw was counted (the helper may have read a little more before it stopped).
      assert.ok((a.bytesDown ?? 0) >= n, `${a.bytesDown} counted, ${n} received`);
    } finally {
      await guarded.close();
    }
  });

  it('closing the session stops a helper mid-download; the attempt is finished once', async () => {
    const seen: NetworkAttempt[] = [];
    const e = await startEgress(netPolicy({ local: [`127.0.0.1:${raw.port}`] }), { runId: 'splice-close', onAttempt: (a) => seen.push(a) });
    const relays = spliceRelayCount();
    const s = await viaConnect(e, `127.0.0.1:${raw.port}`);
    // A client that stops reading keeps the helper busy (its socket is full).
    const got = countReceived(s, (total) => { if (total > SPLICE_AFTER_BYTES * 2) s.pause(); });
    s.write('C\n');
    for (let i = 0; i < 300 && spliceRelayCount() === relays; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(spliceRelayCount(), relays + 1);
    await e.close();
    s.resume();
    await got.done;
    s.destroy();
    const n = got.received();
    const a = await settled(seen, 1);
    assert.ok(n < PAYLOAD.length, 'the download must stop when the session closes');
    assert.ok((a.bytesDown ?? 0) >= n, `${a.bytesDown} counted, ${n} received`);
  });

  it('a missing helper falls back to the Node relay: same bytes, same counts', async () => {
    const seen: NetworkAttempt[] = [];
    const missing = path.join(os.tmpdir(), 'no-such-dir', 'airlock-splice');
    const e = await startEgress(netPolicy({ local: [`127.0.0.1:${raw.port}`] }), { runId: 'splice-missing', spliceHelper: missing, onAttempt: (a) => seen.push(a) });
    const off = await startEgress(netPolicy({ local: [`127.0.0.1:${raw.port}`] }), { runId: 'splice-off', spliceHelper: false });
    try {
      const relays = spliceRelayCount();
      const s = await viaConnect(e, `127.0.0.1:${raw.port}`);
      const got = receive(s);
      s.end('D\n');
      const { data, eof } = await got;
      assert.ok(eof);
      assert.equal(sha(data), sha(PAYLOAD));
      const a = await settled(seen, 1);
      assert.equal(spliceRelayCount(), relays);
      assert.equal(a.bytesDown, PAYLOAD.length);
      assert.doesNotMatch(a.reason ?? '', /cut/);
      // Without a helper the sandbox gets socat and nothing extra is mounted.
      assert.deepEqual(off.binds, []);
      assert.match(off.prelude[2] ?? '', /socat .*TCP-LISTEN:3128/);
      assert.doesNotMatch(off.prelude[2] ?? '', /airlock-splice/);
    } finally {
      await e.close();
      await off.close();
    }
  });

  it('a brokered (TLS-terminated) tunnel never uses the helper', async () => {
    const up = await startTlsUpstream('secure.test');
    const seen: NetworkAttempt[] = [];
    const brokered = await startEgress(netPolicy({
      allow: ['secure.test'], local: [`127.0.0.1:${up.port}`],
      credentials: [{ host: 'secure.test', header: 'Authorization', env: 'SPLICE_TOKEN', prefix: 'token ' }],
    }), { runId: 'splice-broker', secretsEnv: { SPLICE_TOKEN: 'tok_splice' }, upstreamCa: [up.caPem], resolve: mapResolver({ 'secure.test': ['127.0.0.1'] }), onAttempt: (a) => seen.push(a) });
    try {
      const relays = spliceRelayCount();
      const raw0 = await viaConnect(brokered, `secure.test:${up.port}`);
      const ca = readFileSync(path.join(brokered.socketDir, 'ca.pem'), 'utf8');
      const s = tls.connect({ socket: raw0, servername: 'secure.test', ca });
      const size = 8 * 2 ** 20;
      const text = await new Promise<Buffer>((resolve) => {
        const parts: Buffer[] = [];
        s.on('data', (c: Buffer) => parts.push(c));
        s.on('end', () => resolve(Buffer.concat(parts)));
        s.on('error', () => resolve(Buffer.concat(parts)));
        s.write(`GET /big?n=${size} HTTP/1.1\r\nHost: secure.test\r\nConnection: close\r\n\r\n`);
      });
      s.destroy();
      assert.match(text.subarray(0, 20).toString(), /^HTTP\/1\.1 200/);
      assert.ok(text.length > size);
      assert.equal(spliceRelayCount(), relays);
    } finally {
      await brokered.close();
      await up.close();
    }
  });

  it('bridge mode answers small requests at once (no corking: a round trip takes well under 200 ms)', async () => {
    const sock = path.join(egress.socketDir, '..', `splice-echo-${process.pid}.sock`);
    const server = net.createServer((c) => c.on('data', (d: Buffer) => c.write(d)));
    await new Promise<void>((r) => server.listen(sock, r));
    const { bridge, client: c } = await bridgeClient(sock, false);
    try {
      assert.ok(c, 'the bridge should listen');
      c.setNoDelay(true);
      // A cork (SPLICE_F_MORE) would hold every answer back for 200 ms; the median of 20 round
      // trips tells that apart from a few slow ones on a loaded machine.
      const took: number[] = [];
      for (let i = 0; i < 20; i++) {
        const echoed = new Promise<string>((r) => c!.once('data', (d: Buffer) => r(d.toString())));
        const t = performance.now();
        c.write(`ping ${i}`);
        assert.equal(await echoed, `ping ${i}`);
        took.push(performance.now() - t);
      }
      took.sort((a, b) => a - b);
      assert.ok(took[10]! < 100, `median round trip ${Math.round(took[10]!)} ms (all: ${took.map(Math.round).join(', ')} ms)`);
      c.destroy();
    } finally {
      bridge.kill();
      server.close();
    }
  });

  it('bridge mode joins loopback TCP to the unix socket intact both ways, with half-closes', async () => {
    const sock = path.join(egress.socketDir, '..', `splice-bridge-${process.pid}.sock`);
    // The unix side hashes what it gets until EOF, answers the hash and PAYLOAD, then ends.
    const server = net.createServer({ allowHalfOpen: true }, (c) => {
      const parts: Buffer[] = [];
      c.on('data', (d: Buffer) => parts.push(d));
      c.on('end', () => { c.write(`${sha(Buffer.concat(parts))}\n`); c.end(PAYLOAD); });
    });
    await new Promise<void>((r) => server.listen(sock, r));
    const { bridge, client: c } = await bridgeClient(sock, true);
    try {
      assert.ok(c, 'the bridge should listen');
      const got = receive(c);
      c.end(UPLOAD);
      const { data, eof } = await got;
      assert.ok(eof);
      assert.equal(data.subarray(0, 65).toString(), `${sha(UPLOAD)}\n`);
      assert.equal(sha(data.subarray(65)), sha(PAYLOAD));
    } finally {
      bridge.kill();
      server.close();
    }
  });
});

describe('finding the splice helper', () => {
  const find = (value: string): string => {
    const code = "import { findSpliceHelper } from './src/sandbox/network/splice.ts'; console.log(String(findSpliceHelper()));";
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { env: { ...process.env, AIRLOCK_SPLICE: value }, encoding: 'utf8' });
    return r.stdout.trim();
  };
  it('a binary that fails `check` (built elsewhere, or not the helper) counts as absent, as does off', () => {
    assert.equal(find('/bin/false'), 'undefined');
    assert.equal(find('off'), 'undefined');
    assert.equal(find(path.join(os.tmpdir(), 'no-such-airlock-splice')), 'undefined');
  });
  it('the built helper passes its check', { skip: helper ? false : 'not built' }, () => {
    assert.equal(find(helper!), helper);
  });
});

describe('splice helper reports', () => {
  it('parses progress and final lines, and nothing else', () => {
    assert.deepEqual(parseReport('n 1048576'), { total: 1048576 });
    assert.deepEqual(parseReport('end 52 eof'), { total: 52, end: 'eof' });
    assert.deepEqual(parseReport('end 7 error:Connection_reset_by_peer'), { total: 7, end: 'error:Connection_reset_by_peer' });
    assert.equal(parseReport('x 1'), undefined);
    assert.equal(parseReport('n -1'), undefined);
  });
});
