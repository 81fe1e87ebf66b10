/**
 * @module sandbox/seccomp/filter
 * Airlock's seccomp filter, generated here from a readable table (no prebuilt blobs). It is a
 * deny-list on top of the namespaces: whatever the sandbox cannot need and the kernel's attack
 * surface exposes — debugging other processes, mounting, loading kernel code, bpf, perf, keyrings,
 * userfaultfd, io_uring, new namespaces, terminal injection — fails with EPERM. Foreign ABIs
 * (32-bit `int 0x80`, x32) kill the process: a filter written for one syscall table means
 * nothing for another. Pure.
 */
import { assemble, type BpfOp } from './bpf.js';

const AUDIT_ARCH_X86_64 = 0xc000003e;
const X32_SYSCALL_BIT = 0x40000000;

const SECCOMP_RET_KILL_PROCESS = 0x80000000;
const SECCOMP_RET_ERRNO = 0x00050000;
const SECCOMP_RET_ALLOW = 0x7fff0000;
const EPERM = 1;
const ENOSYS = 38;

/** `struct seccomp_data` offsets: nr, arch, then six 64-bit args (low word first on little-endian). */
const OFFSET_NR = 0;
const OFFSET_ARCH = 4;
const argLow = (i: number): number => 16 + i * 8;

/** ioctls that inject input into, or control, a terminal (CVE-2017-5226, CVE-2023-28100). */
const TIOCSTI = 0x5412;
const TIOCLINUX = 0x541c;

/** Namespace flags of clone(2): CLONE_NEWTIME|NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET. */
const CLONE_NEW_ANY = 0x00000080 | 0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000 | 0x40000000;

/** x86_64 syscall numbers denied with EPERM, grouped by why. */
export const DENIED_SYSCALLS_X86_64: Readonly<Record<string, number>> = {
  // Reading or changing other processes.
  ptrace: 101, process_vm_readv: 310, process_vm_writev: 311, kcmp: 312, pidfd_getfd: 438,
  // Mount family, old and new API (CVE-2021-41133 was the new API missing from a filter).
  mount: 165, umount2: 166, pivot_root: 155, chroot: 161, open_tree: 428, move_mount: 429,
  fsopen: 430, fsconfig: 431, fsmount: 432, fspick: 433, mount_setattr: 442,
  // Kernel code and configuration.
  kexec_load: 246, kexec_file_load: 320, init_module: 175, finit_module: 313, delete_module: 176,
  create_module: 174, get_kernel_syms: 177, query_module: 178, uselib: 134, _sysctl: 156,
  bpf: 321, perf_event_open: 298, syslog: 103, acct: 163, swapon: 167, swapoff: 168, reboot: 169,
  quotactl: 179, quotactl_fd: 443, lookup_dcookie: 212, nfsservctl: 180, iopl: 172, ioperm: 173,
  settimeofday: 164, clock_settime: 227, clock_adjtime: 305, adjtimex: 159, vhangup: 153,
  // Keyrings.
  keyctl: 250, add_key: 248, request_key: 249,
  // Exploit primitives.
  userfaultfd: 323, io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
  open_by_handle_at: 304, name_to_handle_at: 303,
  // New namespaces (the sandbox's own are already made).
  unshare: 272, setns: 308,
};

const SYS_IOCTL = 16;
const SYS_CLONE = 56;
const SYS_CLONE3 = 435;

/** What the filter does, for docs and the sandbox report. */
export interface SeccompSummary {
  arch: 'x86_64';
  denied: string[];
  ioctls: string[];
  notes: string[];
}

/**
 * Builds the filter program for the machine's architecture, or `undefined` where we have no
 * syscall table (the caller must then refuse to run).
 *
 * @example
 * const program = buildSeccompFilter('x64'); // Buffer of sock_filter structs, for bwrap --seccomp
 */
export function buildSeccompFilter(arch: string): Buffer | undefined {
  if (arch !== 'x64') return undefined;
  const ops: BpfOp[] = [
    { op: 'load', offset: OFFSET_ARCH },
    { op: 'jeq', value: AUDIT_ARCH_X86_64, then: 'native', else: 'kill' },
    { op: 'label', name: 'native' },
    { op: 'load', offset: OFFSET_NR },
    { op: 'jge', value: X32_SYSCALL_BIT, then: 'kill' },
    { op: 'jeq', value: SYS_IOCTL, then: 'ioctl' },
    { op: 'jeq', value: SYS_CLONE, then: 'clone' },
    { op: 'jeq', value: SYS_CLONE3, then: 'enosys' },
  ];
  for (const nr of Object.values(DENIED_SYSCALLS_X86_64)) ops.push({ op: 'jeq', value: nr, then: 'eperm' });
  ops.push(
    { op: 'ret', value: SECCOMP_RET_ALLOW },
    // ioctl: compare only the low 32 bits of the request (the kernel truncates it to an int),
    // so TIOCSTI | 1<<32 is caught too (CVE-2019-10063).
    { op: 'label', name: 'ioctl' },
    { op: 'load', offset: argLow(1) },
    { op: 'jeq', value: TIOCSTI, then: 'eperm' },
    { op: 'jeq', value: TIOCLINUX, then: 'eperm' },
    { op: 'ret', value: SECCOMP_RET_ALLOW },
    // clone: threads and forks are fine, new namespaces are not.
    { op: 'label', name: 'clone' },
    { op: 'load', offset: argLow(0) },
    { op: 'jset', value: CLONE_NEW_ANY, then: 'eperm' },
    { op: 'ret', value: SECCOMP_RET_ALLOW },
    { op: 'label', name: 'eperm' },
    { op: 'ret', value: SECCOMP_RET_ERRNO | EPERM },
    // clone3 passes its flags in memory a filter cannot read: ENOSYS makes libc fall back to clone.
    { op: 'label', name: 'enosys' },
    { op: 'ret', value: SECCOMP_RET_ERRNO | ENOSYS },
    { op: 'label', name: 'kill' },
    { op: 'ret', value: SECCOMP_RET_KILL_PROCESS },
  );
  return assemble(ops);
}

/**
 * A description of the filter, for `--json` reports and docs.
 *
 * @example
 * describeSeccompFilter().denied.includes('ptrace') // true
 */
export function describeSeccompFilter(): SeccompSummary {
  return {
    arch: 'x86_64',
    denied: [...Object.keys(DENIED_SYSCALLS_X86_64), 'clone(CLONE_NEW*)', 'clone3 (ENOSYS)'],
    ioctls: ['TIOCSTI', 'TIOCLINUX'],
    notes: ['32-bit (int 0x80) and x32 system calls kill the process'],
  };
}
