/**
 * @module sandbox/runner
 * Runs one command inside bubblewrap under the policy's limits and returns what happened. The
 * runner owns the I/O the plan describes: it makes the per-run scratch directories and control
 * group, starts `/bin/sh` as a one-line launcher (set rlimits, `exec bwrap`), moves the sandbox
 * into the group while bubblewrap builds its mounts and only then feeds it the seccomp program
 * (the gate: see `attachThenRelease`), watches bwrap's status channel to tell "the sandbox could not
 * start" (an Airlock failure, thrown) from "the program failed" (a result), caps output, enforces
 * the wall clock, and afterwards kills whatever is left and removes every trace. It never runs a
 * program unconfined: any failure to isolate is a `SandboxError`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { emptyLimits, type LimitsReport } from '../core/contracts.js';
import { SandboxError } from '../core/errors.js';
import { shellQuote } from '../core/shell-quote.js';
import type { Policy } from '../policy/schema.js';
import { buildLaunchPlan, type ExtraBind, type HostView } from './bubblewrap/plan.js';
import { createRunCgroup, type RunCgroup } from './limits/cgroup.js';
import { buildSeccompFilter } from './seccomp/filter.js';

/** One command to run in the sandbox. */
export interface SandboxRequest {
  argv: string[];
  /** A resolved policy (see `loadPolicy` / `resolvePolicyPaths`). */
  policy: Policy;
  /** Where to start; used when it is inside a visible tree, else the workspace. */
  cwd?: string;
  /** `inherit` passes Airlock's own stdin through; a string or bytes are fed and closed. Default: none. */
  stdin?: 'inherit' | 'ignore' | string | Uint8Array;
  /** Extra variables, set after `env.pass` and `env.set` (canaries, proxy settings). */
  env?: Record<string, string>;
  /** Files created in the sandbox's private home (relative paths), e.g. decoy credentials. */
  homeFiles?: { path: string; content: string; mode?: number }[];
  /** Files placed read-only under `/run/airlock/` (code snippets, CA certificates). */
  runFiles?: { name: string; content: string | Uint8Array }[];
  extraBinds?: ExtraBind[];
  /** Arguments put before `argv` inside the sandbox (the network bridge's launcher). */
  prelude?: string[];
  /** Host paths mounted read-only (the policy file, protected directories). */
  readOnly?: string[];
  /** Host paths hidden in addition to `filesystem.deny` (Airlock's own audit store). */
  hidden?: string[];
  /** Wall-clock limit for this run; the smaller of this and `limits.timeout` applies. */
  timeoutMs?: number;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  signal?: AbortSignal;
}

/** What a sandboxed run produced. */
export interface SandboxResult {
  /** The exit status as a shell reports it (128+N when a signal ended the program). */
  exitCode: number;
  /** The signal name when the status says a signal ended the program. */
  signal: string | null;
  stdout: Buffer;
  stderr: Buffer;
  limits: LimitsReport;
  durationMs: number;
  /** Paths hidden by `filesystem.deny`, after glob expansion. */
  hidden: string[];
  notes: string[];
}

/** Where `/run/airlock` files live inside the sandbox. */
export const RUN_DIR = '/run/airlock';
const SYSTEM_DIRS = ['/', '/usr', '/etc', '/proc', '/dev', '/sys', '/bin', '/sbin', '/lib', '/lib64', '/boot', '/run', '/var'];
const MAX_DENY_SCAN = 20_000;

let bwrapPath: string | undefined;
let seccompProgram: Buffer | undefined;

/** Finds bubblewrap: `$AIRLOCK_BWRAP`, else `bwrap` on PATH or in the usual places. */
export function findBwrap(): string | undefined {
  const override = process.env.AIRLOCK_BWRAP;
  if (override) return isExecutable(override) ? override : undefined;
  if (bwrapPath) return bwrapPath;
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/local/bin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = path.join(dir, 'bwrap');
    if (isExecutable(candidate)) return (bwrapPath = candidate);
  }
  return undefined;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The host facts the plan needs, read from the real filesystem. */
