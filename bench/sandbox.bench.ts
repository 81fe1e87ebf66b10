/**
 * Sandbox start-up: bare spawn, raw bubblewrap, Airlock's sandbox runner and pipeline, and the
 * CLI, for `/bin/true` and `python3 -c pass`, all measured in the same run on the same machine.
 * Targets (issue 2): the library call within 1.5× of raw bwrap (p50); the CLI within 3× of a bare
 * `node -e 0` start.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAirlock } from '../src/airlock.js';
import { defaultPolicy, resolvePolicyPaths } from '../src/policy/index.js';
import { runSandboxed } from '../src/sandbox/index.js';
import { machine, ms, percentile, timeRuns, writeSection } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const ws = mkdtempSync(path.join(os.tmpdir(), 'airlock-bench-'));
const policy = resolvePolicyPaths({ ...defaultPolicy(), workspace: ws }, ws, os.homedir());
const airlock = createAirlock({ policy });
const BIN = path.resolve('bin/airlock');

const run = (file: string, args: string[]) => new Promise<void>((resolve, reject) => {
  const c = spawn(file, args, { stdio: 'ignore', cwd: ws });
  c.on('error', reject);
  c.on('close', () => resolve());
});

const load = (): string => os.loadavg().map((l) => l.toFixed(2)).join(' / ');
const loadBefore = load();
const rows: { name: string; values: number[] }[] = [];
const measure = async (name: string, fn: () => Promise<unknown>) => {
  rows.push({ name, values: await timeRuns(fn, RUNS) });
  process.stderr.write(`  ${name}\n`);
};

for (const [label, argv] of [['/bin/true', ['/bin/true']], ['python3 -c pass', ['/usr/bin/python3', '-c', 'pass']]] as const) {
  const [cmd, ...args] = argv;
  await measure(`bare spawn: ${label}`, () => run(cmd, args));
  await measure(`raw bwrap --unshare-all: ${label}`, () => run('bwrap', ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-all', '--die-with-parent', ...argv]));
  await measure(`Airlock runSandboxed(): ${label}`, () => runSandboxed({ argv: [...argv], policy, cwd: ws }));
  await measure(`Airlock createAirlock().run(): ${label}`, () => airlock.run({ kind: 'command', argv: [...argv] }));
  await measure(`airlock run (CLI): ${label}`, () => run(BIN, ['run', '--', ...argv]));
}
await measure('node -e 0 (baseline for the CLI)', () => run(process.execPath, ['-e', '0']));
rmSync(ws, { recursive: true, force: true });

const p50 = (name: string) => percentile(rows.find((r) => r.name === name)!.values, 50);
const table = rows.map((r) => `| ${r.name} | ${ms(percentile(r.values, 50))} | ${ms(percentile(r.values, 90))} |`).join('\n');
const ratio = (a: string, b: string) => (p50(a) / p50(b)).toFixed(2);
writeSection('sandbox', `## Sandbox start-up (issue 2)

Machine: ${machine()}. ${RUNS} timed runs after 3 warm-ups each, spawned from one Node process;
milliseconds. Load average (1 / 5 / 15 min) ${loadBefore} before, ${load()} after: the machine is shared,
so compare the ratios, which come from the same run. The CLI runs with its V8 code cache, which its
first warm-up run writes (docs/architecture.md). Reproduce: \`npm run bench -- sandbox\`.

| what | p50 ms | p90 ms |
| --- | --- | --- |
${table}

| ratio (p50) | value | target |
| --- | --- | --- |
| runSandboxed / raw bwrap, /bin/true | ${ratio('Airlock runSandboxed(): /bin/true', 'raw bwrap --unshare-all: /bin/true')} | ≤ 1.5 |
| createAirlock().run / raw bwrap, /bin/true | ${ratio('Airlock createAirlock().run(): /bin/true', 'raw bwrap --unshare-all: /bin/true')} | ≤ 1.5 |
| runSandboxed / raw bwrap, python3 | ${ratio('Airlock runSandboxed(): python3 -c pass', 'raw bwrap --unshare-all: python3 -c pass')} | ≤ 1.5 |
| CLI / node -e 0, /bin/true | ${ratio('airlock run (CLI): /bin/true', 'node -e 0 (baseline for the CLI)')} | ≤ 3 |

Raw bwrap here is the minimal \`bwrap --ro-bind / / --dev /dev --proc /proc --unshare-all\`; Airlock adds a
fresh root with only the system set, secret masks, a seccomp filter, a private home and /tmp, per-run
memory and pids cgroups, rlimits, output capture and a status channel. For reference the peer CLI
(sandbox-runtime's \`srt\`) was measured at about 290 ms per command on this kind of machine
(research/sandbox-anchors.md §3.2).
`);
