/**
 * Plain-HTTP forwarding of large bodies (absolute-form requests): `Content-Length` bodies of a
 * non-brokered host are relayed past node's parser after the head (`plainHttpAgent` in
 * forward.ts), chunked and close-delimited ones go through node's parser, brokered ones through the
 * secret masker. Every case checks the bytes the client gets (digest), the ledger's exact count,
 * and that the client's keep-alive connection still serves the next request.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NetworkAttempt } from '../../src/core/contracts.js';
import { RELAY_BODY_AFTER } from '../../src/sandbox/network/forward.js';
import { startEgress, type EgressSession } from '../../src/sandbox/network/index.js';
import { mapResolver, netPolicy } from './helpers.js';

const SECRET = 'tok_forwardSECRET_9f3a';

/** A deterministic body of `n` bytes that no shift or repeat of itself matches. */
function pattern(n: number, withSecret = false): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  if (withSecret) {
    // Copies of the secret at odd offsets, so that some straddle any chunking.
    for (let at = 1001; at + SECRET.length < n; at += 65_531 + (at % 7)) b.write(SECRET, at, 'latin1');
  }
  return b;
}
const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** Writes `body` in uneven pieces, honouring back-pressure. */
function pump(res: http.ServerResponse, body: Buffer): void {
  let at = 0;
  const step = (): void => {
    while (at < body.length) {
      const c = body.subarray(at, at + 100_003);
      at += c.length;
      if (!res.write(c)) return void res.once('drain', step);
    }
    res.end();
  };
  step();
}

