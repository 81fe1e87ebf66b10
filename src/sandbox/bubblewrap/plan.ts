/**
 * @module sandbox/bubblewrap/plan
 * The launch plan: from a resolved policy and a few facts about the host, the exact bubblewrap
 * arguments for one run. Pure (the facts come through `HostView`), so every mount decision can be
 * unit-tested without starting anything. What the plan guarantees:
 * - every namespace (user, pid, mount, net, ipc, uts, cgroup), a new session, all capabilities
 *   dropped, no further user namespaces, and the command killed with its parent;
 * - a fresh root holding only the system set (read-only `/usr`, `/etc` minus its secrets), a private
 *   `/dev`, `/proc` with `/proc/sys` read-only, a private `/tmp` and a private, throw-away `$HOME`;
 * - the workspace read-write at its own path, `filesystem.read`/`write` extras, then everything in
 *   `filesystem.deny` (and Airlock's own audit store) hidden, and the policy file read-only, mounted
 *   last so that no earlier bind can reveal them.
 */
import path from 'node:path';
import type { Policy } from '../../policy/schema.js';

/** What the plan needs to know about the host's filesystem. */
export interface HostView {
  /** `lstat` kind, or undefined when the path does not exist. */
  kind(p: string): 'file' | 'dir' | 'symlink' | 'other' | undefined;
  readlink(p: string): string;
  /** Files and directories below `root` whose name or relative path matches a `**` pattern. */
  findMatches(root: string, pattern: string): string[];
}

/** A bind mount requested by another layer (egress socket, per-run files). */
export interface ExtraBind {
  host: string;
  sandbox: string;
  writable?: boolean;
}

/** Everything a plan is made from. */
export interface PlanInput {
  argv: string[];
  policy: Policy;
  /** The working directory to start in (the caller's, if it is inside a visible tree). */
  cwd: string;
  /** `$HOME` inside the sandbox, and the host directory that backs it (thrown away after the run);
   * without one, the home is an empty tmpfs. */
  home: { path: string; hostDir?: string | undefined };
  env: Record<string, string>;
  extraBinds?: ExtraBind[];
  /** Host paths mounted read-only over whatever reveals them (the policy file, protected dirs). */
  readOnly?: string[];
  /** Host paths made invisible, in addition to `policy.filesystem.deny` (e.g. the audit store). */
  hidden?: string[];
  /** File descriptors (in the bwrap process) carrying the seccomp program and the status channel. */
  fds: { seccomp: number; status: number };
}

/** The result: bwrap's argv and notes on decisions worth reporting. */
export interface LaunchPlan {
  args: string[];
  /** Paths hidden because of `filesystem.deny` (after glob expansion). */
  hidden: string[];
  notes: string[];
}

/** Top-level system directories that may be symlinks into /usr (merged /usr). */
const SYSTEM_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/** Files and directories under /etc that hold secrets and are never shown. */
export const ETC_SECRETS = [
  '/etc/shadow', '/etc/shadow-', '/etc/gshadow', '/etc/gshadow-', '/etc/sudoers', '/etc/sudoers.d',
  '/etc/ssh', '/etc/ssl/private', '/etc/security/opasswd', '/etc/krb5.keytab', '/etc/subuid', '/etc/subgid',
  '/etc/NetworkManager/system-connections', '/etc/wireguard', '/etc/letsencrypt', '/etc/openvpn',
  '/etc/ipsec.secrets', '/etc/ppp/chap-secrets', '/etc/docker', '/etc/pki/private', '/etc/.pwd.lock',
];

/** True when `child` is `parent` or inside it. */
export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Builds the bubblewrap argument list for one run.
 *
 * @example
 * const plan = buildLaunchPlan({ argv: ['true'], policy, cwd: '/repo', home: { path: '/root', hostDir: '/tmp/h' },
 *   env: { PATH: '/usr/bin' }, fds: { seccomp: 3, status: 4 } }, hostView);
 * spawn('bwrap', plan.args)
 */
