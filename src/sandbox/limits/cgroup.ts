/**
 * @module sandbox/limits/cgroup
 * Per-run control groups for memory and process-count limits, on cgroup v1 (separate `memory`
 * and `pids` hierarchies, as on this machine) or v2 (one unified tree, where the parent delegates
 * the controllers). A run's group is created inside Airlock's own group, the launcher joins it
 * before it becomes the sandbox, and after the run everything left in it is killed and the group
 * removed. Where no group can be made, the caller falls back to rlimits and says so.
 */
import { mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LimitMechanism } from '../../core/contracts.js';

/** Where the controllers live for this process. */
interface CgroupSupport {
  version: 1 | 2;
  /** v1: the directory of our own group in each hierarchy; v2: our group in the unified tree. */
  memory?: string;
  pids?: string;
}

let cached: CgroupSupport | null | undefined;

/** Reads which cgroup hierarchies hold memory and pids for this process. Cached. */
export function detectCgroups(): CgroupSupport | null {
  if (cached !== undefined) return cached;
  cached = null;
  try {
    const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
    const own = new Map<string, string>();
    for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
      const m = /^(\d+):([^:]*):(.*)$/.exec(line);
      if (!m) continue;
      for (const c of m[2]!.split(',')) own.set(c, m[3]!);
      if (m[1] === '0' && m[2] === '') own.set('', m[3]!);
    }
    const v1: CgroupSupport = { version: 1 };
    let v2Mount: string | undefined;
    for (const line of mountinfo) {
      const [pre, post] = line.split(' - ');
      if (!pre || !post) continue;
      const mountPoint = pre.split(' ')[4]!;
      const [fstype, , superOpts = ''] = post.split(' ');
      if (fstype === 'cgroup') {
        const opts = superOpts.split(',');
        for (const controller of ['memory', 'pids'] as const) {
          if (opts.includes(controller) && own.has(controller)) v1[controller] = path.join(mountPoint, own.get(controller)!);
        }
      } else if (fstype === 'cgroup2') v2Mount = mountPoint;
    }
    if (v1.memory || v1.pids) cached = v1;
    else if (v2Mount && own.has('')) {
      const dir = path.join(v2Mount, own.get('')!);
      const controllers = readFileSync(path.join(dir, 'cgroup.subtree_control'), 'utf8');
      if (/\bmemory\b/.test(controllers) || /\bpids\b/.test(controllers)) {
        cached = { version: 2, ...(controllers.includes('memory') ? { memory: dir } : {}), ...(controllers.includes('pids') ? { pids: dir } : {}) };
      }
    }
  } catch {
    cached = null;
  }
  return cached;
}

let swept = false;

/**
 * Removes run groups left behind by an Airlock process that was killed before it could clean up
 * (its sandbox died with it; the empty group stays). Only groups that are empty and older than a
 * minute are touched, so a group another process has just made is never removed under it.
 */
function sweepStale(parents: string[]): void {
  if (swept) return;
  swept = true;
  const cutoff = Date.now() - 60_000;
  for (const parent of parents) {
    let names: string[];
    try {
      names = readdirSync(parent).filter((n) => n.startsWith('airlock-'));
    } catch {
      continue;
    }
    for (const name of names) {
      const dir = path.join(parent, name);
      try {
        if (statSync(dir).mtimeMs > cutoff || read(path.join(dir, 'cgroup.procs')).trim() !== '') continue;
        rmdirSync(dir);
      } catch {
        // In use, or not ours to remove: leave it.
      }
    }
  }
}

/** A run's control group(s). */
export interface RunCgroup {
  mechanism: LimitMechanism;
  /** Which limits the group enforces. */
  enforces: { memory: boolean; processes: boolean };
  /** `cgroup.procs` files the launcher must write its pid into before it starts the sandbox. */
  procsFiles: string[];
  /** Reads whether the run hit its limits. */
  stats(): { memoryExceeded: boolean; processesExceeded: boolean; peakMemory?: number };
  /** Kills every process left in the group. */
  killAll(): void;
  /** Resolves true once the group is empty (false after `timeoutMs`), checking every millisecond without spinning. */
  emptied(timeoutMs: number): Promise<boolean>;
  /** Kills what is left and removes the group. */
  remove(): void;
}