const hostView: HostView = {
  kind(p) {
    try {
      const st = lstatSync(p);
      return st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
    } catch {
      return undefined;
    }
  },
  readlink: (p) => readlinkSync(p),
  findMatches(root, pattern) {
    // `**/name` or `**/dir/name`: match the tail against the path below root, without following links.
    const tail = pattern.replace(/^\*\*\//, '');
    const out: string[] = [];
    let seen = 0;
    const walk = (dir: string): void => {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (++seen > MAX_DENY_SCAN) return;
        const full = path.join(dir, e.name);
        if (full.endsWith(`/${tail}`)) out.push(full);
        if (e.isDirectory() && e.name !== 'node_modules' && e.name !== '.git') walk(full);
      }
    };
    walk(root);
    return out;
  },
};

/** `hostView` with each path's kind read once per plan (the masks ask about /etc's secrets twice). */
function snapshotView(): HostView {
  const kinds = new Map<string, ReturnType<HostView['kind']>>();
  return {
    ...hostView,
    kind(p) {
      if (!kinds.has(p)) kinds.set(p, hostView.kind(p));
      return kinds.get(p);
    },
  };
}

function checkPlatform(policy: Policy): void {
  if (process.platform !== 'linux') {
    throw new SandboxError('unsupported', `Airlock's sandbox needs Linux; this is ${process.platform}.`, {
      hint: 'Run Airlock on a Linux host or VM. It never runs a program unconfined.',
    });
  }
  const ws = policy.workspace;
  // bubblewrap reads a relative destination against the sandbox's root: a workspace of `.` would be
  // mounted over `/` (and its mount points created in the caller's directory). Refuse unresolved paths.
  const unresolved = [['workspace', ws], ...(['read', 'write', 'deny'] as const)
    .flatMap((k) => policy.filesystem[k].map((p) => [`filesystem.${k}`, p]))]
    .find(([, p]) => !path.isAbsolute(p!) && !p!.startsWith('**'));
  if (unresolved) {
    throw new SandboxError('spawn', `${unresolved[0]} "${unresolved[1]}" is not an absolute path; the sandbox needs a resolved policy.`, {
      hint: 'Pass the policy through loadPolicy(), or resolvePolicyPaths(policy, baseDir, os.homedir()) from airlock/policy (createAirlock does this for you).',
    });
  }
  if (SYSTEM_DIRS.includes(path.resolve(ws))) {
    throw new SandboxError('unsupported', `workspace ${ws} is a system directory; refusing to make it writable.`, {
      hint: 'Point `workspace` (or --workspace) at a project directory.',
    });
  }
  if (hostView.kind(ws) !== 'dir') {
    throw new SandboxError('spawn', `workspace ${ws} does not exist or is not a directory.`, {
      hint: 'Create it, or set `workspace` in the policy / pass --workspace.',
    });
  }
}

/** Builds the environment inside the sandbox from `env.pass`, `env.set` and the request. */
export function sandboxEnv(policy: Policy, home: string, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of policy.env.pass) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  env.HOME = home;
  env.TMPDIR = '/tmp';
  Object.assign(env, policy.env.set, extra);
  return env;
}

/**
 * A launcher started ahead of time, already inside a fresh control group. Moving a process into a
 * group costs an RCU grace period under cgroup v1 (3–6 ms here), on the critical path of every run;
 * a process that is born inside the group costs nothing. So each run starts the next run's launcher:
 * an idle `/bin/sh` in its own new group that waits on fd 5 for one line (the rlimits, then
 * `exec bwrap --args 5`) followed by bubblewrap's arguments. It holds nothing of any run, is used by
 * at most one run (the group's limits must equal that run's), and exits when Airlock's end of fd 5
 * closes (Airlock exited). Short-lived callers (the CLI) turn it off with `setWarmLauncher(false)`.
 */
