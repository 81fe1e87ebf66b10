/**
 * Egress decisions and limits, straight against the proxy's unix sockets: every private and metadata
 * form refused, deny over allow, maxRequests / maxBytesOut, canary tokens, and attempt records.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { NetworkAttempt } from '../../src/core/contracts.js';
import { startEgress } from '../../src/sandbox/network/index.js';
import { mapResolver, netPolicy, proxyGet, rawExchange, startUpstream, type Upstream } from './helpers.js';

describe('egress policy against the proxy sockets', () => {
  let up: Upstream;
  before(async () => { up = await startUpstream(); });
  after(async () => { await up.close(); });

  it('refuses every private, loopback and metadata form, whatever name or literal led there', async () => {
    const seen: NetworkAttempt[] = [];
    const egress = await startEgress(netPolicy({ allow: ['*.test', 'metadata.google.internal'] }), {
      runId: 'forms', onAttempt: (a) => seen.push(a),
      resolve: mapResolver({
        'rebind.test': ['127.0.0.1'], 'meta.test': ['169.254.169.254'], 'v6meta.test': ['fd00:ec2::254'], 'mapped.test': ['::ffff:10.0.0.1'],
        'nat64.test': ['64:ff9b::a9fe:a9fe'], 'cgnat.test': ['100.64.1.1'], 'mixed.test': ['93.184.215.14', '192.168.0.1'],
        'metadata.google.internal': ['93.184.215.14'],
      }),
    });
    try {
      const targets = [
        'rebind.test', 'meta.test', 'v6meta.test', 'mapped.test', 'nat64.test', 'cgnat.test', 'mixed.test', 'metadata.google.internal',
        '169.254.169.254', '2852039166', '0xa9fea9fe', '0251.0376.0251.0376', '127.0.0.1', '2130706433', '0x7f000001', '127.1',
        '[::1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[fd00:ec2::254]', '10.0.0.1', '172.16.5.4', '192.168.1.1', '0.0.0.0',
        '[fe80::1]', '224.0.0.251',
      ];
      for (const t of targets) {
        const r = await proxyGet(egress, `http://${t}:${up.port}/leak`);
        assert.equal(r.status, 403, `${t}: ${r.body}`);
      }
      for (const t of ['127.0.0.1', 'rebind.test', '[::1]', '2130706433']) {
        const c = await rawExchange(path.join(egress.socketDir, 'http.sock'), `CONNECT ${t}:${up.port} HTTP/1.1\r\nHost: x\r\n\r\n`, 2000);
        assert.match(c.text, /^HTTP\/1\.1 403/, t);
      }
      assert.equal(up.seen.filter((s) => s.url === '/leak').length, 0);
      const attempts = egress.attempts();
      assert.equal(attempts.length, targets.length + 4);
      assert.ok(attempts.every((a) => !a.allowed && a.reason));
      assert.equal(seen.length, attempts.length, 'onAttempt is called once per refused attempt');
    } finally {
      await egress.close();
    }
  });

  it('deny wins over allow; ports in patterns are honoured', async () => {
    const egress = await startEgress(netPolicy({ allow: ['*.test', `only.test:${up.port + 1}`], deny: ['bad.test'], local: [`127.0.0.1:${up.port}`] }), {
      runId: 'deny', resolve: mapResolver({ 'bad.test': ['127.0.0.1'], 'good.test': ['127.0.0.1'], 'only.test': ['127.0.0.1'] }),
    });
    try {
      assert.equal((await proxyGet(egress, `http://bad.test:${up.port}/`)).status, 403);
      assert.equal((await proxyGet(egress, `http://good.test:${up.port}/`)).status, 200);
      assert.equal((await proxyGet(egress, `http://only.test:${up.port}/`)).status, 200, 'only.test also matches *.test');
      assert.match(egress.attempts()[0]?.reason ?? '', /network\.deny: bad\.test/);
    } finally {
      await egress.close();
    }
  });

  it('an IPv6 local endpoint is opened exactly', async () => {
    const up6 = await startUpstream('::1');
    const egress = await startEgress(netPolicy({ local: [`[::1]:${up6.port}`] }), { runId: 'v6' });
    try {
      assert.equal((await proxyGet(egress, `http://[::1]:${up6.port}/v6`)).status, 200);
      assert.equal((await proxyGet(egress, `http://127.0.0.1:${up6.port}/v4`)).status, 403);
      assert.equal((await proxyGet(egress, `http://[::1]:${up6.port + 1}/other`)).status, 403);
      assert.ok(up6.seen.some((s) => s.url === '/v6'));
    } finally {
      await egress.close();
      await up6.close();
    }
  });

  it('an empty policy refuses everything', async () => {
    const egress = await startEgress(netPolicy({}), { runId: 'empty', resolve: mapResolver({ 'api.test': ['93.184.215.14'] }) });
    try {
      assert.equal((await proxyGet(egress, 'http://api.test/')).status, 403);
      assert.equal((await proxyGet(egress, `http://127.0.0.1:${up.port}/`)).status, 403);
    } finally {
      await egress.close();
    }
  });

  it('network.maxRequests refuses attempts beyond the limit', async () => {
    const egress = await startEgress(netPolicy({ local: [`127.0.0.1:${up.port}`], maxRequests: 2 }), { runId: 'maxreq' });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await proxyGet(egress, `http://127.0.0.1:${up.port}/n${i}`)).status);
      assert.deepEqual(statuses, [200, 200, 403, 403]);
      assert.match(egress.attempts()[2]?.reason ?? '', /network\.maxRequests \(2\) reached/);
    } finally {
      await egress.close();
    }
  });

  it('network.maxBytesOut cuts an upload that goes over, and refuses later attempts', async () => {
    const egress = await startEgress(netPolicy({ local: [`127.0.0.1:${up.port}`], maxBytesOut: '64KiB' }), { runId: 'maxbytes' });
    try {
      const status = await new Promise<number>((resolve) => {
        const req = http.request({ socketPath: path.join(egress.socketDir, 'http.sock'), method: 'POST', path: `http://127.0.0.1:${up.port}/upload`, agent: false }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', () => resolve(-1));
        req.end(Buffer.alloc(256 * 1024, 1));
      });
      assert.notEqual(status, 200);
      const a = egress.attempts()[0];
      assert.match(a?.reason ?? '', /maxBytesOut/);
      assert.ok(!up.seen.some((s) => s.url === '/upload' && s.body >= 256 * 1024), 'the whole upload must not arrive');
      assert.equal((await proxyGet(egress, `http://127.0.0.1:${up.port}/after`)).status, 403);
    } finally {
      await egress.close();
    }
  });

  it('a canary token in a URL or a header is refused before it leaves', async () => {
    const canary = 'AKIAZZCANARY1234TOKEN';
    const egress = await startEgress(netPolicy({ local: [`127.0.0.1:${up.port}`] }), { runId: 'canary', canaryTokens: [canary] });
    try {
      assert.equal((await proxyGet(egress, `http://127.0.0.1:${up.port}/?k=${canary}`)).status, 403);
      assert.equal((await proxyGet(egress, `http://127.0.0.1:${up.port}/h`, { 'x-key': canary })).status, 403);
      assert.ok(!up.seen.some((s) => s.url.includes(canary) || JSON.stringify(s.headers).includes(canary)));
      assert.ok(egress.attempts().every((a) => /canary/.test(a.reason ?? '')));
    } finally {
      await egress.close();
    }
  });

  it('close() removes the socket directory and later connections fail', async () => {
    const egress = await startEgress(netPolicy({}), { runId: 'close' });
    const { existsSync, statSync } = await import('node:fs');
    assert.ok(existsSync(path.join(egress.socketDir, 'http.sock')));
    assert.equal(statSync(egress.socketDir).mode & 0o777, 0o700, 'other local users must not reach the proxy');
    assert.equal(statSync(path.join(egress.socketDir, 'socks.sock')).mode & 0o777, 0o600);
    await egress.close();
    await egress.close();
    assert.ok(!existsSync(egress.socketDir));
  });
});
