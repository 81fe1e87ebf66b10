/**
 * @module inspect/shell/rules
 * The shell rules: each looks at one invocation (program, arguments, what is piped into it, its
 * redirections, its environment) and reports catalogue findings. Rules are general classes of
 * behaviour (download-and-run, reverse shells, credential reads, persistence, …), never strings
 * taken from a test corpus.
 */
import type { Finding } from '../../core/contracts.js';
import { classifyGlob, classifyPath, isCriticalTree } from '../paths.js';
import { finding, type RuleId } from '../rules.js';
import type { Invocation } from '../types.js';
import { looksLikeReverseShell } from '../script/analyze.js';
import { STRATUM, TOOL_CHECKS, insecureEnv } from './tool-rules.js';
import { DOWNLOADERS, FIND_EXEC, KNOWN_PROGRAMS, SCHEDULERS, SHELLS, hasFlag, interpreterOf, isDecoder, positionals, programName, readsCodeFromStdin, stdinLanguage } from './programs.js';

const NET_PIPES = new Set(['nc', 'ncat', 'netcat', 'socat', 'telnet', 'openssl', 'cryptcat']);
const TCP_DEVICE = /\/dev\/(tcp|udp)\/|\/inet\/(tcp|udp)\//;
const WRITE_OPS = new Set(['>', '>>', '>|', '&>', '&>>', '<>']);
const PRIVILEGED = new Set(['sudo', 'doas', 'su', 'pkexec', 'runuser', 'sudoedit']);
const KEY_TOOLS = new Set(['ssh', 'ssh-add', 'ssh-keygen', 'ssh-copy-id', 'scp', 'sftp', 'chmod', 'chown', 'ls', 'stat', 'test', '[', 'mkdir', 'touch', 'git']);
const PAYLOAD_TOOLS = new Set(['msfvenom', 'msfconsole', 'msfpc', 'meterpreter']);
/** Key tools that copy files: their positional arguments are files to send, not keys to use. */
const COPY_TOOLS = new Set(['scp', 'sftp']);
/** scp/sftp options that take a value (the value of -i is the key it uses, not a file it sends). */
const COPY_VALUE_OPTS = new Set(['-i', '-F', '-o', '-P', '-c', '-l', '-S', '-J', '-D', '-b', '-B', '-R', '-s', '-X']);

function copiesCredential(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (COPY_VALUE_OPTS.has(a)) { i++; continue; }
    if (a.startsWith('-')) continue;
    if (classifyPath(a) === 'credential') return true;
  }
  return false;
}

/** Short options split (`-rf` → r, f) and long options as written. */
const NO_TARGETS = Object.freeze([]) as unknown as string[];

/** Programs whose arguments name files they write (writeTargets). */
const FILE_WRITERS = new Set(['tee', 'cp', 'mv', 'install', 'ln', 'rsync', 'sed', 'perl', 'dd', 'truncate']);

/** Files an invocation writes: redirect targets, tee/cp/mv/install/ln destinations, sed -i files, dd of=. */
function writeTargets(inv: Invocation): string[] {
  // Most invocations write nothing: one shared, frozen empty list for them (the checks only read it).
  if (!inv.redirects.length && !FILE_WRITERS.has(inv.program)) return NO_TARGETS;
  const out: string[] = [];
  for (const r of inv.redirects) if (WRITE_OPS.has(r.op)) out.push(r.target);
  if (!FILE_WRITERS.has(inv.program)) return out;
  const pos = positionals(inv.args);
  if (inv.program === 'tee') out.push(...pos);
  if (COPIERS.has(inv.program) && pos.length >= 2) out.push(pos[pos.length - 1]!);
  if ((inv.program === 'sed' || inv.program === 'perl') && hasFlag(inv.args, 'i', '--in-place')) out.push(...pos.slice(1));
  if (inv.program === 'dd') out.push(...inv.args.filter((a) => a.startsWith('of=')).map((a) => a.slice(3)));
  if (inv.program === 'truncate') out.push(...pos);
  return out;
}

/** find's tests that narrow what it matches to some files (a name, a path, an age, a size, an owner). */
const FIND_FILTERS = /^-(i?name|i?path|i?wholename|i?regex|newer\w*|[acm](time|min)|used|size|user|group|nouser|nogroup|uid|gid|perm|links|inum|samefile|empty|lname|ilname|context|fstype)$/;
/** Programs that, run by find's -exec on each file, destroy it. */
const FILE_DESTROYERS = new Set(['rm', 'shred', 'unlink', 'truncate', 'srm', 'wipe']);

/**
 * `find / -delete`, `find ~ -type f -exec shred -u {} +`: find over a root, home or system tree
 * that deletes (or shreds) every file it meets, with no test narrowing which files (`-name`,
 * `-mtime`, …) — the same as `rm -rf` of the tree.
 */
function findDestroysTree(args: readonly string[]): boolean {
  // Three conditions that must all hold; the cheapest, and the one most finds fail, first.
  if (!args.some((a, i) => a === '-delete' || (FIND_EXEC.has(a) && FILE_DESTROYERS.has(programName(args[i + 1] ?? ''))))) return false;
  const firstTest = args.findIndex((a) => a.startsWith('-') || a === '(' || a === '!');
  const roots = firstTest === -1 ? args : args.slice(0, firstTest);
  return roots.some(isCriticalTree) && !args.some((a) => FIND_FILTERS.test(a));
}

/** True when an argument, an `opt=FILE`/`@FILE` value or a `<` source is a credential path. */
function readsCredential(inv: Invocation): boolean {
  // An unquoted glob names the files it expands to (`cat ~/.a?s/cred*`); find's own patterns do not.
  const globs = inv.program === 'find' ? undefined : inv.globbed;
  for (let i = 0; i < inv.args.length; i++) {
    const a = inv.args[i]!;
    if (classifyPath(a) === 'credential') return true;
    if (globs?.[i] && classifyGlob(a) === 'credential') return true;
    const eq = a.indexOf('=');
    // Only a value with a `/` or `.` can be a credential path (classifyPath): no slice for the others.
    if (eq !== -1 && (a.indexOf('/', eq) !== -1 || a.indexOf('.', eq) !== -1) && classifyPath(a.slice(eq + 1).replace(/^@/, '')) === 'credential') return true;
    if (a.startsWith('@') && classifyPath(a.slice(1)) === 'credential') return true;
  }
  return inv.redirects.some((r) => r.op === '<' && (r.globbed ? classifyGlob(r.target) : classifyPath(r.target)) === 'credential');
}