interface WarmLauncher {
  child: ChildProcess;
  cgroup: RunCgroup;
  /** Resolves true once the launcher is inside every group of `cgroup`. */
  ready: Promise<boolean>;
  bwrap: string;
  key: string;
}

/** How the launcher shell is started, and what it must do first. */
interface LaunchShell {
  shell: string;
  args: string[];
  /** Closes the descriptors this process inherited without close-on-exec ('' when there are none). */
  close: string;
  /** `ulimit` units: bash counts -f in 1 KiB blocks and names the process limit -u (its -p is the pipe size). */
  fileBlock: number;
  processes: string;
}
let launchShell: LaunchShell | undefined;

/**
 * Descriptors above 5 that this process inherited without close-on-exec (a pipe, socket or file of
 * the agent that started Airlock: Node opens its own with close-on-exec). A child gets them all, and
 * bubblewrap would pass them into the sandbox.
 */
function inheritedDescriptors(): number[] {
  const fds: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc/self/fd');
  } catch {
    return fds;
  }
  for (const entry of entries) {
    const fd = Number(entry);
    if (!(fd > 5)) continue;
    try {
      const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      if (flags !== undefined && (parseInt(flags, 8) & 0o2000000) === 0) fds.push(fd);
    } catch { /* closed meanwhile */ }
  }
  return fds;
}

/**
 * The launcher's shell, chosen once per process: /bin/sh as before when nothing was inherited, else
 * a line that closes the inherited descriptors first (0-2 stdio, 3 seccomp, 4 status and 5 options
 * are the launcher's own), in bash when one is above 9 (dash cannot name it in a redirection). bash
 * reads ~/.bashrc even with -c when its stdin is a socket (Node's stdio pipes are socket pairs), so
 * it is told not to.
 */
function getLaunchShell(): LaunchShell {
  if (launchShell) return launchShell;
  const fds = inheritedDescriptors();
  const bash = fds.some((fd) => fd > 9) && existsSync('/bin/bash');
  const closable = bash ? fds : fds.filter((fd) => fd <= 9);
  launchShell = {
    shell: bash ? '/bin/bash' : '/bin/sh',
    args: bash ? ['--norc', '--noprofile', '-c'] : ['-c'],
    close: closable.length ? `exec ${closable.map((fd) => `${fd}>&-`).join(' ')}` : '',
    fileBlock: bash ? 1024 : 512,
    processes: bash ? '-u' : '-p',
  };
  return launchShell;
}

let warmEnabled = true;
let warm: WarmLauncher | undefined;
let warmUses = 0;

/** How many runs of this process started from a warm launcher (for tests and benchmarks). */
export function warmLauncherUses(): number {
  return warmUses;
}

/**
 * Turns the warm launcher on (the default) or off. A process that runs one command and exits
 * should turn it off: the launcher would only be started and thrown away.
 *
 * @example
 * setWarmLauncher(false) // the CLI's `airlock run`
 */
export function setWarmLauncher(enabled: boolean): void {
  warmEnabled = enabled;
  if (!enabled) discardWarm();
}

function discardWarm(): void {
  const w = warm;
  warm = undefined;
  if (!w) return;
  try { w.child.kill('SIGKILL'); } catch { /* gone */ }
  // The group is removed once the launcher has left it.
  w.child.once('exit', () => w.cgroup.remove());
}

function limitsKey(limits: { memory: number; processes: number }): string {
  return `${limits.memory}/${limits.processes}`;
}

