/**
 * Bad input never crashes or stalls the proxy: malformed request and CONNECT lines, oversized
 * headers, slow clients, half-open connections, SOCKS garbage; meanwhile other clients are served.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEgress, type EgressSession } from '../../src/sandbox/network/index.js';
import { netPolicy, proxyGet, rawExchange, startUpstream, type Upstream } from './helpers.js';

describe('egress robustness', () => {
  let up: Upstream;
  let egress: EgressSession;
  let httpSock: string;
  let socksSock: string;

  before(async () => {
    up = await startUpstream();
    // The handshake timeout also bounds this file's well-formed requests: 1 s (not 300 ms) leaves
    // room for a loaded machine, and slow clients are still cut long before the test's 8 s.
    egress = await startEgress(netPolicy({ local: [`127.0.0.1:${up.port}`] }), { runId: 'robust', handshakeTimeoutMs: 1000, idleTimeoutMs: 2000 });
    httpSock = path.join(egress.socketDir, 'http.sock');
    socksSock = path.join(egress.socketDir, 'socks.sock');
  });
  after(async () => {
    await egress.close();
    await up.close();
  });

  const stillServes = async (): Promise<void> => {
    const r = await proxyGet(egress, `http://127.0.0.1:${up.port}/alive`);
    assert.equal(r.status, 200);
  };

  it('malformed request and CONNECT lines get 400 and are recorded', async () => {
    const bad = [
      'CONNECT nonsense HTTP/1.1\r\n\r\n', 'CONNECT 127.0.0.1:99999 HTTP/1.1\r\n\r\n', 'CONNECT :80 HTTP/1.1\r\n\r\n',
      'CONNECT [::1 HTTP/1.1\r\n\r\n', 'GARBAGE\r\n\r\n', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', 'GET /relative HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET http://127.0.0.1:1/ HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n',
    ];
    for (const b of bad) {
      const r = await rawExchange(httpSock, b, 2000);
      assert.ok(r.closed || /^HTTP\/1\.1 4\d\d/.test(r.text), JSON.stringify(b));
      assert.ok(!/^HTTP\/1\.1 200/.test(r.text), JSON.stringify(b));
    }
    assert.ok(egress.attempts().some((a) => a.host === '(malformed)'));
    await stillServes();
  });

  it('oversized headers get 431', async () => {
    const r = await rawExchange(httpSock, `GET http://127.0.0.1:${up.port}/ HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`, 3000);
    assert.match(r.text, /^HTTP\/1\.1 431/);
    await stillServes();
  });

  it('slow clients are dropped after the handshake timeout while others are served', async () => {
    const slow: Promise<{ text: string; closed: boolean }>[] = [];
    for (let i = 0; i < 20; i++) slow.push(rawExchange(httpSock, 'GET http://127.0.0.1/ HTTP/1.1\r\nHo', 8000));
    for (let i = 0; i < 5; i++) slow.push(rawExchange(socksSock, Buffer.from([5, 1]), 8000));
    await stillServes();
    const results = await Promise.all(slow);
    assert.ok(results.every((r) => r.closed), 'every slow client is closed by the proxy, not by the test');
    await stillServes();
  });

  it('half-open: a client that ends its side after the request still gets the answer (HTTP and CONNECT)', async () => {
    const r = await rawExchange(httpSock, `GET http://127.0.0.1:${up.port}/half HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 3000, true);
    assert.match(r.text, /^HTTP\/1\.1 200/);
    assert.match(r.text, /"path":"\/half"/);
    const answer = await new Promise<string>((resolve) => {
      const s = net.connect(httpSock);
      let text = '';
      s.on('connect', () => s.write(`CONNECT 127.0.0.1:${up.port} HTTP/1.1\r\nHost: x\r\n\r\n`));
      s.on('data', (c: Buffer) => {
        text += c.toString();
        if (text.startsWith('HTTP/1.1 200') && text.endsWith('\r\n\r\n') && !text.includes('tunneled')) {
          text += '[tunneled]';
          s.end(`GET /tunnel-half HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        }
      });
      s.on('close', () => resolve(text));
      s.on('error', () => resolve(text));
    });
    assert.match(answer, /"path":"\/tunnel-half"/);
  });

  it('SOCKS5: wrong version, no acceptable method, unsupported command and address type', async () => {
    assert.equal((await rawExchange(socksSock, Buffer.from([4, 1, 0, 80, 127, 0, 0, 1, 0]), 2000)).closed, true);
    const noAuth = await rawExchange(socksSock, Buffer.from([5, 1, 2]), 2000);
    assert.deepEqual(Buffer.from(noAuth.text, 'latin1'), Buffer.from([5, 0xff]));
    const bind = await rawExchange(socksSock, Buffer.from([5, 1, 0, 5, 2, 0, 1, 127, 0, 0, 1, 0, 80]), 2000);
    assert.equal(Buffer.from(bind.text, 'latin1')[3], 7);
    const atyp = await rawExchange(socksSock, Buffer.from([5, 1, 0, 5, 1, 0, 9, 1, 2]), 2000);
    assert.equal(Buffer.from(atyp.text, 'latin1')[3], 8);
    const refused = await rawExchange(socksSock, Buffer.from([5, 1, 0, 5, 1, 0, 1, 169, 254, 169, 254, 0, 80]), 2000);
    assert.equal(Buffer.from(refused.text, 'latin1')[3], 2);
    const p = up.port;
    const ok = await rawExchange(socksSock, Buffer.concat([Buffer.from([5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, p >> 8, p & 255]), Buffer.from('GET /socks-raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]), 3000);
    assert.match(ok.text, /"path":"\/socks-raw"/);
    await stillServes();
  });

  it('an upstream that refuses the connection gives 502 / SOCKS reply 5, not a hang', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => { const port = (s.address() as net.AddressInfo).port; s.close(() => resolve(port)); });
    });
    const egress2 = await startEgress(netPolicy({ local: [`127.0.0.1:${closedPort}`] }), { runId: 'refused' });
    try {
      assert.equal((await proxyGet(egress2, `http://127.0.0.1:${closedPort}/`)).status, 502);
      const c = await rawExchange(path.join(egress2.socketDir, 'http.sock'), `CONNECT 127.0.0.1:${closedPort} HTTP/1.1\r\n\r\n`, 2000);
      assert.match(c.text, /^HTTP\/1\.1 502/);
      const s = await rawExchange(path.join(egress2.socketDir, 'socks.sock'), Buffer.from([5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, closedPort >> 8, closedPort & 255]), 2000);
      assert.equal(Buffer.from(s.text, 'latin1')[3], 5);
    } finally {
      await egress2.close();
    }
  });
});
