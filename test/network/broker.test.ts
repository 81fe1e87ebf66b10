/**
 * Credential brokering: the secret from Airlock's environment reaches the upstream, for the one
 * configured host only, over plain HTTP and over HTTPS through a per-run CA, and the program in the
 * namespace never sees it (not in its environment, not in the CA directory, not echoed back).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createRunCa } from '../../src/sandbox/network/ca.js';
import { startEgress, type EgressSession } from '../../src/sandbox/network/index.js';
import { mapResolver, netPolicy, runInNetns, startTlsUpstream, startUpstream, type TlsUpstream, type Upstream } from './helpers.js';

describe('credential brokering', () => {
  const secret = `brk_${process.pid}_${Date.now()}_s3cr3t`;
  let up: Upstream;
  let tlsUp: TlsUpstream;
  let egress: EgressSession;

  before(async () => {
    up = await startUpstream();
    tlsUp = await startTlsUpstream('secure.test');
    egress = await startEgress(netPolicy({
      allow: ['secure.test', 'plain.test', 'other.test'],
      local: [`127.0.0.1:${up.port}`, `127.0.0.1:${tlsUp.port}`],
      credentials: [
        { host: 'secure.test', header: 'Authorization', env: 'AIRLOCK_TEST_TOKEN', prefix: 'Bearer ' },
        { host: 'plain.test', header: 'X-Api-Key', env: 'AIRLOCK_TEST_TOKEN' },
      ],
    }), {
      runId: 'broker', secretsEnv: { AIRLOCK_TEST_TOKEN: secret }, upstreamCa: [tlsUp.caPem],
      resolve: mapResolver({ 'secure.test': ['127.0.0.1'], 'plain.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] }),
    });
  });
  after(async () => {
    await egress.close();
    await up.close();
    await tlsUp.close();
  });

  it('HTTPS: curl trusts the per-run CA, the upstream gets the real header, the forged copy is dropped', async () => {
    const r = await runInNetns(egress, ['sh', '-c', `env; curl -sS --max-time 10 -H 'Authorization: Bearer forged' https://secure.test:${tlsUp.port}/echo`]);
    assert.equal(r.code, 0, r.stderr);
    const got = tlsUp.seen.filter((s) => s.url === '/echo');
    assert.equal(got.length, 1);
    assert.equal(got[0]?.headers.authorization, `Bearer ${secret}`);
    assert.ok(!r.stdout.includes(secret), 'the program saw the secret (env or echoed response)');
    assert.match(r.stdout, /"authorization":"Bearer \*+"/, 'the echoed secret is masked');
  });

  it('HTTPS: Python requests (pip-style) with REQUESTS_CA_BUNDLE', async () => {
    const code = `import requests; print(requests.get("https://secure.test:${tlsUp.port}/py", timeout=10).text)`;
    const r = await runInNetns(egress, ['python3', '-c', code]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"auth":"present"/);
    assert.equal(tlsUp.seen.find((s) => s.url === '/py')?.headers.authorization, `Bearer ${secret}`);
  });

  it('plain HTTP: the header is attached directly; other hosts never get it', async () => {
    const r = await runInNetns(egress, ['sh', '-c', `curl -sS http://plain.test:${up.port}/echo; echo; curl -sS -H 'X-Api-Key: mine' http://other.test:${up.port}/echo`]);
    assert.equal(r.code, 0, r.stderr);
    const plain = up.seen.filter((s) => s.url === '/echo');
    assert.equal(plain[0]?.headers['x-api-key'], secret);
    assert.equal(plain[1]?.headers['x-api-key'], 'mine');
    assert.ok(!r.stdout.includes(secret));
  });

  it('the socket directory holds sockets and certificates only, never a private key', () => {
    const files = readdirSync(egress.socketDir);
    assert.deepEqual(files.sort(), ['ca-bundle.pem', 'ca.pem', 'http.sock', 'socks.sock']);
    for (const f of ['ca-bundle.pem', 'ca.pem']) assert.ok(!readFileSync(path.join(egress.socketDir, f), 'utf8').includes('PRIVATE KEY'));
    assert.equal(egress.env.SSL_CERT_FILE, '/run/airlock-net/ca-bundle.pem');
  });

  it('the per-run CA is name-constrained: a certificate it signs for another name does not verify', async () => {
    const ca = await createRunCa('nc', ['secure.test']);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-nc-'));
    try {
      writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
      writeFileSync(path.join(dir, 'good.pem'), (await ca.leaf('secure.test')).cert);
      writeFileSync(path.join(dir, 'evil.pem'), (await ca.leaf('bank.example')).cert);
      execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'ca.pem'), path.join(dir, 'good.pem')], { stdio: 'pipe' });
      assert.throws(() => execFileSync('openssl', ['verify', '-CAfile', path.join(dir, 'ca.pem'), path.join(dir, 'evil.pem')], { stdio: 'pipe' }));
    } finally {
      ca.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a secret echoed in a response header is masked too', async () => {
    const echo = await new Promise<import('node:http').Server>((resolve) => {
      const s = http.createServer((req, res) => { res.setHeader('x-echo', String(req.headers.authorization)); res.end('ok'); });
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (echo.address() as import('node:net').AddressInfo).port;
    const e = await startEgress(netPolicy({ allow: ['plain.test'], local: [`127.0.0.1:${port}`], credentials: [{ host: 'plain.test', header: 'Authorization', env: 'T' }] }), {
      runId: 'hdr', secretsEnv: { T: secret }, resolve: mapResolver({ 'plain.test': ['127.0.0.1'] }),
    });
    try {
      const r = await runInNetns(e, ['curl', '-sS', '-i', `http://plain.test:${port}/`]);
      assert.match(r.stdout, /x-echo: \*+/i, r.stderr);
      assert.ok(!r.stdout.includes(secret));
    } finally {
      await e.close();
      echo.close();
    }
  });

  it('a missing secret is a configuration error naming the field', async () => {
    await assert.rejects(
      startEgress(netPolicy({ allow: ['a.test'], credentials: [{ host: 'a.test', header: 'Authorization', env: 'AIRLOCK_NOPE' }] }), { runId: 'x', secretsEnv: {} }),
      /network\.credentials\[0\]\.env: AIRLOCK_NOPE is not set/,
    );
    await assert.rejects(
      startEgress(netPolicy({ allow: ['a.test'], credentials: [{ host: 'a.test', header: 'Authorization', env: 'T' }] }), { runId: 'x', secretsEnv: { T: 'a\r\nX-Evil: 1' } }),
      /contains a line break/,
    );
  });
});