function prepareWarm(bwrap: string, limits: { memory: number; processes: number }): void {
  if (!warmEnabled || warm) return;
  const cgroup = createRunCgroup(randomBytes(8).toString('hex'), limits);
  if (!cgroup) return;
  let child: ChildProcess;
  try {
    // Unused (Airlock exited), it leaves its group for the parent and removes it, best effort;
    // a group left behind is swept later (limits/cgroup.ts).
    const dirs = shellQuote(cgroup.procsFiles.map((f) => path.dirname(f)));
    const ls = getLaunchShell();
    const script = `${ls.close ? `${ls.close}; ` : ''}if IFS= read -r L <&5; then eval "$L"; fi; for d in ${dirs}; do echo $$ > "\${d%/*}/cgroup.procs" && rmdir "$d"; done 2>/dev/null`;
    child = spawn(ls.shell, [...ls.args, script], {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
      env: { PATH: '/usr/bin:/bin' },
    });
  } catch {
    cgroup.remove();
    return;
  }
  child.on('error', () => { /* reported by the run that takes it, or never used */ });
  for (const s of child.stdio) (s as (Writable | Readable) & { on?: unknown } | null)?.on?.('error', () => {});
  if (!child.pid) {
    cgroup.remove();
    return;
  }
  const pid = String(child.pid);
  const ready = Promise.all(cgroup.procsFiles.map((file) => writeFile(file, pid))).then(() => true, () => false);
  // Idle, it must not keep the caller's process alive.
  child.unref();
  for (const s of child.stdio) (s as { unref?: () => void } | null)?.unref?.();
  const w: WarmLauncher = { child, cgroup, ready, bwrap, key: limitsKey(limits) };
  child.once('exit', () => {
    if (warm === w) {
      warm = undefined;
      cgroup.remove();
    }
  });
  warm = w;
}

/**
 * The one line a warm launcher evaluates: the rlimits, then `exec bwrap --args 5 -- COMMAND…`.
 * bubblewrap takes its options from fd 5 but its command only from its own argv, so the command's
 * words are in the line, single-quoted; a word holding a newline (which would end the line) is
 * rebuilt by printf from an octal escape into a variable first.
 */
export function warmLine(limits: readonly string[], bwrap: string, command: readonly string[]): string {
  const assign: string[] = [];
  const words = command.map((word, i) => {
    if (!word.includes('\n')) return shellQuote([word]);
    const escaped = word.replace(/\\/g, '\\\\').replace(/\n/g, '\\0012');
    // The X keeps command substitution from eating trailing newlines.
    assign.push(`w${i}=$(printf '%bX' ${shellQuote([escaped])})`, `w${i}=\${w${i}%X}`);
    return `"$w${i}"`;
  });
  return [...limits, ...assign, `exec ${shellQuote([bwrap])} --args 5 -- ${words.join(' ')}`].join(' && ');
}

/** Takes the warm launcher if it fits this run and is ready, else undefined. */
async function takeWarm(bwrap: string, limits: { memory: number; processes: number }): Promise<WarmLauncher | undefined> {
  const w = warm;
  if (!w) return undefined;
  if (w.bwrap !== bwrap || w.key !== limitsKey(limits) || w.child.exitCode !== null || w.child.signalCode !== null) {
    discardWarm();
    return undefined;
  }
  warm = undefined;
  if (!(await w.ready) || w.child.exitCode !== null || w.child.signalCode !== null) {
    warm = w;
    discardWarm();
    return undefined;
  }
  warmUses++;
  w.child.ref();
  for (const s of w.child.stdio) (s as { ref?: () => void } | null)?.ref?.();
  return w;
}

/**
 * Runs a command in the sandbox. Throws `SandboxError` when the sandbox cannot be set up; any
 * outcome of the program itself (failure, timeout, a limit hit) is a result.
 *
 * @example
 * const r = await runSandboxed({ argv: ['echo', 'hi'], policy });
 * r.stdout.toString() // 'hi\n'
 */
