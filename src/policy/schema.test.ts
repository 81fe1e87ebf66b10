import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPolicy, parsePolicy } from './schema.js';
import { parsePolicyText, resolvePolicyPaths } from './load.js';
import { parseDuration, parseSize } from './units.js';

describe('policy schema', () => {
  it('gives the documented defaults', () => {
    const p = defaultPolicy();
    assert.equal(p.mode, 'enforce');
    assert.equal(p.limits.timeout, 30_000);
    assert.equal(p.limits.memory, 512 * 1024 * 1024);
    assert.equal(p.limits.output, 1024 * 1024);
    assert.deepEqual(p.network.allow, []);
    assert.deepEqual(p.env.pass, ['PATH', 'LANG', 'TERM', 'HOME']);
    assert.ok(p.filesystem.deny.includes('~/.ssh'));
  });

  it('reports every problem at once, each with its path', () => {
    const r = parsePolicy({ netwrok: {}, limits: { memory: 'lots', timeout: 'soon' }, commands: [{ match: 'git push', verdict: 'maybe' }] });
    assert.equal(r.ok, false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path).sort();
    assert.deepEqual(paths, ['', 'commands[0].verdict', 'limits.memory', 'limits.timeout']);
    assert.match(r.issues.find((i) => i.path === '')!.message, /netwrok/);
  });

  it('rejects network ranges and malformed hosts', () => {
    const r = parsePolicy({ network: { allow: ['http://evil'], local: ['127.0.0.0/8'] } });
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual(r.issues.map((i) => i.path).sort(), ['network.allow[0]', 'network.local[0]']);
  });

  it('parses YAML and JSON, and reports YAML syntax errors', () => {
    assert.equal(parsePolicyText('mode: monitor\n').ok, true);
    assert.equal(parsePolicyText('{"mode":"monitor"}', 'x.json').ok, true);
    const bad = parsePolicyText('mode: [unclosed\n');
    assert.equal(bad.ok, false);
    const notMap = parsePolicyText('- a\n- b\n');
    assert.equal(notMap.ok, false);
  });

  it('resolves relative paths against the policy directory and ~ against home', () => {
    const p = resolvePolicyPaths(defaultPolicy(), '/repo', '/home/me');
    assert.equal(p.workspace, '/repo');
    assert.ok(p.filesystem.deny.includes('/home/me/.ssh'));
    assert.ok(p.filesystem.deny.includes('**/.env'));
    assert.equal(p.audit.store, '/repo/.airlock/audit.db');
  });
});

describe('units', () => {
  it('parses durations and sizes', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1.5m'), 90_000);
    assert.equal(parseDuration('2h'), 7_200_000);
    assert.equal(parseDuration('soon'), undefined);
    assert.equal(parseSize('512MiB'), 536_870_912);
    assert.equal(parseSize('1MB'), 1_000_000);
    assert.equal(parseSize('64k'), 65_536);
    assert.equal(parseSize('12 parsecs'), undefined);
  });
});
