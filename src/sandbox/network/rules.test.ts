import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseIpLiteral, refusedAddress } from './address.js';
import { decideTarget, matchesHost, parseHostRule, parseLocalEndpoint, type RuleSet } from './rules.js';

function rules(over: Partial<RuleSet> & { map?: Record<string, string[]> } = {}): RuleSet {
  const map = over.map ?? {};
  return {
    allow: over.allow ?? [], deny: over.deny ?? [], local: over.local ?? [], own: over.own ?? new Set(['10.9.8.7']),
    resolve: over.resolve ?? (async (h) => {
      const a = map[h];
      if (!a) throw new Error(`ENOTFOUND ${h}`);
      return a;
    }),
  };
}

describe('address checks', () => {
  it('reads IPv4 literals in every inet_aton form', () => {
    for (const f of ['2130706433', '0x7f000001', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]']) {
      const ip = parseIpLiteral(f);
      assert.ok(ip, f);
      assert.ok(refusedAddress(ip, new Set()), `${f} → ${ip} must be refused`);
    }
    assert.equal(parseIpLiteral('pypi.org'), undefined);
  });

  it('refuses private, special and metadata addresses and passes public ones', () => {
    const refused = ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
      '224.0.0.1', '255.255.255.255', '192.0.2.1', '198.18.0.1', '::', '::1', 'fe80::1', 'fd00:ec2::254', 'fc00::1',
      '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:7f00:1::', '2001::1', 'ff02::1', '0.1.2.3'];
    for (const a of refused) assert.ok(refusedAddress(a, new Set()), a);
    assert.equal(refusedAddress('8.8.8.8', new Set()), undefined);
    assert.equal(refusedAddress('2606:4700::1111', new Set()), undefined);
    assert.match(refusedAddress('10.9.8.7', new Set(['10.9.8.7'])) ?? '', /private/);
    assert.match(refusedAddress('93.184.215.14', new Set(['93.184.215.14'])) ?? '', /own address/);
  });
});

describe('host rules', () => {
  it('matches exact hosts, wildcards at any depth, and ports', () => {
    assert.equal(matchesHost(parseHostRule('pypi.org'), 'pypi.org', 443), true);
    assert.equal(matchesHost(parseHostRule('pypi.org'), 'evil-pypi.org', 443), false);
    assert.equal(matchesHost(parseHostRule('*.github.com'), 'a.b.github.com', 443), true);
    assert.equal(matchesHost(parseHostRule('*.github.com'), 'github.com', 443), false);
    assert.equal(matchesHost(parseHostRule('*.github.com'), 'github.com', 443, true), true);
    assert.equal(matchesHost(parseHostRule('*.github.com'), 'notgithub.com', 443), false);
    assert.equal(matchesHost(parseHostRule('api.test:8443'), 'api.test', 443), false);
    assert.equal(matchesHost(parseHostRule('API.test:8443'), 'api.test', 8443), true);
  });

  it('parses local endpoints and refuses ranges', () => {
    assert.deepEqual(parseLocalEndpoint('[::1]:8080'), { address: '::1', port: 8080, source: '[::1]:8080' });
    assert.throws(() => parseLocalEndpoint('127.0.0.0/8:80'));
  });
});