export async function runSandboxed(req: SandboxRequest): Promise<SandboxResult> {
  const { policy } = req;
  checkPlatform(policy);
  const seccomp = (seccompProgram ??= buildSeccompFilter(process.arch));
  if (!seccomp) {
    throw new SandboxError('unsupported', `no seccomp filter for the ${process.arch} architecture yet.`, {
      hint: 'Airlock supports x86_64 Linux today; it will not run without its syscall filter.',
    });
  }
  const bwrap = findBwrap();
  if (!bwrap) {
    throw new SandboxError('unsupported', 'bubblewrap (bwrap) is not installed, so Airlock cannot isolate anything.', {
      hint: 'Install it: `bash scripts/setup.sh` or `apt-get install -y bubblewrap`. Airlock never runs a program unconfined.',
    });
  }

  const started = performance.now();
  const runId = randomBytes(8).toString('hex');
  const sandboxHome = policy.env.pass.includes('HOME') && process.env.HOME && process.env.HOME !== '/' ? process.env.HOME : '/home/airlock';
  // Scratch space on the host only when there are files to plant: a plain command gets an empty
  // tmpfs home and no /run/airlock.
  const needsScratch = (req.homeFiles?.length ?? 0) > 0 || (req.runFiles?.length ?? 0) > 0;
  const scratch = needsScratch ? mkdtempSync(path.join(os.tmpdir(), 'airlock-run-')) : undefined;
  const homeHost = scratch && req.homeFiles?.length ? path.join(scratch, 'home') : undefined;
  const runHost = scratch && req.runFiles?.length ? path.join(scratch, 'run') : undefined;
  if (homeHost) {
    mkdirSync(homeHost, { mode: 0o700 });
    for (const f of req.homeFiles ?? []) {
      const target = path.join(homeHost, f.path);
      if (!target.startsWith(`${homeHost}/`)) throw new SandboxError('internal', `home file ${f.path} escapes the sandbox home`);
      mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, f.content, { mode: f.mode ?? 0o600 });
    }
  }
  if (runHost) {
    mkdirSync(runHost, { mode: 0o755 });
    for (const f of req.runFiles ?? []) {
      if (f.name.includes('/')) throw new SandboxError('internal', `run file name ${f.name} must be a plain name`);
      writeFileSync(path.join(runHost, f.name), f.content, { mode: 0o644 });
    }
  }

  const limits = emptyLimits();
  const timeoutMs = Math.min(req.timeoutMs ?? Infinity, policy.limits.timeout);
  const cpuSeconds = Math.max(1, Math.ceil((policy.limits.cpu ?? policy.limits.timeout) / 1000));
  limits.enforced.timeout = { value: timeoutMs, mechanism: 'supervisor' };
  limits.enforced.output = { value: policy.limits.output, mechanism: 'supervisor' };
  limits.enforced.cpu = { value: cpuSeconds * 1000, mechanism: 'rlimit' };
  limits.enforced.fileSize = { value: policy.limits.fileSize, mechanism: 'rlimit' };

  const groupLimits = { memory: policy.limits.memory, processes: policy.limits.processes };
  const stdinMode = req.stdin === 'inherit' ? 'inherit' : req.stdin === undefined || req.stdin === 'ignore' ? 'ignore' : 'pipe';
  // A warm launcher has its stdin as a pipe, so a run that inherits the caller's stdin starts its own.
  const warmLauncher = stdinMode === 'inherit' ? undefined : await takeWarm(bwrap, groupLimits);
  const cgroup = warmLauncher ? warmLauncher.cgroup : createRunCgroup(runId, groupLimits);
  const launcher: string[] = [];
  // Descriptors Airlock's own process inherited without close-on-exec (a pipe or socket of the
  // agent that started it) would pass through bubblewrap into the sandbox: closed first.
  const ls = getLaunchShell();
  if (ls.close) launcher.push(ls.close);
  // Soft CPU limit one second below the hard one: the program gets SIGXCPU (reported as cpuExceeded)
  // before the kernel's SIGKILL at the hard limit.
  launcher.push(`ulimit -c 0`, `ulimit -S -t ${cpuSeconds}`, `ulimit -H -t ${cpuSeconds + 1}`, `ulimit -f ${Math.max(1, Math.floor(policy.limits.fileSize / ls.fileBlock))}`);
  if (cgroup?.enforces.memory) limits.enforced.memory = { value: policy.limits.memory, mechanism: cgroup.mechanism };
  else {
    // Without a memory group, address space is the only limit an unprivileged process can set.
    launcher.push(`ulimit -v ${Math.max(1, Math.floor(policy.limits.memory / 1024))}`);
    limits.enforced.memory = { value: policy.limits.memory, mechanism: 'rlimit' };
  }
  if (cgroup?.enforces.processes) limits.enforced.processes = { value: policy.limits.processes, mechanism: cgroup.mechanism };
  else if (process.getuid?.() !== 0) {
    // RLIMIT_NPROC counts every process of the uid on the host, and root is exempt from it.
    launcher.push(`ulimit ${ls.processes} ${policy.limits.processes}`);
    limits.enforced.processes = { value: policy.limits.processes, mechanism: 'rlimit' };
  }
  // bubblewrap reads its options from fd 5 (NUL-separated), so they are not in its command line:
  // pid 1 inside the sandbox is a copy of bubblewrap, and /proc/1/cmdline would show the sandboxed
  // program every --setenv value (the canaries among them: it could tell the planted ones apart).
  launcher.push('exec "$0" --args 5 -- "$@"');

  const env = sandboxEnv(policy, sandboxHome, req.env);
  const argvLength = (req.prelude?.length ?? 0) + req.argv.length;
  const plan = buildLaunchPlan({
    argv: [...(req.prelude ?? []), ...req.argv],
    policy,
    cwd: req.cwd ?? process.cwd(),
    home: { path: sandboxHome, hostDir: homeHost },
    env,
    extraBinds: [...(runHost ? [{ host: runHost, sandbox: RUN_DIR }] : []), ...(req.extraBinds ?? [])],
    readOnly: req.readOnly ?? [],
    hidden: req.hidden ?? [],
    fds: { seccomp: 3, status: 4 },
  }, snapshotView());

  const cleanup = (): void => {
    cgroup?.remove();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  };

  const cut = plan.args.lastIndexOf('--', plan.args.length - argvLength - 1);
  const options = Buffer.from(plan.args.slice(0, cut).map((a) => `${a}\0`).join(''));
  const command = plan.args.slice(cut + 1);
  let child: ChildProcess;
  if (warmLauncher) {
    // Born in the group: the line sets the rlimits and execs bubblewrap, which reads its arguments
    // from the rest of fd 5 (NUL-separated) and closes it.
    child = warmLauncher.child;
    const control = (child.stdio as unknown as Writable[])[5]!;
    control.end(Buffer.concat([Buffer.from(`${warmLine(launcher.slice(0, -1), bwrap, command)}\n`), options]));
  } else {
    try {
      child = spawn(ls.shell, [...ls.args, launcher.join(' && '), bwrap, ...command], {
        stdio: [stdinMode, 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
        env: { PATH: '/usr/bin:/bin' },
      });
      const optionsPipe = (child.stdio as unknown as Writable[])[5]!;
      optionsPipe.on('error', () => { /* bwrap exited before reading: reported through its status */ });
      optionsPipe.end(options);
    } catch (error) {
      cleanup();
      throw new SandboxError('spawn', `could not start the sandbox launcher: ${(error as Error).message}`, { cause: error });
    }
  }

  const seccompPipe = child.stdio[3] as Writable;
  seccompPipe.on('error', () => { /* bwrap exited before reading: reported through its status */ });
  let attachError: Error | undefined;
  // Without a group there is nothing to wait for; with one, the program is released once the
  // sandbox is inside it (see attachThenRelease).
  if (!cgroup || warmLauncher) seccompPipe.end(seccomp);
  if (stdinMode === 'pipe' && child.stdin) {
    child.stdin.on('error', () => { /* the program closed its stdin early */ });
    child.stdin.end(req.stdin as string | Uint8Array);
  } else if (warmLauncher) {
    child.stdin?.end();
  }

  const kill = (): void => {
    try { child.kill('SIGKILL'); } catch { /* gone */ }
    cgroup?.killAll();
  };
  // bwrap can die before it asks for the program (e.g. namespaces refused): close the gate so the
  // child's 'close' is not held up by a pipe nobody will read.
  child.on('exit', () => { if (!seccompPipe.writableEnded) seccompPipe.destroy(); });

  let sandboxStarted = false;
  let status = '';
  let attached: Promise<void> | undefined;
  const heldStderr: Buffer[] = [];
  (child.stdio[4] as Readable).on('data', (chunk: Buffer) => {
    status += chunk.toString();
    const pid = /"child-pid":\s*(\d+)/.exec(status)?.[1];
    if (!sandboxStarted && pid) {
      sandboxStarted = true;
      for (const c of heldStderr.splice(0)) req.onStderr?.(c);
      // The next run's launcher starts now, while this one's command starts on the other core.
      prepareWarm(bwrap, groupLimits);
      if (cgroup && !warmLauncher) {
        attached = attachThenRelease(cgroup, Number(pid), seccompPipe, seccomp).catch((error: NodeJS.ErrnoException) => {
          // ESRCH: bubblewrap already gave up (a mount failed) and says why on stderr.
          if (error.code === 'ESRCH') return;
          attachError = error;
          kill();
        });
      }
    }
  });

  const stdout = capture(policy.limits.output, req.onStdout, () => { limits.outputTruncated = true; });
  const stderr = capture(policy.limits.output, (c) => (sandboxStarted ? req.onStderr?.(c) : heldStderr.push(c)), () => { limits.outputTruncated = true; });
  child.stdout!.on('data', stdout.push);
  child.stderr!.on('data', stderr.push);

  const timer = setTimeout(() => { limits.timedOut = true; kill(); }, timeoutMs);
  const onAbort = (): void => kill();
  req.signal?.addEventListener('abort', onAbort, { once: true });

  const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
    child.on('error', () => resolve([null, null]));
    child.on('close', (c, s) => resolve([c, s]));
  });
  clearTimeout(timer);
  req.signal?.removeEventListener('abort', onAbort);
  await attached;

  // bubblewrap reports the exit as soon as the command ends, while its PID 1 is still tearing down
  // the namespaces (and holding the home mount). Removing the group now would busy-loop on EBUSY
  // until it is gone; waiting for the group to empty lets that happen without burning the CPU.
  const empty = await cgroup?.emptied(1000);
  const stats = cgroup?.stats();
  if (cgroup && empty) {
    // Nothing of the run is left: removing the empty group (a few ms of rmdir under cgroup v1)
    // need not hold up the result.
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    setImmediate(() => cgroup.remove());
  } else {
    cleanup();
  }

  if (attachError) {
    throw new SandboxError('spawn', `could not move the sandbox into its control group: ${attachError.message}`, {
      cause: attachError,
      hint: 'The program did not run. Check that Airlock may write to its cgroup (AIRLOCK_DEBUG=1 shows the paths).',
    });
  }
  if (!sandboxStarted && !limits.timedOut && !req.signal?.aborted) {
    const message = Buffer.concat(heldStderr).toString().trim() || `exit status ${code ?? sig}`;
    throw new SandboxError('unsupported', `the sandbox could not start: ${message}`, { hint: setupHint(message) });
  }
  // bubblewrap reports a failure while building the sandbox (after the status channel said the
  // child exists) as exit 1 with a "bwrap: " message: the program never ran.
  if (code === 1 && !status.includes('"exit-code"') && stderr.startsWith('bwrap: ')) {
    throw new SandboxError('spawn', `the sandbox could not be set up: ${stderr.text().trim().split('\n')[0]}`, {
      hint: 'A path in the policy (filesystem.read/write, workspace) may have changed while the run started; run again, or with AIRLOCK_DEBUG=1.',
    });
  }

  let exitCode = code ?? 128 + (sig ? (os.constants.signals[sig] ?? 9) : 9);
  const statusExit = /"exit-code":\s*(\d+)/.exec(status);
  if (statusExit) exitCode = Number(statusExit[1]);
  const signalNumber = exitCode > 128 ? exitCode - 128 : 0;
  const signalName = signalNumber ? (Object.entries(os.constants.signals).find(([, n]) => n === signalNumber)?.[0] ?? null) : null;
  if (signalName === 'SIGXCPU') limits.cpuExceeded = true;
  if (signalName === 'SIGXFSZ') limits.fileSizeExceeded = true;
  if (stats?.memoryExceeded) limits.memoryExceeded = true;
  if (stats?.processesExceeded) limits.processesExceeded = true;
  if (limits.timedOut || req.signal?.aborted) exitCode = exitCode || 137;

  return {
    exitCode,
    signal: limits.timedOut ? 'SIGKILL' : signalName,
    stdout: stdout.result(),
    stderr: stderr.result(),
    limits,
    durationMs: Math.round(performance.now() - started),
    hidden: plan.hidden,
    notes: plan.notes,
  };
}

