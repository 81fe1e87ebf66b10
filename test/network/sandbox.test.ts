/**
 * End to end with the real bubblewrap sandbox (`runSandboxed`): the egress session's socket
 * directory bound at /run/airlock-net, its variables and its prelude, exactly as the runner will.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEgress, SANDBOX_NET_DIR, type EgressSession } from '../../src/sandbox/network/index.js';
import { findBwrap, type SandboxRequest } from '../../src/sandbox/index.js';
import { cleanup, sh, tempDir } from '../sandbox/helpers.js';
import { mapResolver, netPolicy, startTlsUpstream, startUpstream, type TlsUpstream, type Upstream } from './helpers.js';

describe('egress inside the bubblewrap sandbox', { skip: findBwrap() ? false : 'bwrap is not installed' }, () => {
  const secret = `sbx_${process.pid}_${Date.now()}_tok`;
  let ws: string;
  let up: Upstream;
  let tlsUp: TlsUpstream;
  let egress: EgressSession;
  let extra: Partial<SandboxRequest>;

  before(async () => {
    ws = tempDir('airlock-net-ws-');
    up = await startUpstream();
    tlsUp = await startTlsUpstream('secure.test');
    egress = await startEgress(netPolicy({
      allow: ['api.test', 'secure.test'], local: [`127.0.0.1:${up.port}`, `127.0.0.1:${tlsUp.port}`],
      credentials: [{ host: 'secure.test', header: 'Authorization', env: 'AIRLOCK_SBX_TOKEN', prefix: 'token ' }],
    }), {
      runId: 'sbx', secretsEnv: { AIRLOCK_SBX_TOKEN: secret }, upstreamCa: [tlsUp.caPem],
      resolve: mapResolver({ 'api.test': ['127.0.0.1'], 'secure.test': ['127.0.0.1'] }),
    });
    extra = { env: egress.env, prelude: egress.prelude, extraBinds: [{ host: egress.socketDir, sandbox: SANDBOX_NET_DIR }, ...(egress.binds ?? [])] };
  });
  after(async () => {
    await egress.close();
    await up.close();
    await tlsUp.close();
    cleanup(ws);
  });

  it('allowed traffic flows through the proxy; direct connections and refused hosts fail', async () => {
    const r = await sh(ws, [
      `curl -sS --max-time 10 http://api.test:${up.port}/in-sandbox`,
      'echo',
      `curl -sS --max-time 5 --noproxy '*' http://127.0.0.1:${up.port}/direct && echo DIRECT-OK`,
      `curl -sS -o /dev/null -w 'meta=%{http_code}\\n' http://169.254.169.254/latest/meta-data/`,
      `curl -sS -o /dev/null -w 'other=%{http_code}\\n' http://evil.test/`,
    ].join('; '), {}, extra);
    assert.match(r.stdout, /"path":"\/in-sandbox"/, r.stderr);
    assert.ok(!r.stdout.includes('DIRECT-OK'));
    assert.match(r.stdout, /meta=403/);
    assert.match(r.stdout, /other=403/);
    assert.ok(!up.seen.some((s) => s.url === '/direct'));
  });

  it('brokered HTTPS: the upstream gets the secret, the sandboxed program never does', async () => {
    const r = await sh(ws, `env; cat ${SANDBOX_NET_DIR}/* 2>/dev/null | grep -c 'PRIVATE KEY'; curl -sS --max-time 10 https://secure.test:${tlsUp.port}/echo`, {}, extra);
    assert.match(r.stdout, /"authorization":"token \*+"/, r.stderr);
    assert.equal(tlsUp.seen.find((s) => s.url === '/echo')?.headers.authorization, `token ${secret}`);
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
    assert.match(r.stdout, /^0$/m, 'no private key is visible in /run/airlock-net');
  });

  it('records every attempt with bytes', () => {
    const a = egress.attempts();
    assert.ok(a.some((x) => x.allowed && x.host === 'api.test' && (x.bytesDown ?? 0) > 0));
    assert.ok(a.some((x) => !x.allowed && x.host === '169.254.169.254'));
    assert.ok(a.some((x) => !x.allowed && x.host === 'evil.test'));
  });
});
