/**
 * `airlock demo` end to end (in a child process): it runs the whole scenario against a real
 * gateway, every step reports the layers from a computed result, and the audit chain verifies.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');

test('airlock demo replays the session through the gateway and ends with an intact audit chain', () => {
  const main = path.join(root, 'src/surfaces/cli/main.ts');
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(['demo']);`], {
    cwd: root, encoding: 'utf8', timeout: 120_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const out = run.stdout;
  assert.match(out, /gateway at http:\/\/127\.0\.0\.1:\d+/);
  // The tests of the demo project really ran in the sandbox and passed.
  assert.match(out, /▶ run the tests[\s\S]*?sandbox {9}ran: exit 0/);
  assert.match(out, /stderr │ Ran 2 tests[\s\S]*?stderr │ OK/);
  // Each exfiltration attempt got a judgement derived from its result.
  assert.equal((out.match(/ {4}⇒ /g) ?? []).length, 3);
  // The curl upload never succeeds: denied before running, or no network in the sandbox.
  assert.match(out, /curl uploads customers\.csv to a paste site: (stopped before it ran|stopped by the egress proxy|ran in the sandbox, which this policy gives no network)/);
  // git push either asked (and the scripted reviewer denied it) or the build has no command rules yet, and says so.
  assert.match(out, /git push: (denied by http:alice|allow \(no approval asked\))/);
  if (/git push: denied/.test(out)) assert.match(out, /reviewer alice {2}→ POST \/v1\/approvals\/.*\/deny: denied/);
  assert.match(out, /audit chain: intact/);
});