/**
 * Moves the sandbox's first process into the run's control group(s), then hands bubblewrap the
 * seccomp program. bubblewrap reads that program after it has built every mount and right before
 * it starts the command, so the move (in cgroup v1 it waits out an RCU grace period, several ms)
 * overlaps the mount work instead of preceding it, and the command starts inside the group: every
 * process it makes is a child of the one moved. The seccomp pipe is the gate. If the move fails,
 * or Airlock dies before it is done, bubblewrap reads an empty program, refuses to install it and
 * exits without running anything.
 */
async function attachThenRelease(cgroup: RunCgroup, pid: number, seccompPipe: Writable, seccomp: Buffer): Promise<void> {
  try {
    for (const file of cgroup.procsFiles) await writeFile(file, String(pid));
  } catch (error) {
    seccompPipe.destroy();
    throw error;
  }
  seccompPipe.end(seccomp);
}

/** Collects a stream up to `max` bytes, passing chunks on as they come; the rest is counted and dropped. */
function capture(max: number, forward: ((c: Buffer) => void) | undefined, onTruncate: () => void) {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  return {
    push: (chunk: Buffer): void => {
      if (size >= max) {
        if (!truncated) { truncated = true; onTruncate(); }
        return;
      }
      const part = size + chunk.length > max ? chunk.subarray(0, max - size) : chunk;
      if (part.length < chunk.length && !truncated) { truncated = true; onTruncate(); }
      size += part.length;
      chunks.push(part);
      forward?.(part);
    },
    result: (): Buffer => Buffer.concat(chunks),
    startsWith: (prefix: string): boolean => (chunks[0]?.subarray(0, prefix.length).toString() ?? '') === prefix,
    text: (): string => Buffer.concat(chunks).toString(),
  };
}

function setupHint(message: string): string {
  if (/namespace|Operation not permitted|No permissions|setting up uid map/i.test(message)) {
    return 'User namespaces are blocked here (common inside Docker, or with Ubuntu 24.04 AppArmor). Run on a host or VM, ' +
      'enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 / an AppArmor profile for bwrap), ' +
      'or run the container with a seccomp profile that allows clone(CLONE_NEWUSER). Airlock will not run unconfined.';
  }
  if (/seccomp/i.test(message)) return 'The kernel refused the seccomp filter; Airlock will not run without it.';
  return 'Run with AIRLOCK_DEBUG=1 for the full bubblewrap command line.';
}
