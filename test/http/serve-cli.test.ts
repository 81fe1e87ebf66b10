/**
 * `airlock serve` as a process: the first start prints an admin key once (stdout) and stores only
 * its hash; the key works; `--add-key` adds a key for a tenant and role; SIGTERM shuts down cleanly.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const main = path.join(root, 'src/surfaces/cli/main.ts');
const script = (args: string[]): string[] => ['--import', 'tsx', '--input-type=module', '-e', `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(${JSON.stringify(args)});`];

test('airlock serve: first-start admin key, --add-key, clean shutdown', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-serve-'));
  try {
    const child = spawn(process.execPath, script(['serve', '--port', '0', '--data-dir', dir]), { cwd: root, env: { ...process.env, AIRLOCK_API_KEYS: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL in time: ${err}`)), 30_000);
      const check = (): void => {
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
        if (m && /alk_/.test(out)) { clearTimeout(timer); resolve(m[1]!); }
      };
      child.stderr.on('data', check);
      child.stdout.on('data', check);
    });
    const key = out.trim();
    assert.match(key, /^alk_[\w-]{43}$/);
    assert.ok(!readFileSync(path.join(dir, 'keys.json'), 'utf8').includes(key), 'the key file holds no clear key');
    const who = await (await fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${key}` } })).json();
    assert.deepEqual(who, { name: 'admin', tenant: 'default', role: 'admin' });
    child.kill('SIGTERM');
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0, err);

    const add = spawnSync(process.execPath, script(['serve', '--add-key', 'acme:reviewer:alice', '--data-dir', dir]), { cwd: root, encoding: 'utf8' });
    assert.equal(add.status, 0, add.stderr);
    assert.match(add.stdout.trim(), /^alk_/);
    const keys = JSON.parse(readFileSync(path.join(dir, 'keys.json'), 'utf8')).keys;
    assert.deepEqual(keys.map((k: { tenant: string; role: string }) => `${k.tenant}:${k.role}`), ['default:admin', 'acme:reviewer']);
    const bad = spawnSync(process.execPath, script(['serve', '--add-key', 'acme:boss', '--data-dir', dir]), { cwd: root, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /role "boss" is not one of agent, reviewer, admin/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
