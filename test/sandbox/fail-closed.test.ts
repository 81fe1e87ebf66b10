/**
 * Fail-closed: where the sandbox cannot isolate (no bubblewrap, namespaces refused, a bad
 * workspace) Airlock refuses with a message that says why and what to do, and the program never
 * runs unconfined.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAirlock } from '../../src/airlock.js';
import { isAirlockError, SandboxError } from '../../src/core/errors.js';
import { defaultPolicy } from '../../src/policy/schema.js';
import { findBwrap, runSandboxed } from '../../src/sandbox/index.js';
import { cleanup, policyFor, tempDir } from './helpers.js';

describe('sandbox fails closed', () => {
  let ws: string;
  let bin: string;
  before(() => {
    ws = tempDir('airlock-ws-');
    bin = tempDir('airlock-bin-');
  });
  after(() => {
    delete process.env.AIRLOCK_BWRAP;
    cleanup(ws, bin);
  });

  const attempt = () => runSandboxed({ argv: ['/bin/sh', '-c', `touch ${ws}/ran`], policy: policyFor(ws) });

  it('refuses when bubblewrap is missing, and the program does not run', async () => {
    process.env.AIRLOCK_BWRAP = path.join(bin, 'no-such-bwrap');
    await assert.rejects(attempt(), (e: unknown) => {
      assert.ok(e instanceof SandboxError && isAirlockError(e));
      assert.equal(e.reason, 'unsupported');
      assert.match(e.message, /bubblewrap/);
      assert.match(e.hint ?? '', /apt-get install -y bubblewrap|setup\.sh/);
      return true;
    });
    assert.equal(existsSync(path.join(ws, 'ran')), false);
  });

  it('refuses when namespaces cannot be created (as inside Docker), and the program does not run', async () => {
    const fake = path.join(bin, 'bwrap');
    writeFileSync(fake, '#!/bin/sh\necho "bwrap: Creating new namespace failed: Operation not permitted" >&2\nexit 1\n');
    chmodSync(fake, 0o755);
    process.env.AIRLOCK_BWRAP = fake;
    await assert.rejects(attempt(), (e: unknown) => {
      assert.ok(e instanceof SandboxError);
      assert.match(e.message, /could not start: .*Creating new namespace failed/);
      assert.match(e.hint ?? '', /User namespaces are blocked/);
      return true;
    });
    assert.equal(existsSync(path.join(ws, 'ran')), false);
  });

  it('refuses a policy whose paths are not resolved, and writes nothing where it was started', async () => {
    // bubblewrap reads a relative destination against the sandbox root: `workspace: .` would be
    // mounted over `/`, its mount points created in the caller's directory.
    delete process.env.AIRLOCK_BWRAP;
    const cwd = process.cwd();
    process.chdir(ws);
    try {
      await assert.rejects(runSandboxed({ argv: ['/bin/true'], policy: defaultPolicy() }), /workspace "\." is not an absolute path/);
      await assert.rejects(runSandboxed({ argv: ['/bin/true'], policy: { ...policyFor(ws), filesystem: { read: ['data'], write: [], deny: [] } } }),
        /filesystem\.read "data" is not an absolute path/);
      assert.deepEqual(readdirSync(ws), []);
      // createAirlock resolves a policy built in code against the working directory, as loadPolicy does.
      const airlock = createAirlock({ policy: defaultPolicy(), audit: false });
      const r = await airlock.run({ kind: 'command', argv: ['/bin/sh', '-c', 'pwd; touch made-here'] });
      assert.equal(r.exitCode, 0, r.stderr);
      assert.equal(r.stdout.trim(), ws);
      assert.deepEqual(readdirSync(ws), ['made-here']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('refuses a system directory or a missing directory as the workspace', async () => {
    delete process.env.AIRLOCK_BWRAP;
    await assert.rejects(runSandboxed({ argv: ['true'], policy: { ...policyFor(ws), workspace: '/' } }), /system directory/);
    await assert.rejects(runSandboxed({ argv: ['true'], policy: { ...policyFor(ws), workspace: path.join(ws, 'missing') } }), /does not exist/);
  });
});

describe('sandbox set-up failures after start', () => {
  it('reports a mount that fails inside bubblewrap as an Airlock failure, not a program failure', async () => {
    const ws = tempDir('airlock-ws-');
    try {
      await assert.rejects(
        runSandboxed({ argv: ['/bin/sh', '-c', `touch ${ws}/ran`], policy: policyFor(ws), extraBinds: [{ host: path.join(ws, 'vanished'), sandbox: '/mnt/x' }] }),
        (e: unknown) => e instanceof SandboxError && e.reason === 'spawn' && /Can't find source path/.test(e.message),
      );
      assert.equal(existsSync(path.join(ws, 'ran')), false);
    } finally {
      cleanup(ws);
    }
  });
});

describe('the seccomp gate', () => {
  // The runner hands bubblewrap its seccomp program only after the sandbox has joined its cgroup
  // (runner.ts, attachThenRelease). If Airlock fails or dies before that, bubblewrap reads an empty
  // program: this checks that the installed bubblewrap then refuses to start the command.
  it('bubblewrap runs nothing when the seccomp pipe closes empty', () => {
    const ws = tempDir('airlock-ws-');
    try {
      const bwrap = findBwrap();
      assert.ok(bwrap, 'bubblewrap is needed for this test');
      // /dev/null reads as a pipe closed with nothing written.
      const empty = openSync('/dev/null', 'r');
      const r = spawnSync(bwrap, ['--ro-bind', '/', '/', '--bind', ws, ws, '--unshare-all', '--seccomp', '3', '--', '/bin/sh', '-c', `touch ${ws}/ran`], {
        stdio: ['ignore', 'ignore', 'pipe', empty],
      });
      closeSync(empty);
      assert.notEqual(r.status, 0);
      assert.match(r.stderr.toString(), /seccomp/i);
      assert.equal(existsSync(path.join(ws, 'ran')), false);
    } finally {
      cleanup(ws);
    }
  });
});
