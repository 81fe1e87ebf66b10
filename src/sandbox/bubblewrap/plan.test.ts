import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPolicy, resolvePolicyPaths } from '../../policy/index.js';
import { buildLaunchPlan, type HostView } from './plan.js';

const dirs = new Set(['/usr', '/etc', '/etc/ssh', '/repo', '/repo/secrets', '/data', '/home/me', '/home/me/project']);
const files = new Set(['/etc/shadow', '/repo/.env', '/repo/app/.env', '/home/me/.ssh']);
const host: HostView = {
  kind: (p) => (p === '/bin' || p === '/lib' ? 'symlink' : dirs.has(p) ? 'dir' : files.has(p) ? 'file' : undefined),
  readlink: (p) => `usr${p}`,
  findMatches: (root, pattern) => [...files].filter((f) => f.startsWith(`${root}/`) && f.endsWith(pattern.replace('**', ''))),
};

const plan = (overrides: Partial<ReturnType<typeof defaultPolicy>> = {}, cwd = '/repo') => {
  const policy = resolvePolicyPaths({ ...defaultPolicy(), ...overrides }, '/repo', '/home/me');
  return buildLaunchPlan({ argv: ['echo', 'hi'], policy, cwd, home: { path: '/home/me', hostDir: '/tmp/h' }, env: { PATH: '/usr/bin' }, fds: { seccomp: 3, status: 4 } }, host);
};
const pairs = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [`${args[i + 1]} ${args[i + 2]}`] : []));

describe('bubblewrap launch plan', () => {
  it('unshares every namespace, drops capabilities and sets hygiene flags', () => {
    const { args } = plan();
    for (const flag of ['--unshare-all', '--unshare-user', '--die-with-parent', '--new-session', '--clearenv']) assert.ok(args.includes(flag), flag);
    assert.equal(args[args.indexOf('--cap-drop') + 1], 'ALL');
    assert.deepEqual(args.slice(-3), ['--', 'echo', 'hi']);
  });

  it('mounts the system set read-only, /proc/sys read-only, and the workspace read-write', () => {
    const { args } = plan();
    const ro = pairs(args, '--ro-bind');
    assert.ok(ro.includes('/usr /usr'));
    assert.ok(ro.includes('/etc /etc'));
    assert.ok(ro.includes('/proc/sys /proc/sys'));
    assert.ok(pairs(args, '--bind').includes('/repo /repo'));
    assert.ok(pairs(args, '--symlink').includes('usr/bin /bin'));
  });

  it('hides /etc secrets and denied paths after every bind, including ** globs in the workspace', () => {
    const { args, hidden } = plan({ filesystem: { read: [], write: [], deny: ['secrets', '**/.env'] } });
    assert.deepEqual(hidden, ['/repo/.env', '/repo/app/.env', '/repo/secrets']);
    const lastBind = args.lastIndexOf('/repo');
    const shadow = args.indexOf('/etc/shadow');
    assert.equal(args[shadow - 2], '--ro-bind');
    assert.equal(args[shadow - 1], '/dev/null');
    const secretsTmpfs = args.findIndex((a, i) => a === '--tmpfs' && args[i + 1] === '/repo/secrets');
    assert.ok(secretsTmpfs > lastBind - 1 || secretsTmpfs > args.indexOf('--bind'), 'deny masks come after the workspace bind');
    assert.ok(pairs(args, '--tmpfs').length >= 2, 'etc/ssh and secrets are tmpfs covered');
  });

  it('starts in the caller\'s directory only when it is visible', () => {
    const a = plan({}, '/repo').args;
    assert.equal(a[a.indexOf('--chdir') + 1], '/repo');
    const b = plan({}, '/somewhere/else').args;
    assert.equal(b[b.indexOf('--chdir') + 1], '/repo');
  });

  it('skips extra paths that do not exist, and says so', () => {
    const r = plan({ filesystem: { read: ['/nope'], write: ['/data'], deny: [] } });
    assert.ok(pairs(r.args, '--bind').includes('/data /data'));
    assert.match(r.notes.join(), /\/nope does not exist/);
  });
});
