/**
 * The warm launcher (runner.ts): a run may start from a launcher that was started ahead of time,
 * already inside its own control group. These tests make sure such runs are the same runs: every
 * argument reaches the program byte for byte (newlines, quotes, backslashes, `$`), the group's
 * limits hold (fork bomb, memory bomb), nothing of the run survives it, and turning the launcher off
 * really turns it off.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { detectCgroups } from '../../src/sandbox/limits/cgroup.js';
import { setWarmLauncher, warmLauncherUses, warmLine } from '../../src/sandbox/runner.js';
import { cleanup, hostProcessesMatching, sandbox, sh, tempDir } from './helpers.js';

const hasGroups = detectCgroups() !== null;

describe('warm launcher', { skip: hasGroups ? false : 'no cgroups here: runs never use a warm launcher' }, () => {
  let ws: string;
  before(() => {
    ws = tempDir('airlock-warm-');
    setWarmLauncher(true);
  });
  after(() => cleanup(ws));

  it('passes every argument byte for byte', async () => {
    const words = ['plain', '', 'two words', "it's", 'back\\slash \\n \\c \\0012', 'line1\nline2', 'trailing newlines\n\n', '\n', '$(id) `id` ${HOME} $HOME', '"double"', 'ünïcødé ✓', '-- --args 5', '%b %s'];
    // The first run starts the launcher the second one uses.
    await sandbox(ws, ['/bin/true']);
    const before = warmLauncherUses();
    const r = await sandbox(ws, ['/bin/sh', '-c', 'for a in "$@"; do printf "%s\\0" "$a"; done', 'sh', ...words]);
    assert.equal(warmLauncherUses(), before + 1, 'the run did not start from the warm launcher');
    assert.equal(r.exitCode, 0, r.stderr);
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), words);
  });

  it('holds the process limit and leaves nothing behind', async () => {
    const limits = { processes: 48, timeout: '6s' };
    await sh(ws, 'true', { limits });
    const before = warmLauncherUses();
    const marker = `sleep 7${process.pid}.25`;
    const r = await sh(ws, `${marker} & bomb() { bomb | bomb & }; bomb; sleep 2`, { limits });
    assert.equal(warmLauncherUses(), before + 1);
    assert.ok(r.limits.processesExceeded || r.limits.timedOut, JSON.stringify(r.limits));
    assert.deepEqual(hostProcessesMatching(marker), []);
  });

  it('holds the memory limit', async () => {
    const limits = { memory: '128MiB' };
    await sh(ws, 'true', { limits });
    const before = warmLauncherUses();
    const r = await sandbox(ws, ['python3', '-c', 'x = bytearray(400 * 1024 * 1024)\nprint("allocated")'], { limits });
    assert.equal(warmLauncherUses(), before + 1);
    assert.doesNotMatch(r.stdout, /allocated/);
    assert.notEqual(r.exitCode, 0);
  });

  it('is not used for other limits, and not at all when turned off', async () => {
    await sh(ws, 'true', { limits: { processes: 40 } });
    let before = warmLauncherUses();
    const other = await sh(ws, 'echo ok', { limits: { processes: 41 } });
    assert.equal(other.stdout, 'ok\n');
    assert.equal(warmLauncherUses(), before, 'a launcher made for other limits was used');
    setWarmLauncher(false);
    try {
      await sh(ws, 'true');
      before = warmLauncherUses();
      assert.equal((await sh(ws, 'echo cold')).stdout, 'cold\n');
      assert.equal(warmLauncherUses(), before);
    } finally {
      setWarmLauncher(true);
    }
  });
});

describe('warmLine', () => {
  it('quotes the command and rebuilds words with newlines through printf', () => {
    const line = warmLine(['ulimit -c 0'], '/usr/bin/bwrap', ['/bin/echo', "a'b", 'x\ny']);
    assert.match(line, /^ulimit -c 0 && w2=\$\(printf '%bX' 'x\\0012y'\) && w2=\$\{w2%X\} && exec '\/usr\/bin\/bwrap' --args 5 -- '\/bin\/echo' 'a'\\''b' "\$w2"$/);
    assert.doesNotMatch(line, /\n/);
  });
});
