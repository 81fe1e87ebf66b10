/**
 * `airlock policy init|check|show` and policy discovery, as a user runs them.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadPolicy } from '../../src/load-policy.js';
import { STARTER_POLICY } from '../../src/policy/starter.js';
import { defaultPolicy } from '../../src/policy/schema.js';
import { parsePolicyText } from '../../src/policy/load.js';
import { airlock } from '../cli/helpers.js';
import { cleanup, tempDir } from '../sandbox/helpers.js';

describe('policy files', () => {
  let dir: string;
  before(() => { dir = tempDir('airlock-policy-'); });
  after(() => cleanup(dir));

  it('the starter policy is exactly the built-in default', () => {
    const parsed = parsePolicyText(STARTER_POLICY);
    assert.ok(parsed.ok);
    if (parsed.ok) assert.deepEqual(parsed.value, { ...defaultPolicy(), commands: parsed.value.commands });
  });

  it('init writes a starter that check accepts, and refuses to overwrite without --force', () => {
    assert.equal(airlock(['policy', 'init'], { cwd: dir }).code, 0);
    assert.match(readFileSync(path.join(dir, 'airlock.policy.yaml'), 'utf8'), /every field is documented in docs\/policy\.md/);
    assert.equal(airlock(['policy', 'init'], { cwd: dir }).code, 1);
    const check = airlock(['policy', 'check'], { cwd: dir });
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /valid/);
  });

  it('check lists every problem with its path, as text and as JSON', () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'limits: { memory: lots, timeout: soon }\nnetwrok: {}\ncommands:\n  - { match: "git push", verdict: maybe }\n');
    const r = airlock(['policy', 'check', bad]);
    assert.equal(r.code, 1);
    for (const p of ['limits.memory', 'limits.timeout', 'commands[0].verdict', 'netwrok']) assert.match(r.stdout, new RegExp(p.replace(/[[\].]/g, '\\$&')));
    const j = JSON.parse(airlock(['policy', 'check', '--json', bad]).stdout);
    assert.equal(j.valid, false);
    assert.equal(j.issues.length, 4);
  });

  it('is discovered upward from the working directory; relative paths resolve against its directory', () => {
    const nested = path.join(dir, 'a', 'b');
    mkdirSync(nested, { recursive: true });
    writeFileSync(path.join(dir, 'a', 'airlock.policy.yaml'), 'workspace: .\nlimits: { timeout: 7s }\naudit: { store: logs/audit.db }\n');
    const loaded = loadPolicy({ cwd: nested });
    assert.equal(loaded.source, path.join(dir, 'a', 'airlock.policy.yaml'));
    assert.equal(loaded.policy.limits.timeout, 7000);
    assert.equal(loaded.policy.workspace, path.join(dir, 'a'));
    assert.equal(loaded.policy.audit.store, path.join(dir, 'a', 'logs', 'audit.db'));
    assert.match(loaded.hash, /^[0-9a-f]{64}$/);
    const show = JSON.parse(airlock(['policy', 'show'], { cwd: nested }).stdout);
    assert.equal(show.policy.limits.timeout, 7000);
  });

  it('falls back to the built-in default only when there is no file', () => {
    const empty = tempDir('airlock-nopolicy-');
    try {
      const loaded = loadPolicy({ cwd: empty });
      assert.equal(loaded.source, null);
      assert.equal(loaded.policy.workspace, empty);
      assert.throws(() => loadPolicy({ cwd: empty, file: 'missing.yaml' }), /cannot read policy file/);
    } finally {
      cleanup(empty);
    }
  });
});