export function buildLaunchPlan(input: PlanInput, host: HostView): LaunchPlan {
  const { policy } = input;
  const args: string[] = [];
  const notes: string[] = [];

  // Namespaces and process hygiene.
  args.push(
    // No --disable-userns: the seccomp filter already refuses every way to make a user namespace
    // (unshare, setns, clone with CLONE_NEWUSER, clone3), and bwrap's extra namespace for it costs
    // about 1.7 ms per run (docs/benchmarks.md).
    '--unshare-all', '--unshare-user',
    '--die-with-parent', '--new-session', '--cap-drop', 'ALL',
    '--hostname', 'airlock',
  );

  // The system set, read-only.
  args.push('--ro-bind', '/usr', '/usr');
  for (const link of SYSTEM_LINKS) {
    const kind = host.kind(link);
    if (kind === 'symlink') args.push('--symlink', host.readlink(link), link);
    else if (kind === 'dir') args.push('--ro-bind', link, link);
  }
  if (host.kind('/etc') === 'dir') args.push('--ro-bind', '/etc', '/etc');

  // Private kernel views and scratch space. /proc/sys is covered read-only: bubblewrap skips that
  // itself when started by root, which would leave host sysctls writable.
  args.push('--dev', '/dev', '--proc', '/proc', '--ro-bind', '/proc/sys', '/proc/sys');
  args.push('--size', String(policy.limits.memory), '--tmpfs', '/tmp');
  if (input.home.hostDir) args.push('--bind', input.home.hostDir, input.home.path);
  else args.push('--tmpfs', input.home.path);

  // Extra trees, then the workspace.
  const visible: string[] = ['/usr', '/etc', input.home.path];
  const writable: string[] = [input.home.path];
  for (const p of policy.filesystem.read) {
    if (p.startsWith('**')) continue;
    if (host.kind(p) === undefined) { notes.push(`filesystem.read: ${p} does not exist; skipped`); continue; }
    args.push('--ro-bind', p, p);
    visible.push(p);
  }
  for (const p of policy.filesystem.write) {
    if (p.startsWith('**')) continue;
    if (host.kind(p) === undefined) { notes.push(`filesystem.write: ${p} does not exist; skipped`); continue; }
    args.push('--bind', p, p);
    visible.push(p);
    writable.push(p);
  }
  args.push('--bind', policy.workspace, policy.workspace);
  visible.push(policy.workspace);
  writable.push(policy.workspace);

  for (const b of input.extraBinds ?? []) args.push(b.writable ? '--bind' : '--ro-bind', b.host, b.sandbox);

  // Read-only covers, then hidden paths: last, so nothing above can uncover them.
  for (const p of input.readOnly ?? []) {
    if (host.kind(p) !== undefined && visible.some((v) => isInside(p, v))) args.push('--ro-bind', p, p);
  }
  const hidden = new Set<string>();
  for (const p of ETC_SECRETS) if (host.kind(p) !== undefined) hidden.add(p);
  for (const pattern of [...policy.filesystem.deny, ...(input.hidden ?? [])]) {
    if (pattern.startsWith('**')) {
      for (const root of [policy.workspace, ...policy.filesystem.read, ...policy.filesystem.write]) {
        for (const match of host.findMatches(root, pattern)) hidden.add(match);
      }
    } else if (host.kind(pattern) !== undefined && visible.some((v) => isInside(pattern, v) || isInside(v, pattern))) {
      hidden.add(pattern);
    }
  }
  for (const p of [...hidden].sort()) {
    const kind = host.kind(p);
    if (kind === 'dir') args.push('--tmpfs', p, '--remount-ro', p);
    else if (kind === 'symlink') args.push('--ro-bind', '/dev/null', p);
    else args.push('--ro-bind', '/dev/null', p);
    // A denied tree that contains a visible one (deny ~ while the workspace is ~/project):
    // re-mount the visible trees inside it, the workspace last.
    for (const v of visible) {
      if (v !== p && isInside(v, p) && kind === 'dir') args.push(writable.includes(v) ? '--bind' : '--ro-bind', v, v);
    }
  }

  const cwd = visible.some((v) => isInside(input.cwd, v)) && !isHidden(input.cwd, hidden) ? input.cwd : policy.workspace;
  args.push('--chdir', cwd);

  args.push('--clearenv');
  for (const [k, v] of Object.entries(input.env)) args.push('--setenv', k, v);

  args.push('--seccomp', String(input.fds.seccomp), '--json-status-fd', String(input.fds.status));
  args.push('--', ...input.argv);
  return { args, hidden: [...hidden].filter((p) => !ETC_SECRETS.includes(p)).sort(), notes };
}

function isHidden(p: string, hidden: Set<string>): boolean {
  for (const h of hidden) if (isInside(p, h)) return true;
  return false;
}