/** One request through the proxy on `agent`'s connection; resolves with the whole response. */
function get(sock: string, agent: http.Agent, url: string, slow = false): Promise<{ status: number; body: Buffer; headers: http.IncomingHttpHeaders; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: sock, path: url, agent, headers: { host: 'x' } }, (res) => {
      const parts: Buffer[] = [];
      let got = 0;
      res.on('data', (c: Buffer) => {
        parts.push(c);
        got += c.length;
        // A slow reader now and then: the proxy must stop and restart without losing a byte.
        if (slow && got > 2 ** 20 && parts.length % 40 === 0) {
          res.pause();
          setTimeout(() => res.resume(), 30);
        }
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts), headers: res.headers, reused: req.reusedSocket }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('plain-HTTP forwarding of large bodies', () => {
  const N = 8 * 2 ** 20 + 12_345;
  const plain = pattern(N);
  const secretBody = pattern(N, true);
  let server: http.Server;
  let raw: net.Server;
  let port: number;
  let rawPort: number;
  let egress: EgressSession;
  let brokered: EgressSession;
  const finished: NetworkAttempt[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const body = u.pathname === '/secret' ? secretBody : plain;
      if (u.pathname === '/small') return void res.end('small answer');
      if (u.pathname === '/chunked') return pump(res, body);
      if (u.pathname === '/head') {
        res.writeHead(200, { 'content-length': N });
        return void res.end();
      }
      res.writeHead(200, { 'content-length': body.length });
      if (req.method === 'HEAD') return void res.end();
      pump(res, body);
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
    // Misbehaving upstreams, written by hand: bytes past the declared length, a body cut short,
    // and a body delimited by closing the connection.
    raw = net.createServer((s) => {
      s.once('data', (d: Buffer) => {
        const line = d.toString('latin1').split('\r\n')[0] ?? '';
        if (line.includes('/extra')) {
          s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${N}\r\n\r\n`);
          s.write(plain);
          s.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nEVIL!');
        } else if (line.includes('/short')) {
          s.write(`HTTP/1.1 200 OK\r\nContent-Length: ${N}\r\n\r\n`);
          s.end(plain.subarray(0, 3 * 2 ** 20));
        } else if (line.includes('/eof')) {
          s.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n');
          s.end(plain);
        } else {
          s.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
        }
      });
      s.on('error', () => s.destroy());
    });
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    rawPort = (raw.address() as net.AddressInfo).port;
    egress = await startEgress(netPolicy({ local: [`127.0.0.1:${port}`, `127.0.0.1:${rawPort}`] }), {
      runId: 'fwd', idleTimeoutMs: 5000, onAttempt: (a) => finished.push(a),
    });
    brokered = await startEgress(netPolicy({ allow: ['plain.test'], local: [`127.0.0.1:${port}`], credentials: [{ host: 'plain.test', header: 'Authorization', env: 'T' }] }), {
      runId: 'fwd-broker', secretsEnv: { T: SECRET }, resolve: mapResolver({ 'plain.test': ['127.0.0.1'] }),
    });
  });
  after(async () => {
    await egress.close();
    await brokered.close();
    server.close();
    raw.close();
  });

  const sock = (e: EgressSession): string => path.join(e.socketDir, 'http.sock');
  const lastAttempt = (e: EgressSession, url: string): NetworkAttempt | undefined => {
    const u = new URL(url);
    return e.attempts().filter((a) => a.port === Number(u.port)).at(-1);
  };
  /** Waits until the attempt of the latest request is finished (onAttempt), then returns it. */
  const settled = async (count: number): Promise<NetworkAttempt> => {
    for (let i = 0; i < 200 && finished.length < count; i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(finished.length >= count, 'the attempt was finished');
    return finished[finished.length - 1]!;
  };

  it('the threshold is below the bodies tested here', () => {
    assert.ok(N > RELAY_BODY_AFTER);
  });

  for (const [name, urlPath, slow] of [
    ['a Content-Length body', '/cl', false],
    ['a Content-Length body to a slow reader', '/cl', true],
    ['a chunked body', '/chunked', false],
  ] as const) {
    it(`${name} arrives byte-identical, is counted exactly, and the connection serves the next request`, async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const before = finished.length;
        const url = `http://127.0.0.1:${port}${urlPath}`;
        const r = await get(sock(egress), agent, url, slow);
        assert.equal(r.status, 200);
        assert.equal(r.body.length, N);
        assert.equal(digest(r.body), digest(plain));
        if (urlPath === '/cl') assert.equal(r.headers['content-length'], String(N), 'stays a Content-Length response');
        const a = await settled(before + 1);
        assert.equal(a.bytesDown, N, 'the ledger counts every body byte, once');
        assert.equal(a.reason, `network.local: 127.0.0.1:${port}`, 'not cut');
        // Keep-alive: the same client connection, twice more (a large answer, then a small one).
        const again = await get(sock(egress), agent, url);
        assert.ok(again.reused, 'the client connection was reused');
        assert.equal(digest(again.body), digest(plain));
        const small = await get(sock(egress), agent, `http://127.0.0.1:${port}/small`);
        assert.ok(small.reused);
        assert.equal(small.body.toString(), 'small answer');
        assert.equal(lastAttempt(egress, url)?.bytesDown, 'small answer'.length);
      } finally {
        agent.destroy();
      }
    });
  }

  it('a body delimited by the upstream closing arrives whole and counted', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const before = finished.length;
    const r = await get(sock(egress), agent, `http://127.0.0.1:${rawPort}/eof`);
    assert.equal(digest(r.body), digest(plain));
    assert.equal((await settled(before + 1)).bytesDown, N);
  });

  it('bytes an upstream sends past its Content-Length never reach the client', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = finished.length;
      const r = await get(sock(egress), agent, `http://127.0.0.1:${rawPort}/extra`);
      assert.equal(digest(r.body), digest(plain));
      assert.equal((await settled(before + 1)).bytesDown, N);
      const next = await get(sock(egress), agent, `http://127.0.0.1:${rawPort}/next`);
      assert.ok(next.reused);
      assert.equal(next.body.toString(), 'ok', 'the next answer is the upstream\'s real one, not the smuggled one');
    } finally {
      agent.destroy();
    }
  });

  it('a body cut short by the upstream cuts the client connection and is recorded', async () => {
    const agent = new http.Agent({ keepAlive: false });
    const before = finished.length;
    await assert.rejects(get(sock(egress), agent, `http://127.0.0.1:${rawPort}/short`));
    const a = await settled(before + 1);
    assert.match(a.reason ?? '', /upstream response aborted/);
    assert.equal(a.bytesDown, 3 * 2 ** 20);
  });

  it('a client that goes away mid-body stops the download and the attempt records it', async () => {
    const before = finished.length;
    await new Promise<void>((resolve) => {
      const req = http.request({ socketPath: sock(egress), path: `http://127.0.0.1:${port}/cl`, agent: false }, (res) => {
        let got = 0;
        res.on('data', (c: Buffer) => {
          got += c.length;
          if (got > 2 ** 20) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', () => undefined);
      req.end();
    });
    const a = await settled(before + 1);
    assert.match(a.reason ?? '', /client went away/);
    assert.ok((a.bytesDown ?? 0) < N);
  });

  it('HEAD and bodiless answers with a large Content-Length are left to node', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const head = await new Promise<{ status: number; length: string | undefined }>((resolve, reject) => {
        const req = http.request({ socketPath: sock(egress), path: `http://127.0.0.1:${port}/cl`, method: 'HEAD', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, length: res.headers['content-length'] }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.deepEqual(head, { status: 200, length: String(N) });
      const small = await get(sock(egress), agent, `http://127.0.0.1:${port}/small`);
      assert.ok(small.reused);
      assert.equal(small.body.toString(), 'small answer');
    } finally {
      agent.destroy();
    }
  });

  it('a brokered host\'s secret is still masked in a large Content-Length body', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const r = await get(sock(brokered), agent, `http://plain.test:${port}/secret`);
      assert.equal(r.body.length, N);
      assert.ok(!r.body.includes(SECRET), 'no copy of the secret reaches the client');
      const masked = Buffer.from(secretBody.toString('latin1').replaceAll(SECRET, '*'.repeat(SECRET.length)), 'latin1');
      assert.equal(digest(r.body), digest(masked), 'every other byte is unchanged');
      assert.equal(lastAttempt(brokered, `http://plain.test:${port}/`)?.bytesDown, N);
    } finally {
      agent.destroy();
    }
  });
});