const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

/**
 * Creates the group(s) for one run with the given limits, or returns undefined where the
 * machine gives us none (the caller then uses rlimits).
 *
 * @example
 * const cg = createRunCgroup('r1', { memory: 512 * 2 ** 20, processes: 128 });
 */
export function createRunCgroup(runId: string, limits: { memory: number; processes: number }): RunCgroup | undefined {
  const support = detectCgroups();
  if (!support) return undefined;
  sweepStale([...new Set([support.memory, support.pids].filter((d): d is string => d !== undefined))]);
  const dirs: string[] = [];
  const name = `airlock-${runId}`;
  let memDir: string | undefined;
  let pidsDir: string | undefined;
  try {
    if (support.version === 1) {
      if (support.memory) {
        memDir = path.join(support.memory, name);
        mkdirSync(memDir);
        dirs.push(memDir);
        writeFileSync(path.join(memDir, 'memory.limit_in_bytes'), String(limits.memory));
        try {
          writeFileSync(path.join(memDir, 'memory.memsw.limit_in_bytes'), String(limits.memory));
        } catch {
          // No swap accounting on this kernel: the memory limit alone applies.
        }
      }
      if (support.pids) {
        pidsDir = path.join(support.pids, name);
        mkdirSync(pidsDir);
        dirs.push(pidsDir);
        writeFileSync(path.join(pidsDir, 'pids.max'), String(limits.processes));
      }
    } else {
      const dir = path.join((support.memory ?? support.pids)!, name);
      mkdirSync(dir);
      dirs.push(dir);
      if (support.memory) {
        memDir = dir;
        writeFileSync(path.join(dir, 'memory.max'), String(limits.memory));
        try { writeFileSync(path.join(dir, 'memory.swap.max'), '0'); } catch { /* no swap controller */ }
      }
      if (support.pids) {
        pidsDir = dir;
        writeFileSync(path.join(dir, 'pids.max'), String(limits.processes));
      }
    }
  } catch {
    for (const d of dirs.reverse()) try { rmdirSync(d); } catch { /* best effort */ }
    return undefined;
  }
  const procsFiles = [...new Set(dirs)].map((d) => path.join(d, 'cgroup.procs'));
  const killAll = (): void => {
    for (let round = 0; round < 20; round++) {
      let left = 0;
      for (const file of procsFiles) {
        for (const pid of read(file).split('\n').filter(Boolean)) {
          left++;
          try { process.kill(Number(pid), 'SIGKILL'); } catch { /* already gone */ }
        }
      }
      if (left === 0) return;
    }
  };
  return {
    mechanism: support.version === 1 ? 'cgroup-v1' : 'cgroup-v2',
    enforces: { memory: memDir !== undefined, processes: pidsDir !== undefined },
    procsFiles,
    stats() {
      let memoryExceeded = false;
      let processesExceeded = false;
      let peakMemory: number | undefined;
      if (memDir) {
        if (support.version === 1) {
          const oom = /oom_kill (\d+)/.exec(read(path.join(memDir, 'memory.oom_control')));
          memoryExceeded = oom ? Number(oom[1]) > 0 : Number(read(path.join(memDir, 'memory.failcnt')) || 0) > 0;
          peakMemory = Number(read(path.join(memDir, 'memory.max_usage_in_bytes'))) || undefined;
        } else {
          const events = read(path.join(memDir, 'memory.events'));
          memoryExceeded = /oom_kill [1-9]/.test(events) || /\bmax [1-9]/.test(events);
          peakMemory = Number(read(path.join(memDir, 'memory.peak'))) || undefined;
        }
      }
      if (pidsDir) processesExceeded = /max [1-9]/.test(read(path.join(pidsDir, 'pids.events')));
      return { memoryExceeded, processesExceeded, ...(peakMemory ? { peakMemory } : {}) };
    },
    killAll,
    async emptied(timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        if (!procsFiles.some((file) => read(file).trim() !== '')) return true;
        if (Date.now() >= until) return false;
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    },
    remove() {
      killAll();
      for (const d of [...new Set(dirs)]) {
        for (let i = 0; i < 50; i++) {
          try { rmdirSync(d); break; } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') break;
            killAll();
          }
        }
      }
    },
  };
}
