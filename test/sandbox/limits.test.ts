/**
 * Resource limits and process lifetime: fork bomb, memory bomb, disk fill, output flood,
 * sleep-forever, CPU spin, orphaned daemons, and the caller going away. Each test checks both the
 * reported result and the host afterwards (no survivor processes, no oversized files).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { detectCgroups } from '../../src/sandbox/index.js';
import { cleanup, hostProcessesMatching, py, sh, tempDir } from './helpers.js';

describe('sandbox limits and process lifetime', () => {
  let ws: string;
  before(() => { ws = tempDir('airlock-ws-'); });
  after(() => cleanup(ws));

  it('stops a sleep-forever at the wall-clock limit', async () => {
    const r = await sh(ws, 'sleep 1000', { limits: { timeout: '1s' } });
    assert.equal(r.limits.timedOut, true);
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(r.durationMs < 10_000, `took ${r.durationMs} ms`);
  });

  it('contains a fork bomb within the process limit, and leaves nothing behind', async () => {
    const marker = `sleep 6${process.pid}.125`;
    const r = await sh(ws, `${marker} & bomb() { bomb | bomb & }; bomb; sleep 2`, { limits: { processes: 48, timeout: '6s' } });
    assert.ok(r.limits.processesExceeded || r.limits.timedOut, 'expected the process limit (or the timeout) to be hit');
    assert.equal(r.limits.enforced.processes?.value, 48);
    assert.deepEqual(hostProcessesMatching(marker), []);
  });

  it('kills a memory bomb at the memory limit', async () => {
    const r = await py(ws, 'x = bytearray(400 * 1024 * 1024)\nprint("allocated")', { limits: { memory: '128MiB' } });
    assert.doesNotMatch(r.stdout, /allocated/);
    assert.ok(r.limits.memoryExceeded || /MemoryError/.test(r.stderr), `expected the memory limit: ${JSON.stringify(r.limits)} ${r.stderr}`);
    assert.notEqual(r.exitCode, 0);
  });

  it('stops a disk fill at the file size limit', async () => {
    const r = await sh(ws, 'head -c 50000000 /dev/zero > big.bin', { limits: { fileSize: '4MiB' } });
    assert.equal(r.limits.fileSizeExceeded, true);
    assert.equal(statSync(path.join(ws, 'big.bin')).size, 4 * 1024 * 1024);
  });

  it('caps a flood of output and reports the truncation', async () => {
    const r = await sh(ws, 'head -c 5000000 /dev/zero | tr "\\0" a; echo done >&2', { limits: { output: '64KiB' } });
    assert.equal(r.limits.outputTruncated, true);
    assert.equal(r.stdout.length, 64 * 1024);
    assert.match(r.stderr, /done/);
    assert.equal(r.exitCode, 0);
  });

  it('stops a CPU spin at the CPU limit', async () => {
    const r = await py(ws, 'while True: pass', { limits: { cpu: '1s', timeout: '20s' } });
    assert.equal(r.limits.cpuExceeded, true);
    assert.equal(r.limits.timedOut, false);
  });

  it('kills daemons, setsid and double-forked children when the run ends', async () => {
    const marker = `9${process.pid}.5`;
    const r = await sh(ws, `setsid sleep ${marker} & nohup sleep ${marker} >/dev/null 2>&1 & (sleep ${marker} &) ; echo started`);
    assert.match(r.stdout, /started/);
    await sleep(200);
    assert.deepEqual(hostProcessesMatching(`sleep ${marker}`), [], 'a sandboxed process survived the run');
  });

  it('kills the whole sandbox when the caller dies', async () => {
    const marker = `8${process.pid}.25`;
    const script = path.join(ws, 'caller.mts');
    writeFileSync(script, `
import { runSandboxed } from ${JSON.stringify(path.resolve('src/sandbox/index.ts'))};
import { policyFor } from ${JSON.stringify(path.resolve('test/sandbox/helpers.ts'))};
await runSandboxed({ argv: ['/bin/sh', '-c', 'setsid sleep ${marker} & sleep ${marker}'], policy: policyFor(${JSON.stringify(ws)}), onStdout() {} });
`);
    const caller = spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'ignore' });
    const deadline = Date.now() + 15_000;
    while (hostProcessesMatching(`sleep ${marker}`).length < 2 && Date.now() < deadline) await sleep(100);
    assert.equal(hostProcessesMatching(`sleep ${marker}`).length, 2, 'the sandboxed sleeps did not start');
    caller.kill('SIGKILL');
    const gone = Date.now() + 5_000;
    while (hostProcessesMatching(`sleep ${marker}`).length > 0 && Date.now() < gone) await sleep(100);
    assert.deepEqual(hostProcessesMatching(`sleep ${marker}`), [], 'sandboxed processes outlived their caller');
  });

  it('aborts on signal and leaves nothing behind', async () => {
    const marker = `7${process.pid}.75`;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const r = await sh(ws, `sleep ${marker}`, {}, { signal: controller.signal });
    assert.notEqual(r.exitCode, 0);
    assert.deepEqual(hostProcessesMatching(`sleep ${marker}`), []);
  });

  it('passes stdin through and reports the program exit code', async () => {
    const r = await sh(ws, 'tr a-z A-Z; exit 7', {}, { stdin: 'hello' });
    assert.equal(r.stdout, 'HELLO');
    assert.equal(r.exitCode, 7);
    assert.equal(existsSync(path.join(ws, 'caller.mts')), true);
  });

  it('removes empty run groups a killed Airlock left behind, and only old ones', (t) => {
    const parent = detectCgroups()?.pids;
    if (!parent) return t.skip('no pids cgroup on this machine');
    const stale = path.join(parent, `airlock-stale-${process.pid}`);
    const young = path.join(parent, `airlock-young-${process.pid}`);
    mkdirSync(stale);
    mkdirSync(young);
    const old = new Date(Date.now() - 5 * 60_000);
    utimesSync(stale, old, old);
    try {
      const code = `import { createRunCgroup } from ${JSON.stringify(path.resolve('src/sandbox/limits/cgroup.ts'))};
createRunCgroup('sweep' + process.pid, { memory: 1 << 28, processes: 16 })?.remove();`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(existsSync(stale), false, 'the stale group was not removed');
      assert.equal(existsSync(young), true, 'a young group was removed');
    } finally {
      for (const d of [stale, young]) try { rmdirSync(d); } catch { /* gone */ }
    }
  });
});
