/**
 * Real clients (curl, Python urllib, pip, Python requests, Node) in a network namespace of their own,
 * reaching loopback servers on the host only through the socat bridge and the egress proxy.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { startEgress, type EgressSession } from '../../src/sandbox/network/index.js';
import { mapResolver, netPolicy, runInNetns, startTlsUpstream, startUpstream, type TlsUpstream, type Upstream } from './helpers.js';

describe('egress through the bridge: real clients', () => {
  let up: Upstream;
  let tlsUp: TlsUpstream;
  let egress: EgressSession;

  before(async () => {
    up = await startUpstream();
    tlsUp = await startTlsUpstream('secure.test');
    egress = await startEgress(netPolicy({
      allow: ['api.test', 'secure.test', 'pypi.test', 'nolocal.test'],
      local: [`127.0.0.1:${up.port}`, `127.0.0.1:${tlsUp.port}`],
    }), {
      runId: 'clients',
      resolve: mapResolver({ 'api.test': ['127.0.0.1'], 'pypi.test': ['127.0.0.1'], 'secure.test': ['127.0.0.1'], 'nolocal.test': ['127.0.0.1'] }),
    });
  });
  after(async () => {
    await egress.close();
    await up.close();
    await tlsUp.close();
  });

  it('curl: allowed host over plain HTTP and over CONNECT (https), recorded with bytes', async () => {
    const r = await runInNetns(egress, ['curl', '-sS', '--max-time', '10', `http://api.test:${up.port}/hello`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"path":"\/hello"/);
    const s = await runInNetns(egress, ['curl', '-sS', '--max-time', '10', '--cacert', tlsUp.caFile, `https://secure.test:${tlsUp.port}/tls`]);
    assert.equal(s.code, 0, s.stderr);
    assert.match(s.stdout, /"path":"\/tls"/);
    const a = egress.attempts();
    const plain = a.find((x) => x.host === 'api.test' && x.protocol === 'http');
    assert.ok(plain?.allowed && (plain.bytesUp ?? 0) > 0 && (plain.bytesDown ?? 0) > 0, JSON.stringify(a));
    const tunnel = a.find((x) => x.host === 'secure.test' && x.protocol === 'connect');
    assert.ok(tunnel?.allowed, JSON.stringify(a));
  });

  it('curl via SOCKS5 (socks5h, name resolved by the proxy)', async () => {
    const r = await runInNetns(egress, ['curl', '-sS', '--max-time', '10', '-x', 'socks5h://127.0.0.1:1080', `http://api.test:${up.port}/socks`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"path":"\/socks"/);
    assert.ok(egress.attempts().some((x) => x.protocol === 'socks5' && x.allowed && x.host === 'api.test'));
  });

  it('no proxy = no connection: direct connections from the namespace fail', async () => {
    const r = await runInNetns(egress, ['curl', '-sS', '--max-time', '5', '--noproxy', '*', `http://127.0.0.1:${up.port}/direct`]);
    assert.notEqual(r.code, 0);
    const py = await runInNetns(egress, ['python3', '-c', `import socket; socket.create_connection(("127.0.0.1", ${up.port}), timeout=3); print("CONNECTED")`]);
    assert.ok(!py.stdout.includes('CONNECTED'));
    assert.ok(!up.seen.some((s) => s.url === '/direct'));
  });

  it('refuses hosts outside the allow list, and loopback answers without a local endpoint', async () => {
    const r = await runInNetns(egress, ['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://other.test:${up.port}/x`]);
    assert.equal(r.stdout, '403');
    const n = await runInNetns(egress, ['curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', `http://nolocal.test:${up.port + 1}/x`]);
    assert.equal(n.stdout, '403');
    const c = await runInNetns(egress, ['curl', '-sS', '--max-time', '5', `https://other.test:${tlsUp.port}/x`]);
    assert.notEqual(c.code, 0);
    const refused = egress.attempts().filter((x) => !x.allowed).map((x) => `${x.host} ${x.reason}`);
    assert.ok(refused.some((x) => x.startsWith('other.test not in network.allow')), refused.join('\n'));
    assert.ok(refused.some((x) => x.startsWith('nolocal.test') && /loopback/.test(x)), refused.join('\n'));
  });

  it('a CONNECT tunnel to an allowed name cannot carry TLS for another name (SNI checked)', async () => {
    const outcome = await new Promise<string>((resolve) => {
      const s = net.connect(path.join(egress.socketDir, 'http.sock'));
      s.on('connect', () => s.write(`CONNECT secure.test:${tlsUp.port} HTTP/1.1\r\nHost: x\r\n\r\n`));
      s.once('data', () => {
        const t = tls.connect({ socket: s, servername: 'fronted.test', rejectUnauthorized: false }, () => resolve('handshake completed'));
        t.on('error', () => resolve('cut'));
        t.on('close', () => resolve('cut'));
      });
    });
    assert.equal(outcome, 'cut');
    await new Promise((r) => setTimeout(r, 50));
    const a = egress.attempts().find((x) => /TLS server name "fronted\.test"/.test(x.reason ?? ''));
    assert.ok(a, JSON.stringify(egress.attempts()));
  });

  it('Python urllib honours the proxy variables (http and https)', async () => {
    const code = [
      'import urllib.request, ssl',
      `print(urllib.request.urlopen("http://api.test:${up.port}/urllib", timeout=10).read().decode())`,
      `ctx = ssl.create_default_context(cafile="${tlsUp.caFile}")`,
      `print(urllib.request.urlopen("https://secure.test:${tlsUp.port}/urllib-tls", timeout=10, context=ctx).read().decode())`,
    ].join('\n');
    const r = await runInNetns(egress, ['python3', '-c', code]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"path":"\/urllib"/);
    assert.match(r.stdout, /"path":"\/urllib-tls"/);
  });

  it('pip downloads a wheel through the proxy from an allowed index', async () => {
    const r = await runInNetns(egress, ['sh', '-c', `d=$(mktemp -d) && python3 -m pip download --no-deps --disable-pip-version-check --timeout 10 --retries 0 --index-url http://pypi.test:${up.port}/simple/ --trusted-host pypi.test:${up.port} -d "$d" airlock-demo && ls "$d"`], {}, 60_000);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /airlock_demo-1\.0-py3-none-any\.whl/);
    assert.ok(up.seen.some((s) => s.url === '/simple/airlock-demo/' && /pip\//.test(String(s.headers['user-agent']))));
  });

  it('Node: http.request through the proxy (Node 20 fetch ignores proxy variables)', async () => {
    const code = `
const http = require('node:http'), tls = require('node:tls'), fs = require('node:fs');
const p = new URL(process.env.HTTP_PROXY);
http.get({ host: p.hostname, port: p.port, path: 'http://api.test:${up.port}/node' }, (res) => {
  let b = ''; res.on('data', (c) => b += c); res.on('end', () => {
    console.log(b);
    const req = http.request({ host: p.hostname, port: p.port, method: 'CONNECT', path: 'secure.test:${tlsUp.port}' });
    req.on('connect', (_res, socket) => {
      const s = tls.connect({ socket, servername: 'secure.test', ca: fs.readFileSync('${tlsUp.caFile}') }, () => {
        s.write('GET /node-tls HTTP/1.1\\r\\nHost: secure.test\\r\\nConnection: close\\r\\n\\r\\n');
      });
      let t = ''; s.on('data', (c) => t += c); s.on('end', () => console.log(t));
    });
    req.end();
  });
});`;
    const r = await runInNetns(egress, ['node', '-e', code]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /"path":"\/node"/);
    assert.match(r.stdout, /"path":"\/node-tls"/);
  });
});
