/**
 * Escape suite, filesystem and environment: each test tries to read or change the host from
 * inside the sandbox and then checks the host itself.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanup, sh, tempDir } from './helpers.js';

describe('sandbox escape: filesystem and environment', () => {
  let ws: string;
  let outside: string;
  const secret = `host-secret-${process.pid}-${Date.now()}`;
  const homeSecret = path.join(os.homedir(), `.airlock-test-secret-${process.pid}`);

  before(() => {
    ws = tempDir('airlock-ws-');
    outside = tempDir('airlock-outside-');
    writeFileSync(path.join(outside, 'secret.txt'), secret);
    writeFileSync(homeSecret, secret);
  });
  after(() => {
    cleanup(ws, outside);
    cleanup(homeSecret);
  });

  it('cannot read host files outside the workspace, in $HOME, or /etc/shadow', async () => {
    const r = await sh(ws, `cat ${outside}/secret.txt; cat ${homeSecret}; cat /etc/shadow; ls -a ~; cat /root/.bash_history`);
    assert.ok(!r.stdout.includes(secret), 'host secret leaked');
    assert.ok(!/root:[^:]*:\d+/.test(r.stdout), '/etc/shadow leaked');
    assert.match(r.stderr, /No such file|Permission denied/);
  });

  it('sees only the system set at the top level, and no /sys, /var, /srv or /home of the host', async () => {
    const r = await sh(ws, 'ls /; ls /sys /var /srv /boot 2>&1; ls /sys/class/net 2>&1');
    const top = r.stdout.split('\n');
    for (const hidden of ['sys', 'var', 'srv', 'boot', 'opt', 'media', 'mnt']) assert.ok(!top.includes(hidden), `/${hidden} is visible`);
    assert.match(r.stdout, /No such file or directory/);
  });

  it('cannot write outside the workspace: plain path, .., system dirs', async () => {
    const target = path.join(outside, 'pwned.txt');
    const r = await sh(ws, `echo x > ${target}; echo x > ${ws}/../pwned-dotdot.txt; echo x > /usr/pwned; echo x > /etc/pwned; touch ok.txt`);
    assert.equal(existsSync(target), false);
    assert.equal(existsSync(path.join(path.dirname(ws), 'pwned-dotdot.txt')), false);
    assert.equal(existsSync('/usr/pwned'), false);
    assert.equal(existsSync('/etc/pwned'), false);
    assert.equal(existsSync(path.join(ws, 'ok.txt')), true, 'the workspace itself must stay writable');
    assert.match(r.stderr, /Read-only file system|No such file|Permission denied/);
  });

  it('cannot escape through a symlink planted in the workspace, before or during the run', async () => {
    const hostDir = tempDir('airlock-linktarget-');
    try {
      symlinkSync(hostDir, path.join(ws, 'planted-link'));
      await sh(ws, `echo x > planted-link/through-planted.txt; ln -s ${hostDir} made-link; echo x > made-link/through-made.txt; ln -s ${outside}/secret.txt leak; cat leak`);
      assert.equal(existsSync(path.join(hostDir, 'through-planted.txt')), false);
      assert.equal(existsSync(path.join(hostDir, 'through-made.txt')), false);
    } finally {
      cleanup(hostDir);
    }
  });

  it('cannot hard-link a host file into the workspace', async () => {
    const r = await sh(ws, `ln /etc/passwd hard-passwd; ln ${outside}/secret.txt hard-secret; echo rc=$?`);
    assert.equal(existsSync(path.join(ws, 'hard-passwd')), false);
    assert.equal(existsSync(path.join(ws, 'hard-secret')), false);
    assert.match(r.stderr, /Invalid cross-device link|No such file|Operation not permitted/);
  });

  it('starts with a cleared environment: host variables do not leak', async () => {
    process.env.AIRLOCK_TEST_TOKEN = secret;
    try {
      const r = await sh(ws, 'env');
      assert.ok(!r.stdout.includes(secret));
      assert.ok(!r.stdout.includes('AIRLOCK_TEST_TOKEN'));
      const names = r.stdout.trim().split('\n').map((l) => l.split('=')[0]).sort();
      for (const name of names) assert.ok(['PATH', 'LANG', 'TERM', 'HOME', 'TMPDIR', 'PWD', 'SHLVL', '_'].includes(name!), `unexpected variable ${name}`);
    } finally {
      delete process.env.AIRLOCK_TEST_TOKEN;
    }
  });

  it('passes only env.pass and env.set', async () => {
    process.env.AIRLOCK_TEST_PASSED = 'passed-value';
    try {
      const r = await sh(ws, 'echo "$AIRLOCK_TEST_PASSED/$EXTRA/$PATH"', { env: { pass: ['AIRLOCK_TEST_PASSED'], set: { EXTRA: 'set-value' } } });
      assert.match(r.stdout, /^passed-value\/set-value\/\/usr\/local\/bin/);
    } finally {
      delete process.env.AIRLOCK_TEST_PASSED;
    }
  });

  it('hides filesystem.deny paths and **/ globs even inside the workspace', async () => {
    mkdirSync(path.join(ws, 'keys'), { recursive: true });
    mkdirSync(path.join(ws, 'app', 'config'), { recursive: true });
    writeFileSync(path.join(ws, 'keys', 'id_rsa'), secret);
    writeFileSync(path.join(ws, 'app', 'config', '.env'), `TOKEN=${secret}`);
    writeFileSync(path.join(ws, 'app', 'visible.txt'), 'visible');
    const r = await sh(ws, 'cat keys/id_rsa; cat app/config/.env; cat app/visible.txt; echo x > keys/new', { filesystem: { deny: ['keys', '**/.env'] } });
    assert.ok(!r.stdout.includes(secret), 'a denied file was readable');
    assert.match(r.stdout, /visible/);
    assert.equal(existsSync(path.join(ws, 'keys', 'new')), false, 'a denied directory was writable');
    assert.equal(readFileSync(path.join(ws, 'app', 'config', '.env'), 'utf8'), `TOKEN=${secret}`, 'the host file must be untouched');
  });

  it('gives filesystem.read extras read-only and filesystem.write extras read-write', async () => {
    const ro = tempDir('airlock-ro-');
    const rw = tempDir('airlock-rw-');
    try {
      writeFileSync(path.join(ro, 'data.txt'), 'readable');
      const r = await sh(ws, `cat ${ro}/data.txt; echo x > ${ro}/nope.txt; echo y > ${rw}/yes.txt`, { filesystem: { read: [ro], write: [rw] } });
      assert.match(r.stdout, /readable/);
      assert.equal(existsSync(path.join(ro, 'nope.txt')), false);
      assert.equal(readFileSync(path.join(rw, 'yes.txt'), 'utf8'), 'y\n');
    } finally {
      cleanup(ro, rw);
    }
  });

  it('mounts paths passed as read-only read-only, and hides paths passed as hidden', async () => {
    writeFileSync(path.join(ws, 'airlock.policy.yaml'), 'mode: enforce\n');
    mkdirSync(path.join(ws, '.airlock'), { recursive: true });
    writeFileSync(path.join(ws, '.airlock', 'audit.db'), 'audit');
    const r = await sh(ws, 'echo "mode: monitor" > airlock.policy.yaml; cat .airlock/audit.db; echo x > .airlock/forged', {}, {
      readOnly: [path.join(ws, 'airlock.policy.yaml')],
      hidden: [path.join(ws, '.airlock')],
    });
    assert.equal(readFileSync(path.join(ws, 'airlock.policy.yaml'), 'utf8'), 'mode: enforce\n');
    assert.ok(!r.stdout.includes('audit'));
    assert.equal(existsSync(path.join(ws, '.airlock', 'forged')), false);
  });

  it('gives a private, empty, throw-away $HOME and /tmp', async () => {
    const marker = `tmp-marker-${process.pid}`;
    const r = await sh(ws, `ls -A "$HOME" | wc -l; echo x > "$HOME/${marker}"; echo y > /tmp/${marker}; ls /tmp | wc -l`);
    assert.equal(r.stdout.trim().split('\n')[0], '0');
    assert.equal(existsSync(path.join(os.homedir(), marker)), false);
    assert.equal(existsSync(path.join('/tmp', marker)), false);
  });

  it('shows the host /proc of no other process, and no fds beyond 0-2', async () => {
    const r = await sh(ws, `ls /proc | grep -E '^[0-9]+$' | wc -l; cat /proc/${process.pid}/environ 2>&1; ls /proc/self/fd`);
    const [count] = r.stdout.trim().split('\n');
    assert.ok(Number(count) <= 8, `sandbox sees ${count} processes`);
    assert.ok(!r.stdout.includes('AIRLOCK_TEST'), 'host process environment readable');
    const fds = r.stdout.trim().split('\n').slice(-1)[0]!.split(/\s+/).map(Number);
    assert.ok(fds.every((fd) => fd <= 3), `unexpected fds: ${fds.join(' ')}`);
  });
});