describe('decideTarget', () => {
  it('allows an allowed name that resolves to a public address, and returns that address', async () => {
    const d = await decideTarget('Pypi.org.', 443, rules({ allow: [parseHostRule('pypi.org')], map: { 'pypi.org': ['151.101.0.223'] } }));
    assert.deepEqual(d, { allowed: true, host: 'pypi.org', address: '151.101.0.223', reason: 'network.allow: pypi.org' });
  });

  it('prefers a vetted IPv4 answer over IPv6', async () => {
    const d = await decideTarget('dual.test', 443, rules({ allow: [parseHostRule('dual.test')], map: { 'dual.test': ['2606:4700::1111', '8.8.8.8'] } }));
    assert.equal(d.allowed && d.address, '8.8.8.8');
    const v6 = await decideTarget('six.test', 443, rules({ allow: [parseHostRule('six.test')], map: { 'six.test': ['2606:4700::1111'] } }));
    assert.equal(v6.allowed && v6.address, '2606:4700::1111');
  });

  it('deny wins over allow, wildcard deny covers the apex', async () => {
    const r = rules({ allow: [parseHostRule('*.example.com'), parseHostRule('example.com')], deny: [parseHostRule('*.example.com')], map: { 'example.com': ['8.8.8.8'], 'a.example.com': ['8.8.8.8'] } });
    assert.equal((await decideTarget('a.example.com', 443, r)).allowed, false);
    assert.equal((await decideTarget('example.com', 443, r)).allowed, false);
  });

  it('refuses names not in the allow list without resolving them', async () => {
    let asked = 0;
    const d = await decideTarget('evil.test', 443, rules({ resolve: async () => { asked++; return ['8.8.8.8']; } }));
    assert.equal(d.allowed, false);
    assert.equal(asked, 0);
  });

  it('refuses an allowed name whose answers include any private address (rebinding)', async () => {
    const r = rules({ allow: [parseHostRule('api.test')], map: { 'api.test': ['8.8.8.8', '127.0.0.1'] } });
    const d = await decideTarget('api.test', 443, r);
    assert.equal(d.allowed, false);
    assert.match(d.reason, /127\.0\.0\.1.*loopback/);
  });

  it('refuses metadata names even when allowed, and every literal form of private addresses', async () => {
    const r = rules({ allow: [parseHostRule('metadata.google.internal'), parseHostRule('*.internal')], map: { 'metadata.google.internal': ['8.8.8.8'] } });
    assert.equal((await decideTarget('metadata.google.internal', 80, r)).allowed, false);
    for (const h of ['169.254.169.254', '2852039166', '0xa9fea9fe', '[fd00:ec2::254]', '[::ffff:169.254.169.254]', '0x7f.1', '10.0.0.1', '[::1]']) {
      const d = await decideTarget(h, 80, rules({ allow: [parseHostRule('*.test')] }));
      assert.equal(d.allowed, false, h);
    }
  });

  it('opens a local endpoint exactly (address and port), by literal or by an allowed name', async () => {
    const r = rules({ allow: [parseHostRule('dev.test')], local: [parseLocalEndpoint('127.0.0.1:5173')], map: { 'dev.test': ['127.0.0.1'], 'other.test': ['127.0.0.1'] } });
    assert.equal((await decideTarget('127.0.0.1', 5173, r)).allowed, true);
    assert.equal((await decideTarget('127.0.0.1', 5174, r)).allowed, false);
    assert.equal((await decideTarget('2130706433', 5173, r)).allowed, true);
    assert.equal((await decideTarget('127.0.0.2', 5173, r)).allowed, false);
    assert.equal((await decideTarget('dev.test', 5173, r)).allowed, true);
    assert.equal((await decideTarget('dev.test', 22, r)).allowed, false);
    assert.equal((await decideTarget('other.test', 5173, r)).allowed, false);
  });

  it('fails closed on resolver errors, timeouts and malformed names', async () => {
    const allow = [parseHostRule('*.test')];
    assert.equal((await decideTarget('x.test', 80, rules({ allow }))).allowed, false);
    const slow = { ...rules({ allow, resolve: () => new Promise<string[]>(() => undefined) }), resolveTimeoutMs: 20 };
    assert.match((await decideTarget('x.test', 80, slow)).reason, /timed out/);
    assert.equal((await decideTarget('a b.test', 80, rules({ allow }))).allowed, false);
    assert.equal((await decideTarget('x.test', 0, rules({ allow }))).allowed, false);
    assert.equal((await decideTarget('x.test', 80, rules({ allow, map: { 'x.test': ['not-an-ip'] } }))).allowed, false);
  });
});