/** What several checks need of one invocation, computed once per invocation. */
interface Facts {
  /** The arguments joined by newlines, for patterns without a newline; empty unless `hinted`. */
  joined: string;
  /** Files the invocation writes (writeTargets). */
  writes: string[];
  /** An argument holds something one of the argument patterns looks for (JOINED_HINT); when false, none of them matches. */
  hinted: boolean;
}

type Check = (inv: Invocation, report: (id: RuleId, match?: string) => void, facts: Facts) => void;

const NETCATS = new Set(['nc', 'ncat', 'netcat', 'cryptcat']);
const NET_TOOLS = new Set(['nc', 'ncat', 'netcat', 'socat']);
const COPIERS = new Set(['cp', 'mv', 'install', 'ln', 'rsync']);
const SHELL_COPIERS = new Set(['cp', 'install', 'rsync', 'cat', 'dd']);
const CRON_READERS = new Set(['ls', 'cat', 'tail', 'head', 'less', 'more', 'grep']);
/** Program sets the checks look up once per invocation (a Set, not an array literal built per call). */
const SOURCERS = new Set(['source', '.', 'eval']);
const SUBSTITUTED_DECODERS = new Set(['base64', 'base32', 'xxd', 'rev', 'openssl', 'uudecode']);
const SHUTDOWNS = new Set(['shutdown', 'reboot', 'halt', 'poweroff', 'killall5']);
const GREPS = new Set(['grep', 'egrep', 'rg', 'ag']);
const ACCOUNT_TOOLS = new Set(['useradd', 'adduser', 'usermod', 'chpasswd', 'visudo', 'groupadd', 'gpasswd']);
const CONTAINER_RUNTIMES = new Set(['docker', 'podman', 'nerdctl']);
/** The downloaders reported as downloads (all of them are in DOWNLOADERS). */
const FETCHERS = new Set(['curl', 'wget', 'fetch', 'aria2c']);
/** Every argument the cloud-metadata check matches holds one of these. */
/** The metadata address as written in URLs: dotted, IPv4-mapped IPv6 (`[::ffff:a9fe:a9fe]`), one integer (decimal or hex). */
const METADATA_HINT = /169\.254\.169\.254|metadata\.|100\.100\.100\.200|2852039166|0[xX][aA]9[fF][eE][aA]9[fF][eE]|[aA]9[fF][eE]:[aA]9[fF][eE]/;

/**
 * One part of the checks. `on` names the programs the part can report anything for (tested once per
 * program name, see checksFor); a part without `on` looks at every program. `needs`: the part can
 * only report when the invocation has one of these shapes (Shape bits). The parts keep the order the
 * checks had as one list, so findings come out in the same order.
 */
interface Segment { on?: (program: string) => boolean; needs?: number; run: Check }

/** Shapes of an invocation that some checks need (bits of a number; see shapeOf). */
const PATH = 1;
const HINTED = 2;
const REDIRECTS = 4;
const WRITES = 8;
const ENV = 16;
const INJECTION = 32;
const DYNAMIC = 64;
/** How many shape numbers there are. */
const SHAPES = 128;

function shapeOf(inv: Invocation, facts: Facts): number {
  return (inv.path !== undefined ? PATH : 0) | (facts.hinted ? HINTED : 0) | (inv.redirects.length ? REDIRECTS : 0)
    | (facts.writes.length ? WRITES : 0) | (inv.env.length ? ENV : 0) | (inv.injectionShape ? INJECTION : 0)
    | (inv.programDynamic ? DYNAMIC : 0);
}

/** An `on` for a fixed list of program names. */
function named(...names: string[]): (program: string) => boolean {
  const set = new Set(names);
  return (program) => set.has(program);
}

const CHECKS: Segment[] = [
  // Reverse/bind shells and raw network tools.
  { needs: PATH | HINTED | REDIRECTS, run: (inv, report, facts) => {
    if (TCP_DEVICE.test(inv.path ?? '') || (facts.hinted && TCP_DEVICE.test(facts.joined)) || inv.redirects.some((r) => TCP_DEVICE.test(r.target))) report('shell.reverse-shell');
  } },
  { on: (p) => NETCATS.has(p), run: (inv, report) => {
    if (inv.args.some((a) => /^(-e|-c|--exec|--sh-exec|--lua-exec)$/.test(a) || /^-[a-z]*e$/.test(a))) report('shell.netcat-exec');
    else if (inv.upstream.some((u) => SHELLS.has(u.program) || interpreterOf(u.program))) report('shell.reverse-shell');
    else report('shell.network-listener');
  } },
  { on: named('socat'), run: (inv, report) => {
    if (inv.args.some((a) => /^(exec|system):/i.test(a) || /,(exec|system)[:=]/i.test(a))) report('shell.netcat-exec');
    else report('shell.network-listener');
  } },
  { on: named('telnet', 'openssl'), run: (inv, report) => {
    if (inv.program === 'telnet' || inv.args.includes('s_client')) {
      if (inv.upstream.some((u) => SHELLS.has(u.program))) report('shell.reverse-shell');
      else report('shell.network-listener');
    }
  } },
  { on: (p) => PAYLOAD_TOOLS.has(p), run: (_inv, report) => report('shell.payload-generator') },
  // Code written out with echo/printf (to a file or a pipe) that connects a socket to a shell.
  { on: named('echo', 'printf'), run: (inv, report) => {
    if (looksLikeReverseShell(inv.args.join(' '))) report('shell.reverse-shell');
  } },
  // Download or decode, then run: only programs that run text.
  { on: (p) => stdinLanguage(p) !== undefined || SOURCERS.has(p), run: (inv, report) => {
    const lang = stdinLanguage(inv.program);
    if (lang && readsCodeFromStdin(inv.program, inv.args)) {
      if (inv.upstream.some((u) => NET_PIPES.has(u.program) && !(u.program === 'openssl' && !u.args.includes('s_client')))) report('shell.reverse-shell');
      else if (inv.upstream.some((u) => DOWNLOADERS.has(u.program))) report('shell.pipe-to-shell');
      if (inv.upstream.some((u) => isDecoder(u.program, u.args))) report('shell.decode-to-shell');
    }
    const subs = inv.substituted.slice(1).flat();
    if (subs.some((p) => DOWNLOADERS.has(p))) report('shell.pipe-to-shell');
    if (subs.some((p) => SUBSTITUTED_DECODERS.has(p))) report('shell.decode-to-shell');
  } },
  // Destruction.
  { on: named('rm'), run: (inv, report) => {
    const recursive = hasFlag(inv.args, 'r', '--recursive') || hasFlag(inv.args, 'R');
    if (recursive && positionals(inv.args).some(isCriticalTree)) report('shell.destroy-root');
    if (inv.args.includes('--no-preserve-root')) report('shell.destroy-root');
    if (recursive && positionals(inv.args).some((t) => /^["']?\$/.test(t) && !/:\?/.test(t) && !/^\$\{?(PWD)\}?\//.test(t))) report('shell.rm-variable');
  } },
  { on: named('chmod', 'chown'), run: (inv, report) => {
    if (!hasFlag(inv.args, 'R', '--recursive')) return;
    const [mode, ...targets] = positionals(inv.args);
    if (targets.some((t) => t === '/' || t === '/*')) report('shell.destroy-root');
    // `chmod -R 000 ~`, `a-rwx`, `u-r`: every file of the tree unreadable to its owner, as good as
    // deleted (`go-rwx` only shuts others out, and stays allowed).
    else if (inv.program === 'chmod' && mode !== undefined && /^(?:0+|(?:[ugoa]*[ua][ugoa]*)?(?:-[rwx]*r[rwx]*|=))$/.test(mode) && targets.some(isCriticalTree)) report('shell.destroy-root');
  } },
  { on: named('rsync'), run: (inv, report) => {
    // `rsync -a --delete empty/ ~/`: the destination is made to match the source, so everything
    // else in it is deleted.
    const deletes = inv.args.some((a) => /^--(?:delete(?:-\w+)?|del)$/.test(a));
    const targets = positionals(inv.args);
    if (deletes && targets.length >= 2 && isCriticalTree(targets[targets.length - 1]!)) report('shell.destroy-root');
  } },
  { on: named('mv'), run: (inv, report) => {
    // `mv ~ /tmp/x`, `mv /etc /tmp`: the tree is gone from where everything expects it.
    const t = inv.args.indexOf('-t');
    const targetDir = t === -1 ? undefined : inv.args[t + 1];
    const targets = positionals(inv.args).filter((a) => a !== targetDir);
    const sources = targetDir !== undefined || inv.args.some((a) => a.startsWith('--target-directory')) ? targets : targets.slice(0, -1);
    if (sources.some(isCriticalTree)) report('shell.destroy-root');
  } },
  { on: named('find'), run: (inv, report) => {
    if (findDestroysTree(inv.args)) report('shell.destroy-root');
  } },
  { on: (p) => /^mkfs(\.|$)/.test(p) || p === 'wipefs' || p === 'mkswap' || p === 'dd' || p === 'shred', run: (inv, report) => {
    const p = inv.program;
    if (/^mkfs(\.|$)/.test(p) || p === 'wipefs' || p === 'mkswap'
      || (p === 'dd' && inv.args.some((a) => /^of=\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|disk|mapper|md)/.test(a)))
      || (p === 'shred' && inv.args.some((a) => a.startsWith('/dev/')))) report('shell.disk-wipe');
  } },
  { needs: REDIRECTS, run: (inv, report) => {
    if (inv.redirects.some((r) => WRITE_OPS.has(r.op) && /^\/dev\/(sd|hd|vd|xvd|nvme|mmcblk|disk)/.test(r.target))) report('shell.disk-wipe');
  } },
  { on: (p) => p === 'kill' || SHUTDOWNS.has(p) || p === 'init' || p === 'systemctl' || p === 'pkill' || p === 'killall', run: (inv, report) => {
    const p = inv.program;
    if ((p === 'kill' && inv.args.includes('-1') && inv.args.length >= 1 && inv.args[inv.args.length - 1] === '-1')
      // `pkill -9 -u "$USER"`, `killall -u bob`: every process of a user, with no name to pick some.
      || ((p === 'pkill' || p === 'killall') && inv.args.some((a) => a === '-u' || a === '-U' || a === '--euid' || a === '--uid' || a === '--user')
        && positionals(inv.args.filter((a, i) => !/^(-u|-U|--euid|--uid|--user|-g|-G|-s|-t|-P)$/.test(inv.args[i - 1] ?? ''))).length === 0)
      || SHUTDOWNS.has(p)
      || (p === 'init' && ['0', '6'].includes(inv.args[0] ?? ''))
      || (p === 'systemctl' && ['poweroff', 'reboot', 'halt'].includes(inv.args[0] ?? ''))) report('shell.kill-all');
  } },
  // Credentials, persistence, account files.
  { on: (p) => !KEY_TOOLS.has(p), run: (inv, report) => {
    if (readsCredential(inv)) report('shell.credential-read');
  } },
  // Secret keys and saved passwords asked of the tools that keep them (gpg's secret keyring, the
  // macOS keychain with -w/-g: the password itself).
  { on: named('gpg', 'gpg2', 'security'), run: (inv, report) => {
    if (inv.program === 'security'
      ? /^find-(generic|internet)-password$|^dump-keychain$/.test(inv.args[0] ?? '') && inv.args.some((a) => /^-[a-z]*[wgd]/.test(a))
      : inv.args.some((a) => /^--export-secret-(sub)?keys$/.test(a))) report('shell.credential-read');
  } },
  // scp/sftp may name a key with -i; a credential file as a source to copy is exfiltration.
  { on: (p) => COPY_TOOLS.has(p), run: (inv, report) => {
    if (copiesCredential(inv.args)) report('shell.credential-read');
  } },
  { needs: HINTED, run: (inv, report, facts) => {
    if (facts.hinted && METADATA_HINT.test(facts.joined) && inv.args.some((a) => /(^|[/@:[])(169\.254\.169\.254|metadata\.google\.internal|metadata\.azure\.com|100\.100\.100\.200|a9fe:a9fe)([/:\]]|$)|(\/\/|@)(2852039166|0xa9fea9fe)([/:]|$)/i.test(a))) report('shell.cloud-metadata');
  } },
  { on: named('find'), run: (inv, report) => {
    if (inv.args.some((a, i) => /^-i?(name|path|regex)$/.test(inv.args[i - 1] ?? '') && /^\W*(id_(rsa|dsa|ecdsa|ed25519)|authorized_keys|\.?netrc|shadow|credentials|\.git-credentials|\.pgpass|[^/]*\.kdbx|wp-config\.php)\W*$/.test(a))) report('shell.credential-search');
  } },
  { on: (p) => GREPS.has(p), run: (inv, report) => {
    if ((hasFlag(inv.args, 'r') || hasFlag(inv.args, 'R') || inv.program === 'rg') && inv.args.some((a) => /^(password|passwd|pwd|secret|api_?key|token)s?$/i.test(a.replace(/^['"]|['"]$/g, ''))) && positionals(inv.args).some((t) => t === '/' || /^\/(etc|home|root|var)\/?$/.test(t))) report('shell.credential-search');
  } },
  { needs: WRITES | REDIRECTS, run: (inv, report, facts) => {
    for (const target of facts.writes) {
      const cls = classifyPath(target);
      if (cls === 'persistence') report('shell.persistence', target);
      if (cls === 'system') report('shell.system-file-write', target);
      if (!cls && (/^\/(etc|usr|bin|sbin|lib|lib64|boot|opt)\//.test(target) || /^\/[^/]+$/.test(target)) && !/^\/dev\//.test(target) && target !== '/dev/null') report('shell.system-write', target);
    }
    // `>> ~/.ssh/authorized_key?`: a glob redirection target writes the one file it matches.
    for (const r of inv.redirects) {
      if (!r.globbed || !WRITE_OPS.has(r.op)) continue;
      const cls = classifyGlob(r.target);
      if (cls === 'persistence') report('shell.persistence', r.target);
      if (cls === 'system') report('shell.system-file-write', r.target);
    }
  } },
  { on: (p) => p === 'crontab' || p === 'systemctl' || p === 'launchctl' || p === 'git' || ACCOUNT_TOOLS.has(p) || p === 'passwd' || SCHEDULERS.has(p), run: (inv, report) => {
    const p = inv.program;
    if (p === 'crontab' && !inv.args.some((a) => a === '-l' || a === '-r' || a === '-h')) report('shell.persistence');
    // at/batch queue a job that runs later, outside this session (listing, removing or showing jobs is not that).
    if (SCHEDULERS.has(p) && !inv.args.some((a) => /^-[a-zA-Z]*[lrdc]/.test(a))) report('shell.persistence');
    if ((p === 'systemctl' || p === 'launchctl') && inv.args.some((a) => ['enable', 'load', 'link', 'bootstrap'].includes(a))) report('shell.persistence');
    if (p === 'git' && inv.args.includes('config') && inv.args.some((a) => /^core\.(hooksPath|sshCommand|pager|editor|fsmonitor)$/i.test(a))) report('shell.persistence');
    if (ACCOUNT_TOOLS.has(p)) report('shell.system-file-write');
    if (p === 'passwd' && inv.args.length > 0) report('shell.system-file-write');
  } },
  // Privilege.
  { on: (p) => PRIVILEGED.has(p), run: (_inv, report) => report('shell.privileged') },
  { on: named('chmod'), run: (inv, report) => {
    const mode = positionals(inv.args)[0] ?? '';
    // Set-uid only: set-gid on directories (g+s, 2775) is the normal way to share a folder.
    if (/^(u|a|ug|ugo)?[+=][rwxXt]*s/.test(mode) || /^[4-7][0-7]{3}$/.test(mode)) report('shell.setuid');
    if ((/^0?7?77$/.test(mode) || /^[ugoa]*o[+=]w|^a[+=]w|^\+w/.test(mode) || mode === '666' || mode === '777')
      && (hasFlag(inv.args, 'R', '--recursive') || positionals(inv.args).slice(1).some((t) => /^\/(etc|usr|bin|sbin|lib|var|root|home)?(\/|$)/.test(t)))) report('shell.world-writable');
  } },
  { on: named('setcap'), run: (_inv, report) => report('shell.setuid') },
  { on: (p) => CONTAINER_RUNTIMES.has(p), run: (inv, report) => {
    if (['run', 'create', 'exec'].includes(positionals(inv.args)[0] ?? '')) {
      const vols = inv.args.flatMap((a, i) => (a === '-v' || a === '--volume' || a === '--mount' ? [inv.args[i + 1] ?? ''] : a.startsWith('--volume=') || a.startsWith('-v') && a.length > 2 ? [a.replace(/^(--volume=|-v)/, '')] : []));
      if (inv.args.some((a) => a === '--privileged' || /^--(pid|net|network|ipc|uts|userns)=host$/.test(a) || /^--cap-add=(ALL|SYS_ADMIN|SYS_PTRACE)$/i.test(a))
        || vols.some((v) => /^\/(:|$)|docker\.sock|^\/(etc|root|proc|sys|dev)(:|\/)/.test(v) || hostMountExposes(v))) report('shell.container-escape');
    }
  } },
  { needs: HINTED, run: (_inv, report, facts) => {
    if (facts.hinted && SOCKETS.test(facts.joined)) report('shell.container-escape');
  } },
  { on: (p) => p === 'lxc' || p === 'incus' || p === 'mount' || p === 'umount' || p === 'nsenter', run: (inv, report) => {
    const p = inv.program;
    if ((p === 'lxc' || p === 'incus') && inv.args.some((a) => /^security\.privileged=true$/.test(a) || /^source=\/$/.test(a))) report('shell.container-escape');
    if ((p === 'mount' || p === 'umount') && positionals(inv.args).length > 0) report('shell.privileged');
    if (p === 'nsenter' && inv.args.some((a) => a === '-t' || a === '--target')) report('shell.container-escape');
  } },
  { needs: ENV, run: (inv, report) => {
    if (inv.env.length && inv.env.some((e) => /^(LD_PRELOAD|LD_AUDIT)=/.test(e))) report('shell.ld-preload');
  } },
  { on: named('export'), run: (inv, report) => {
    if (inv.args.some((a) => /^(LD_PRELOAD|LD_AUDIT)=/.test(a))) report('shell.ld-preload');
  } },
  { on: (p) => p === 'find' || p === 'getcap' || p === 'iptables' || p === 'ip6tables' || p === 'ufw' || p === 'setenforce' || p === 'auditctl' || p === 'systemctl', run: (inv, report) => {
    const p = inv.program;
    if (p === 'find' && inv.args.some((a, i) => a === '-perm' && /^[-/]?(u=s|g=s|[0-7]?[246]000|[246]000)$/.test(inv.args[i + 1] ?? ''))) report('shell.suid-search');
    if (p === 'getcap' && hasFlag(inv.args, 'r')) report('shell.suid-search');
    if (p === 'find' && positionals(inv.args)[0] === '/' && inv.args.some((a, i) => a === '-writable' || (a === '-perm' && /^[-/]?(2|o\+?w|0*002)$/.test(inv.args[i + 1] ?? '')))) report('shell.suid-search');
    if ((p === 'iptables' || p === 'ip6tables') && (inv.args.some((a) => a === '-F' || a === '--flush')
      || inv.args.some((a, i) => (a === '-P' || a === '--policy') && inv.args[i + 2] === 'ACCEPT'))) report('shell.security-disable');
    if (p === 'ufw' && inv.args[0] === 'disable') report('shell.security-disable');
    if (p === 'setenforce' && inv.args[0] === '0') report('shell.security-disable');
    if (p === 'auditctl' && inv.args.includes('-e') && inv.args.includes('0')) report('shell.security-disable');
    if (p === 'systemctl' && inv.args.some((a) => ['stop', 'disable', 'mask'].includes(a)) && inv.args.some((a) => /^(firewalld|ufw|apparmor|auditd|selinux|fail2ban)(\.service)?$/.test(a))) report('shell.security-disable');
  } },
  // Hiding tracks and building code at run time.
  { on: (p) => p === 'history' || p === 'unset' || p === 'export' || p === 'set' || p === 'shred' || p === 'rm' || p === 'ln', run: (inv, report) => {
    const p = inv.program;
    if ((p === 'history' && hasFlag(inv.args, 'c')) || (p === 'unset' && inv.args.some((a) => /^HIST(FILE|SIZE)$/.test(a)))
      || (p === 'export' && inv.args.some((e) => /^HIST(FILE=\/dev\/null|SIZE=0|FILESIZE=0)/.test(e) || /^HISTFILE=$/.test(e)))
      || (p === 'set' && inv.args.includes('+o') && inv.args.includes('history'))
      || ((p === 'shred' || p === 'rm') && inv.args.some((a) => /\.(bash|zsh)_history$|^\/var\/log\//.test(a)))
      || (p === 'ln' && inv.args.includes('/dev/null') && inv.args.some((a) => /_history$/.test(a)))) report('shell.history-tamper');
  } },
  { needs: ENV | WRITES, run: (inv, report, facts) => {
    if ((inv.env.length && inv.env.some((e) => /^HIST(FILE=\/dev\/null|SIZE=0|FILESIZE=0)/.test(e) || /^HISTFILE=$/.test(e)))
      || (facts.writes.length && facts.writes.some((t) => /\.(bash|zsh|sh)_history$|^\/var\/log\//.test(t)))) report('shell.history-tamper');
  } },
  { on: named('touch'), run: (inv, report) => {
    if (inv.args.some((a) => a === '-r' || a.startsWith('--reference'))
      || (inv.args.some((a) => ['-t', '-d', '--date'].includes(a)) && inv.args.some((a) => /^-(a|m|am|ma)$/.test(a)))) report('shell.timestomp');
  } },
  { needs: INJECTION, run: (inv, report) => {
    if (inv.injectionShape) report('shell.injection-shape', inv.path ?? inv.program);
  } },
  { on: named('history', 'date'), run: (inv, report) => {
    const p = inv.program;
    if (p === 'history' && hasFlag(inv.args, 'd')) report('shell.history-tamper');
    if (p === 'date' && inv.args.some((a) => a === '-s' || a.startsWith('--set'))) report('shell.timestomp');
  } },
  { needs: DYNAMIC, run: (inv, report) => {
    if (inv.programDynamic && !/^\$\{?(PWD|HOME)\}?\//.test(inv.path ?? '')) report('shell.dynamic-program', [inv.program, ...inv.args].join(' '));
  } },
  { on: (p) => FETCHERS.has(p) || NET_TOOLS.has(p), run: (inv, report) => {
    const p = inv.program;
    if (FETCHERS.has(p)) report('shell.download');
    if (p === 'curl' && inv.args.some((a, i) => ['-T', '--upload-file', '-F', '--form'].includes(a) || (['-d', '--data', '--data-binary', '--data-raw', '--data-urlencode'].includes(a) && (inv.args[i + 1] ?? '').includes('@')))) report('shell.exfil-upload');
    if (p === 'wget' && inv.args.some((a) => a.startsWith('--post-file') || a.startsWith('--body-file'))) report('shell.exfil-upload');
    if (NET_TOOLS.has(p) && inv.redirects.some((r) => r.op === '<')) report('shell.exfil-upload');
  } },
];

/** Program words no real command has: URLs, shell prompts, ls/passwd lines, bare numbers, box drawing. */
const URL_WORD = /^[a-z][a-z0-9+.-]*:\/\//i;
const PROMPT_WORD = /^[\w.-]+@[\w.-]+(:\S*)?[$#%>]?$|^\S*[$#]$/;
const OUTPUT_WORD = /^[-dlcbps][r-][w-][xsS-][r-][w-][xsS-][r-][w-][xtT-][.+@]?$|^[^:\s]+:[^:\s]*:\d+:\d+:|^(?=[^\d]*\d)[\d.,:]+$/;
const NOT_ASCII = /[^\x20-\x7e]/;
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
const OFFENSIVE = /^(linpeas|linenum|lse|les|linux-exploit-suggester(-2)?|pspy(32|64)?s?|powercat|mimikatz|chisel|ligolo(-ng)?|rubeus|sharphound|bloodhound-python|winpeas|pwncat(-cs)?|lazagne|crackmapexec|nxc|evil-winrm|impacket-[\w-]+|psexec(\.py)?|responder|ncrack|hydra)(\.(sh|py|ps1|exe))?$/i;
const PS_CRADLE = /^(iex|invoke-expression|iwr|invoke-webrequest|irm|invoke-restmethod|invoke-[a-z]*shell[a-z]*)(\(|$)/i;
const DISCOVERY = new Set(['id', 'whoami', 'uname', 'hostname', 'ifconfig', 'ipconfig', 'netstat', 'ver', 'systeminfo']);

/** `ctrl+z`, `cap_setuid+ep`: key chords and capability sets, not programs (`g++` ends in `+`). */
const KEY_CHORD = /^[A-Za-z_]+\+[A-Za-z0-9]+$/;
/** `key = value`, `key : value`, `Defaults x += y`: configuration or notes, not a command line. */
const CONFIG_OPS = new Set(['=', ':', '+=', ':=', '=>']);
/** The same as the second word (`Defaults x += y`). */
const CONFIG_SECOND = new Set(['+=', ':=', '<=']);
const TEST_LIKE = new Set(['test', '[', '[[', 'expr', 'let', 'awk', 'echo', 'printf', 'read', 'bc', 'dc', 'set', 'alias', 'export', 'declare', 'local', 'readonly', 'typeset', 'git', 'sed']);
/** A capitalised unknown word followed by three or more plain words (or an all-capitals table header). */
function isProse(program: string, args: string[]): boolean {
  if (args.length < 3) return false;
  if (/^[A-Z][a-z]+$/.test(program) && args.every((a) => /^[A-Za-z][A-Za-z']*[,.!?:]?$/.test(a))) return true;
  return /^[A-Z]{2,}$/.test(program) && args.length >= 3 && args.every((a) => /^[A-Z]{2,}$/.test(a));
}

const SCANNERS = new Set(['nmap', 'masscan', 'zmap', 'rustscan', 'unicornscan', 'enum4linux', 'enum4linux-ng', 'nbtscan', 'nikto', 'gobuster', 'dirb', 'dirbuster', 'ffuf', 'feroxbuster', 'wfuzz', 'wpscan', 'onesixtyone', 'snmpwalk', 'smbmap']);
const CONTAINER_CLIS = new Set(['docker', 'podman', 'nerdctl', 'lxc', 'incus']);

/** Escape sequences that move the cursor, erase or reset the screen (colours, `…m`, are not among them). */
const SCREEN_ESCAPE = /(\\[eE]|\\0?33|\\x1[bB]|\\u001[bB]|\x1b)(\[[0-9;]*[ABCDEFGHJKSTfsu]|c)/;
const SCREEN_PROGRAMS = new Set(['clear', 'tput', 'reset']);

/**
 * Terminal control written into a file: `echo "# $(clear)" >> run.sh`, `printf '\033[1A\033[K'`
 * into a file, `tput clear > f`. Shown with `cat`, the file then hides the lines before the
 * sequence: what a reviewer sees is not what runs.
 */
function writesScreenControl(inv: Invocation): boolean {
  const p = inv.program;
  const intoFile = inv.redirects.some((r) => WRITE_OPS.has(r.op) && !r.target.startsWith('/dev/') && !/^&?[0-9]$/.test(r.target));
  if (!intoFile) return false;
  if (SCREEN_PROGRAMS.has(p)) return true;
  if (p !== 'echo' && p !== 'printf') return false;
  return inv.substituted.some((programs) => programs.some((q) => SCREEN_PROGRAMS.has(q))) || inv.args.some((a) => SCREEN_ESCAPE.test(a));
}

/** A program word no real command has (URL, prompt, ls/passwd line, non-ASCII, key chord); remembered per word, as words repeat. */
function oddProgramWord(name: string): boolean {
  let odd = oddWords.get(name);
  if (odd === undefined) {
    odd = URL_WORD.test(name) || PROMPT_WORD.test(name) || OUTPUT_WORD.test(name) || NOT_ASCII.test(name) || KEY_CHORD.test(name);
    if (oddWords.size >= 4096) oddWords.clear();
    oddWords.set(name, odd);
  }
  return odd;
}
const oddWords = new Map<string, boolean>();

/** A post-exploitation tool or PowerShell download cradle by name; remembered per name, like oddProgramWord. */
function offensiveProgram(name: string): boolean {
  let offensive = offensiveNames.get(name);
  if (offensive === undefined) {
    offensive = OFFENSIVE.test(name) || PS_CRADLE.test(name);
    if (offensiveNames.size >= 4096) offensiveNames.clear();
    offensiveNames.set(name, offensive);
  }
  return offensive;
}
const offensiveNames = new Map<string, boolean>();

/** A file name that a later wildcard turns into an option that runs a command (`--checkpoint-action=…`, `-e sh`). */
function optionNamedFile(name: string): boolean {
  return /^--?(checkpoint-action|use-compress-program|to-command|rsh-command|e\s|exec)/.test(name) || /^-[a-z]*e\s/.test(name);
}

/**
 * A volume whose host side is a home directory or another top-level tree, or a credential store
 * (`-v ~:/h`, `-v $HOME/.aws:/root/.aws`, `--mount type=bind,source=/home,target=/x`): the container
 * gets every key in it. A project directory (`-v $PWD:/app`) or a cache under home (`~/.m2`) is not this.
 */
function hostMountExposes(volume: string): boolean {
  const source = /(?:^|,)(?:source|src)=([^,]+)/.exec(volume)?.[1] ?? volume.split(':')[0] ?? '';
  return source !== '' && source !== '.' && (isCriticalTree(source) || classifyPath(source) === 'credential');
}

/** Container runtime sockets (mounting one hands over the host). */
const SOCKETS = /docker\.sock|containerd\.sock|podman\.sock/;
/**
 * Every pattern the checks test on the joined arguments, as one alternation: one test per argument
 * tells whether any of them can match (none spans a newline, so none spans two arguments), and the
 * arguments are only joined when one does (INVISIBLE is defined further up).
 */
const JOINED_HINT = new RegExp([TCP_DEVICE, METADATA_HINT, SOCKETS, /NOPASSWD|nopass/, STRATUM, INVISIBLE].map((re) => re.source).join('|'));

/** The shortest text JOINED_HINT matches without an invisible character (`nopass`). */
const HINT_MIN = 6;

/**
 * True when an argument matches JOINED_HINT. Shorter arguments can only match by an invisible
 * character (all of them are at or above U+200B), so only those are tested.
 */
function hintedArgs(args: readonly string[]): boolean {
  for (const a of args) {
    if (a.length >= HINT_MIN) {
      if (JOINED_HINT.test(a)) return true;
      continue;
    }
    for (let i = 0; i < a.length; i++) if (a.charCodeAt(i) >= 0x200b && INVISIBLE.test(a)) return true;
  }
  return false;
}

const EXTRA_CHECKS: Segment[] = [
  { on: (p) => SCREEN_PROGRAMS.has(p) || p === 'echo' || p === 'printf', run: (inv, report) => {
    if (writesScreenControl(inv)) report('shell.terminal-escape');
  } },
  { on: (p) => SCANNERS.has(p) || p === 'showmount' || p === 'rpcinfo' || p === 'smbclient' || CONTAINER_CLIS.has(p), run: (inv, report) => {
    const p = inv.program;
    if (SCANNERS.has(p) || (p === 'showmount' && inv.args.some((a) => /^-[a-z]*e/.test(a))) || (p === 'rpcinfo' && inv.args.includes('-p'))
      || (p === 'smbclient' && inv.args.includes('-L'))) report('shell.network-scan');
    if (CONTAINER_CLIS.has(p) && ['run', 'exec'].includes(positionals(inv.args)[0] ?? '')) {
      const interactive = p === 'lxc' || p === 'incus' || inv.args.some((a) => /^-[a-z]*i[a-z]*t|^-[a-z]*t[a-z]*i/.test(a)) || (inv.args.includes('-i') && inv.args.includes('-t'));
      if (interactive && inv.args.some((a) => SHELLS.has(a.replace(/^.*\//, '')))) report('shell.container-shell');
    }
  } },
  { needs: ENV, run: (inv, report) => {
    if (inv.env.length && inv.env.some((e) => /^TMUX=\/(tmp|var\/run|run)\//.test(e))) report('shell.session-hijack');
  } },
  { on: named('export', 'tmux', 'screen'), run: (inv, report) => {
    const p = inv.program;
    if ((p === 'export' && inv.args.some((e) => /^TMUX=\/(tmp|var\/run|run)\//.test(e))) || (p === 'tmux' && inv.args.some((a, i) => a === '-S' && /^\/(tmp|var\/run|run)\//.test(inv.args[i + 1] ?? '')))
      || (p === 'screen' && inv.args.some((a, i) => /^-[a-z]*[xr]/.test(a) && /^[^/\s]+\//.test(inv.args[i + 1] ?? '')))) report('shell.session-hijack');
  } },
  { on: (p) => CRON_READERS.has(p), run: (inv, report) => {
    if (inv.args.some((a) => /^\/var\/spool\/cron(\/|$)|^\/etc\/cron\*$/.test(a))) report('shell.suid-search');
  } },
  { on: named('='), run: (inv, report) => {
    if (inv.args.length) report('shell.not-a-command', ['=', ...inv.args].join(' '));
  } },
  // What follows is about the program word as written: not for assignments or a program known only at run time.
  { on: (p) => p !== '=', run: (inv, report, facts) => {
    if (inv.programDynamic) return;
    const p = inv.program;
    const name = inv.path ?? p;
    // sudoers `NOPASSWD:` / doas `permit nopass`: a passwordless root grant being written or set up.
    if (facts.hinted && (facts.joined.includes('NOPASSWD') || facts.joined.includes('nopass')) && inv.args.some((a) => /^(NOPASSWD:?|nopass)$/.test(a)) && inv.args.includes('root') || facts.joined.includes('NOPASSWD') && inv.args.some((a) => /^\(?ALL(:ALL)?\)?$/.test(a))) report('shell.privileged');
    if (oddProgramWord(name)
      || (!TEST_LIKE.has(p) && !KNOWN_PROGRAMS.has(p) && (CONFIG_OPS.has(inv.args[0] ?? '') || CONFIG_SECOND.has(inv.args[1] ?? '')))
      || (inv.path === undefined && !KNOWN_PROGRAMS.has(p) && isProse(p, inv.args))) report('shell.not-a-command', name);
  } },
  { on: (p) => p !== '=' && offensiveProgram(p), run: (inv, report) => {
    if (!inv.programDynamic) report('shell.offensive-tool');
  } },
  { on: named('script', 'stty', 'touch', 'echo', 'printf', ':'), run: (inv, report) => {
    if (inv.programDynamic) return;
    const p = inv.program;
    if (p === 'script' && inv.args.some((a) => a === '-c' || /^-[a-z]*c$/.test(a)) && inv.args.some((a) => SHELLS.has(a.replace(/^.*\//, '').split(' ')[0]!))) report('shell.pty-spawn');
    if (p === 'stty' && inv.args.includes('raw') && inv.args.includes('-echo')) report('shell.pty-spawn');
    if ((p === 'touch' || p === 'echo' || p === 'printf' || p === ':')
      && ((p === 'touch' && inv.args.some(optionNamedFile)) || inv.redirects.some((r) => WRITE_OPS.has(r.op) && optionNamedFile(r.target)))) report('shell.argument-injection');
  } },
  // A mining pool address in any argument, whatever the miner binary is called; certificate checks turned off by a prefix.
  { needs: HINTED, run: (_inv, report, facts) => {
    if (facts.hinted && STRATUM.test(facts.joined)) report('shell.crypto-miner');
  } },
  { needs: ENV, run: insecureEnv },
  { on: (p) => p !== '=', run: (inv, report, facts) => {
    if (inv.programDynamic) return;
    if (INVISIBLE.test(inv.path ?? inv.program) || (facts.hinted && INVISIBLE.test(facts.joined)) || (inv.env.length && inv.env.some((a) => INVISIBLE.test(a)))) report('shell.invisible-unicode');
  } },
  { on: (p) => p === 'read' || p === 'openssl' || p === 'mkpasswd' || p === 'htpasswd' || SHELL_COPIERS.has(p), run: (inv, report) => {
    if (inv.programDynamic) return;
    const p = inv.program;
    if (p === 'read' && inv.args.some((a) => /^-[a-z]*s/.test(a)) && inv.args.some((a) => /\b(password|passphrase|passwd)\b|\[sudo\]/i.test(a))) report('shell.password-prompt');
    if ((p === 'openssl' && inv.args[0] === 'passwd') || p === 'mkpasswd' || (p === 'htpasswd' && inv.args.some((a) => /^-[a-z]*n/.test(a)))) report('shell.password-hash');
    if (SHELL_COPIERS.has(p) && inv.args.some((a) => /^(if=)?\/(usr\/)?bin\/(ba|da|z|k)?sh$/.test(a))
      && (p !== 'cat' && p !== 'dd' ? positionals(inv.args).length >= 2 : inv.redirects.some((r) => WRITE_OPS.has(r.op)) || inv.args.some((a) => a.startsWith('of=')))) report('shell.shell-copy');
  } },
];

/** Every part of the checks, in order: the general ones, then those on developer tools (./tool-rules.ts). */
const ALL_CHECKS: Segment[][] = [CHECKS, EXTRA_CHECKS, TOOL_CHECKS];

/**
 * The checks for invocations of one program and shape, in order; remembered per program name and
 * shape, as both repeat.
 */
function checksFor(program: string, shape: number): Check[] {
  const byProgram = (checksByShape[shape] ??= new Map());
  let checks = byProgram.get(program);
  if (checks === undefined) {
    checks = [];
    for (const list of ALL_CHECKS) {
      for (const segment of list) {
        if ((!segment.on || segment.on(program)) && (segment.needs === undefined || (segment.needs & shape) !== 0)) checks.push(segment.run);
      }
    }
    if (byProgram.size >= 4096) byProgram.clear();
    byProgram.set(program, checks);
  }
  return checks;
}
const checksByShape: Map<string, Check[]>[] = new Array<Map<string, Check[]>>(SHAPES);

/**
 * `value;id`, `value|whoami`: a bare word that is no known program (`a`), then a discovery command
 * (`b`) — how command-injection payloads probe. Only on the top level, where an injected string lands.
 */
function injectionProbe(a: Invocation, b: Invocation, known: ReadonlySet<string>): boolean {
  if (a.via.length || b.via.length || a.args.length || a.programDynamic || a.path !== undefined || known.has(a.program) || a.program === '=') return false;
  return DISCOVERY.has(b.program) && a.line === b.line;
}

/** The file a downloader writes to (`curl -o F`, `wget -O F`, `curl … > F`), if any. */
function downloadTarget(inv: Invocation): string | undefined {
  if (!DOWNLOADERS.has(inv.program)) return undefined;
  const flags = inv.program === 'wget' ? ['-O', '--output-document'] : ['-o', '--output'];
  const at = inv.args.findIndex((a) => flags.includes(a));
  const target = at !== -1 ? inv.args[at + 1] : inv.redirects.find((r) => r.op === '>' || r.op === '>>')?.target;
  return target && target !== '-' && target !== '/dev/null' ? target.replace(/^\.\//, '') : undefined;
}

/** `./x` → `x`, as downloads and runs name the same file both ways. */
function withoutDotSlash(name: string): string {
  return name.startsWith('./') ? name.slice(2) : name;
}

const VERIFIERS = new Set(['sha256sum', 'sha512sum', 'sha1sum', 'shasum', 'b2sum', 'gpg', 'gpgv', 'cosign', 'minisign', 'signify', 'rpm', 'dpkg-sig']);

/**
 * Download-then-run within one action (`curl -o i.sh URL && sh i.sh`) is download-and-run unless a
 * checksum or signature check of the file comes in between. One step per invocation, in order:
 * records what `inv` downloads or verifies in `downloaded`, and is true when `inv` runs a file
 * downloaded before it and not checked since.
 */
function runsDownloaded(inv: Invocation, downloaded: Set<string>): boolean {
  const target = downloadTarget(inv);
  if (target) { downloaded.add(target); return false; }
  if (!downloaded.size) return false;
  if (VERIFIERS.has(inv.program) || (inv.program === 'openssl' && inv.args[0] === 'dgst')) {
    for (const n of [inv.path ?? inv.program, ...inv.args]) downloaded.delete(withoutDotSlash(n));
    if (inv.args.some((a) => a === '-c' || a === '--check' || a === '--verify')) downloaded.clear();
    return false;
  }
  // The file run: an interpreter's first operand, else the program itself (its name as compared above).
  const runsFile = (interpreterOf(inv.program) !== undefined || inv.program === 'source' || inv.program === '.')
    ? inv.args.find((a) => !a.startsWith('-')) : withoutDotSlash(inv.path ?? inv.program);
  return runsFile !== undefined && downloaded.has(withoutDotSlash(runsFile));
}

/** Where a finding on `inv` points: its line and column, when it has them. */
function locationOf(inv: Invocation): { location?: { line: number; column: number } } {
  return inv.line !== undefined ? { location: { line: inv.line, column: inv.column ?? 1 } } : {};
}

/** The program word and its arguments, as a finding's match (`[word, ...args].join(' ')` without the spread copy). */
function commandLine(inv: Invocation): string {
  const word = inv.path ?? inv.program;
  return inv.args.length ? `${word} ${inv.args.join(' ')}` : word;
}

/**
 * Runs every shell rule over the invocations; one finding per rule and invocation.
 *
 * @example
 * shellFindings(invocations).map((f) => f.rule) // ['shell.pipe-to-shell', …]
 */
export function shellFindings(invocations: Invocation[]): Finding[] {
  // Findings come out as three lists in turn: download-then-run, injection probes, then every
  // invocation's checks. They are gathered in one pass over the invocations (each is read from
  // memory once, not once per list) and joined at the end.
  const downloads: Finding[] = [];
  const probes: Finding[] = [];
  const out: Finding[] = [];
  const downloaded = new Set<string>();
  let cwdCritical = false;
  // One reporter for all invocations (no closure per invocation): `current` is the one being checked.
  // Rules already reported for the current invocation (few or none: an array is cheaper than a Set).
  const seen: RuleId[] = [];
  let current: Invocation = invocations[0]!;
  const report = (id: RuleId, match?: string): void => {
    if (seen.includes(id)) return;
    seen.push(id);
    const inv = current;
    out.push(finding(id, {
      ...locationOf(inv),
      match: match ?? commandLine(inv),
    }));
  };
  // One facts object, refilled for each invocation (the checks read it only while it is current).
  const facts: Facts = { joined: '', writes: NO_TARGETS, hinted: false };
  for (let k = 0; k < invocations.length; k++) {
    const inv = invocations[k]!;
    if (runsDownloaded(inv, downloaded)) {
      downloads.push(finding('shell.pipe-to-shell', {
        message: 'Downloads a file and runs it without checking a checksum or signature first',
        match: commandLine(inv),
        ...locationOf(inv),
      }));
    }
    if (k > 0 && injectionProbe(invocations[k - 1]!, inv, KNOWN_PROGRAMS)) {
      probes.push(finding('shell.injection-probe', {
        match: commandLine(inv),
        ...locationOf(inv),
      }));
    }
    // `cd / && rm -rf *`: relative targets after a cd into a critical tree are that tree.
    if (inv.program === 'cd' && !inv.via.length) cwdCritical = isCriticalTree(positionals(inv.args)[0] ?? '~');
    if (seen.length) seen.length = 0; // setting the length is a runtime call: only when something was reported
    current = inv;
    const hinted = hintedArgs(inv.args);
    facts.hinted = hinted;
    facts.joined = hinted ? inv.args.join('\n') : '';
    facts.writes = writeTargets(inv);
    for (const check of checksFor(inv.program, shapeOf(inv, facts))) check(inv, report, facts);
    if (cwdCritical && inv.program === 'rm' && (hasFlag(inv.args, 'r', '--recursive') || hasFlag(inv.args, 'R'))
      && positionals(inv.args).some((t) => /^(\.\/?|\*|\.\/\*|\.\*)$/.test(t))) report('shell.destroy-root');
  }
  return downloads.length || probes.length ? [...downloads, ...probes, ...out] : out;
}
