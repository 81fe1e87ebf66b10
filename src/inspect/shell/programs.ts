/**
 * @module inspect/shell/programs
 * What the inspector knows about programs: which ones only wrap another command (`sudo`, `env`,
 * `timeout`, …) and how to find that command among their options; which ones run inline code
 * (`bash -c`, `python -c`, `node -e`, `perl -e`, `eval`) and which read code from stdin.
 */

/** What running a program leads to besides itself. */
export type Inner =
  | { kind: 'argv'; index: number; via: string; split?: boolean }
  | { kind: 'code'; language: CodeLanguage; code: number; via: string; attached?: string }
  | { kind: 'joined-shell'; from: number; via: string };

/** Languages of inline code. `script` = an interpreter we do not parse (perl, ruby, php, …). */
export type CodeLanguage = 'shell' | 'python' | 'javascript' | 'script';

interface WrapperSpec {
  /** Options that take a value as the next word. */
  withValue: string[];
  /** Plain words before the command (timeout's duration, chroot's root). */
  positional?: number;
  /** Options that mean "no command runs" (command -v). */
  noRun?: string[];
}

const WRAPPERS: Record<string, WrapperSpec> = {
  sudo: { withValue: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-T', '-U', '--user', '--group', '--chdir', '--prompt', '--role', '--type', '--host', '--close-from', '--other-user', '--command-timeout'], noRun: ['-l', '--list', '-v', '--validate', '-k', '-K', '-e', '--edit', '-V'] },
  doas: { withValue: ['-u', '-C'] },
  env: { withValue: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string', '--block-signal', '--default-signal', '--ignore-signal'] },
  nice: { withValue: ['-n', '--adjustment'] },
  nohup: { withValue: [] },
  timeout: { withValue: ['-s', '--signal', '-k', '--kill-after'], positional: 1 },
  stdbuf: { withValue: ['-i', '-o', '-e', '--input', '--output', '--error'] },
  time: { withValue: ['-f', '--format', '-o', '--output'] },
  command: { withValue: [], noRun: ['-v', '-V'] },
  builtin: { withValue: [] },
  exec: { withValue: ['-a'] },
  chroot: { withValue: ['--userspec', '--groups'], positional: 1 },
  setsid: { withValue: [] },
  ionice: { withValue: ['-c', '-n', '-p', '-P', '-u', '--class', '--classdata'] },
  taskset: { withValue: [], positional: 1 },
  flock: { withValue: ['-w', '--timeout', '-E', '--conflict-exit-code'], positional: 1 },
  unbuffer: { withValue: [] },
  rlwrap: { withValue: ['-f', '-H', '-a', '-e', '-p', '-P', '-S', '-w', '-z', '-l', '-o', '-q', '-s', '-t', '--file', '--history-filename'] },
  chronic: { withValue: [] },
  caffeinate: { withValue: [] },
  proxychains: { withValue: ['-f'] },
  proxychains4: { withValue: ['-f'] },
  torsocks: { withValue: [] },
  strace: { withValue: ['-o', '-e', '-p', '-s', '-u', '-E', '-a', '-b', '-I', '-O', '-S', '-X'] },
  ltrace: { withValue: ['-o', '-e', '-p', '-s', '-u', '-a', '-n'] },
  xargs: { withValue: ['-I', '-n', '-P', '-d', '-L', '-l', '-a', '-s', '-E', '-e', '--max-args', '--max-procs', '--delimiter', '--max-lines', '--arg-file', '--max-chars', '--replace', '--process-slot-var'] },
  nsenter: { withValue: ['-t', '--target', '-S', '--setuid', '-G', '--setgid', '--wd', '-w', '-r', '--root'] },
  unshare: { withValue: ['--map-user', '--map-group', '--propagation', '--setgroups', '-S', '-G', '--wd', '-R', '--root'] },
  runuser: { withValue: ['-u', '-g', '-G', '--user', '--group', '-s', '--shell'] },
  'sg': { withValue: [], positional: 1 },
  watch: { withValue: ['-n', '--interval', '-d', '--differences', '-q'] },
  parallel: { withValue: ['-j', '--jobs', '-S', '--sshlogin', '--sshloginfile', '-a', '--arg-file', '--colsep', '-d', '--delimiter', '-I', '--results', '--joblog', '--tmpdir', '-N', '-n', '--max-args', '--timeout', '--retries', '--halt', '--load', '--memfree', '--delay', '-E', '--eof'] },
  firejail: { withValue: [] },
  'systemd-run': { withValue: ['-u', '--unit', '-p', '--property', '--slice', '--uid', '--gid', '-E', '--setenv', '--description'] },
};

/** WRAPPERS by program name. */
const WRAPPER_SPECS = new Map(Object.entries(WRAPPERS));

/**
 * The program a command word names: its last path segment (`/usr/bin/rm` and `rm/` are `rm`).
 *
 * @example
 * programName('/usr/bin/rm') // 'rm'
 */
export function programName(path: string): string {
  if (!path.includes('/')) return path;
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * Shells; `busybox sh` is handled by treating `busybox` as a wrapper of its applet.
 *
 * @example
 * SHELLS.has('dash') // true
 */
export const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'rbash', 'yash', 'posh']);

/**
 * Interpreter family of a program name, or undefined.
 *
 * @example
 * interpreterOf('python3.12') // 'python'
 * interpreterOf('perl')       // 'script'
 */
export function interpreterOf(name: string): CodeLanguage | undefined {
  const hit = interpreters.get(name);
  if (hit !== undefined) return hit || undefined;
  const lang = interpreterUncached(name);
  if (interpreters.size >= 4096) interpreters.clear();
  interpreters.set(name, lang ?? '');
  return lang;
}

/** Program names repeat across invocations: remember recent answers of interpreterOf. */
const interpreters = new Map<string, CodeLanguage | ''>();

function interpreterUncached(name: string): CodeLanguage | undefined {
  const program = name.replace(/\.exe$/i, '');
  if (SHELLS.has(program)) return 'shell';
  if (/^(python|pypy)(\d+(\.\d+)*)?$/.test(program)) return 'python';
  if (/^(node|nodejs|bun|deno)$/.test(program)) return 'javascript';
  if (/^(perl|ruby|php|lua|luajit|tclsh|wish|irb|jrunscript|jjs|groovy|osascript|pwsh|powershell|Rscript)(\d+(\.\d+)*)?$/.test(program)) return 'script';
  return undefined;
}

/**
 * Programs that fetch data from the network (a pipe from them into a shell is download-and-run).
 *
 * @example
 * DOWNLOADERS.has('wget') // true
 */
export const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c', 'http', 'https', 'lwp-download', 'lwp-request', 'GET', 'POST', 'iwr', 'Invoke-WebRequest', 'tftp', 'ftp', 'scp', 'rsync', 'nc', 'ncat', 'netcat', 'socat', 'openssl', 'telnet']);

const BASE_DECODERS = new Set(['base64', 'base32', 'basenc']);
const OTHER_DECODERS = new Set(['rev', 'uudecode', 'gunzip', 'zcat', 'bunzip2', 'xz', 'unxz', 'gzip', 'tr']);
/** find's options that run a command. */
export const FIND_EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

/**
 * True for decoders: `base64 -d`, `xxd -r`, `openssl enc -d`, `rev`, `gunzip`, ROT13 `tr`, …
 *
 * @example
 * isDecoder('base64', ['-d']) // true
 */
export function isDecoder(program: string, args: string[]): boolean {
  if (BASE_DECODERS.has(program)) return args.some((a) => /^-(d|-decode|D)$|^-[a-z]*d[a-z]*$/.test(a));
  if (program === 'xxd') return args.some((a) => /^-r/.test(a) || a === '-revert');
  if (program === 'openssl') return args.includes('-d') || args.includes('-base64') || args.includes('base64');
  return OTHER_DECODERS.has(program)
    && (program !== 'gzip' || args.includes('-d')) && (program !== 'xz' || args.includes('-d'))
    && (program !== 'tr' || args.some((a) => /a-z.*n-za-m|A-Z.*N-ZA-M/i.test(a)));
}

function isOption(word: string): boolean {
  return word.length > 1 && word.startsWith('-');
}

/**
 * Where the wrapped command starts for wrapper `program`, or undefined (not a wrapper / no command).
 *
 * @example
 * unwrap('sudo', ['-u', 'bob', 'rm', '-rf', 'x']) // { kind: 'argv', index: 2, via: 'sudo' }
 */
export function unwrap(program: string, args: string[]): Inner | undefined {
  if (program === 'busybox' || program === 'toybox') return args.length ? { kind: 'argv', index: 0, via: program } : undefined;
  if (program === 'find') {
    const at = args.findIndex((a) => FIND_EXEC.has(a));
    return at === -1 ? undefined : { kind: 'argv', index: at + 1, via: 'find -exec' };
  }
  if (program === 'su' || program === 'script') {
    // `-c CODE`, also in a cluster (`script -qc CODE`, `su -lc CODE`), or `--command=CODE`.
    const at = args.findIndex((a) => a === '-c' || a === '--command' || /^-[a-zA-Z]+c$/.test(a));
    if (at !== -1) return { kind: 'code', language: 'shell', code: at + 1, via: `${program} -c` };
    const long = args.find((a) => a.startsWith('--command='));
    return long === undefined ? undefined : { kind: 'code', language: 'shell', code: -1, via: `${program} -c`, attached: long.slice(10) };
  }
  const option = commandOption(program, args);
  if (option) return option;
  if (program === 'eval') return args.length ? { kind: 'joined-shell', from: 0, via: 'eval' } : undefined;
  if (program === 'trap') return trapAction(args);
  const language = interpreterOf(program);
  if (language) return inlineCode(program, language, args);
  // A Map, not WRAPPERS itself: a program named `constructor` or `toString` is no wrapper, and a
  // lookup by a string made at run time is a hash probe instead of a property lookup in the runtime.
  const spec = WRAPPER_SPECS.get(program);
  if (!spec) return undefined;
  let positional = spec.positional ?? 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (spec.noRun?.includes(a)) return undefined;
    if (program === 'env' && /^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) continue;
    if (program === 'env' && (a === '-S' || a === '--split-string')) return i + 1 < args.length ? { kind: 'joined-shell', from: i + 1, via: 'env -S' } : undefined;
    if (program === 'flock' && (a === '-c' || a === '--command')) return { kind: 'code', language: 'shell', code: i + 1, via: 'flock -c' };
    if (a === '--') {
      i++;
      while (positional > 0 && i < args.length) { positional--; i++; }
      return i < args.length ? { kind: 'argv', index: i, via: program } : undefined;
    }
    if (isOption(a)) {
      if (spec.withValue.includes(a)) i++;
      continue;
    }
    if (positional > 0) { positional--; continue; }
    // watch and GNU parallel hand their command line to a shell (parallel's `::: ARGS` go along, so
    // `parallel rm -rf ::: ~` reads as `rm -rf ::: ~`).
    if (program === 'watch' || program === 'parallel') return { kind: 'joined-shell', from: i, via: program };
    return { kind: 'argv', index: i, via: program };
  }
  return undefined;
}

/**
 * Options whose value is a command the program runs through a shell: tar's `--to-command`,
 * `--checkpoint-action=exec=`, `--use-compress-program`/`-I`, `--rsh-command`, `--info-script`/`-F`;
 * rsync's `-e`/`--rsh` (`--rsync-path` runs on the remote host, not here); ssh's `-o ProxyCommand=`/`LocalCommand=`; zip's `-TT`/`--unzip-command`;
 * gdb's `-ex 'shell …'`/`-ex '!…'`; vim's `-c '!…'`. The first such value, as shell code.
 */
function commandOption(program: string, args: string[]): Inner | undefined {
  // A Map lookup, as for WRAPPER_SPECS: own keys only, and a hash probe rather than a runtime property lookup.
  const spec = COMMAND_OPTION_SPECS.get(program);
  if (!spec) return undefined;
  for (let i = 0; i < args.length; i++) {
    for (const [name, code] of spec) {
      const value = optionValueAt(args, i, name);
      if (value === undefined) continue;
      const text = code(value);
      if (text !== undefined && text.trim() !== '') return { kind: 'code', language: 'shell', code: -1, via: `${program} ${name}`, attached: text };
    }
  }
  return undefined;
}

type CommandIn = (value: string) => string | undefined;
const asIs: CommandIn = (v) => v;
/** ssh's `-o ProxyCommand=…`/`LocalCommand …`: the command; any other `-o` setting runs nothing. */
const sshCommand: CommandIn = (v) => /^(?:ProxyCommand|LocalCommand)\s*[= ]\s*(.*)$/is.exec(v)?.[1];
/** tar's `--checkpoint-action=exec=CMD` runs CMD; its other actions (`dot`, `echo=…`) run nothing. */
const tarCheckpoint: CommandIn = (v) => (v.startsWith('exec=') ? v.slice(5) : undefined);
/** An editor command that escapes to the shell: `!CMD` or `:!CMD`. */
const editorBang: CommandIn = (v) => /^\s*:?\s*!(.*)$/s.exec(v)?.[1];
const COMMAND_OPTIONS: Record<string, Array<[option: string, code: CommandIn]>> = {
  tar: [['--to-command', asIs], ['--use-compress-program', asIs], ['-I', asIs], ['--rsh-command', asIs], ['--info-script', asIs],
    ['--new-volume-script', asIs], ['-F', asIs], ['--checkpoint-action', tarCheckpoint]],
  rsync: [['-e', asIs], ['--rsh', asIs]],
  ssh: [['-o', sshCommand]],
  scp: [['-o', sshCommand], ['-S', asIs]],
  sftp: [['-o', sshCommand], ['-S', asIs]],
  zip: [['-TT', asIs], ['--unzip-command', asIs]],
  gdb: ['-ex', '--ex', '-eval-command', '--eval-command'].map((o): [string, CommandIn] => [o, (v) => /^\s*(?:shell\s+|!)(.*)$/s.exec(v)?.[1]]),
  vim: [['-c', editorBang], ['--cmd', editorBang]],
  vi: [['-c', editorBang], ['--cmd', editorBang]],
  nvim: [['-c', editorBang], ['--cmd', editorBang]],
};
/** COMMAND_OPTIONS by program name. */
const COMMAND_OPTION_SPECS = new Map(Object.entries(COMMAND_OPTIONS));

/**
 * `trap ACTION SIGNAL…`: ACTION is shell code the shell runs later (on EXIT, on a signal, on each
 * command with DEBUG). `trap - SIG` and `trap '' SIG` reset or ignore; `-l`/`-p` only list.
 */
function trapAction(args: string[]): Inner | undefined {
  let i = 0;
  if (args[0] === '--') i = 1;
  else if (args[0] !== undefined && isOption(args[0])) return undefined;
  const action = args[i];
  if (action === undefined || action === '' || action === '-' || i + 1 >= args.length) return undefined;
  return { kind: 'code', language: 'shell', code: i, via: 'trap' };
}

const SHELL_VALUE_OPTS = new Set(['-o', '-O', '+o', '+O', '--rcfile', '--init-file']);

/** `bash -c CODE`, `python3 -c CODE`, `node -e CODE`, `perl -e CODE`, … */
function inlineCode(program: string, language: CodeLanguage, args: string[]): Inner | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!isOption(a)) return undefined; // a script file (or `-`): no inline code
    if (language === 'shell') {
      if (SHELL_VALUE_OPTS.has(a)) { i++; continue; }
      if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) return { kind: 'code', language, code: nextNonOption(args, i + 1), via: `${program} -c` };
      continue;
    }
    if (language === 'python') {
      if (/^-[A-Za-z]*c$/.test(a)) return { kind: 'code', language, code: i + 1, via: `${program} -c` };
      if (/^-[A-Za-z]*c./.test(a)) return { kind: 'code', language, code: -1, via: `${program} -c`, attached: a.slice(a.indexOf('c') + 1) };
      if (['-W', '-X', '-m'].includes(a)) { if (a === '-m') return undefined; i++; }
      continue;
    }
    if (language === 'javascript') {
      if (['-e', '--eval', '-p', '--print'].includes(a)) return { kind: 'code', language, code: i + 1, via: `${program} ${a}` };
      if (['-r', '--require', '--import', '--loader'].includes(a)) i++;
      continue;
    }
    if (/^(pwsh|powershell)(\.exe)?$/i.test(program)) {
      if (/^-(e|ec|enc|encodedcommand)$/i.test(a)) return { kind: 'code', language, code: i + 1, via: `${program} -EncodedCommand` };
      if (/^-(c|command)$/i.test(a)) return { kind: 'code', language, code: i + 1, via: `${program} -Command` };
      continue;
    }
    if (/^-[a-zA-Z]*[eEr]$/.test(a) && !['-I', '-M'].includes(a)) return { kind: 'code', language, code: i + 1, via: `${program} ${a}` };
    if (/^-[a-zA-Z]*[eE].+/.test(a) && !/^-[IMr]/.test(a)) return { kind: 'code', language, code: -1, via: `${program} -e`, attached: a.slice(a.search(/[eE]/) + 1) };
  }
  return undefined;
}

/**
 * The value `args[i]` gives option `name`: the next argument after `NAME` ('' when there is none),
 * the rest of `--NAME=VALUE`, or of a two-character short option with its value attached
 * (`-oVALUE`); undefined when `args[i]` is not that option.
 *
 * @example
 * optionValueAt(['-e', 'ssh -p 22'], 0, '-e')     // 'ssh -p 22'
 * optionValueAt(['--rsh=ssh'], 0, '--rsh')        // 'ssh'
 */
export function optionValueAt(args: readonly string[], i: number, name: string): string | undefined {
  const a = args[i]!;
  if (a === name) return args[i + 1] ?? '';
  if (name.startsWith('--')) return a.startsWith(`${name}=`) ? a.slice(name.length + 1) : undefined;
  return name.length === 2 && a.length > 2 && a.startsWith(name) ? a.slice(2) : undefined;
}

/** The positional arguments (not options); option values are not told apart. */
export function positionals(args: readonly string[]): string[] {
  return args.filter((a) => !a.startsWith('-'));
}

/**
 * True when a short flag is given alone or in a cluster (`-f`, `-fd`, `-rC5`), or the long one
 * (`--force`, `--force=…`).
 *
 * @example
 * hasFlag(['-fd'], 'f', '--force') // true
 */
export function hasFlag(args: readonly string[], short: string | undefined, long?: string): boolean {
  return args.some((a) => (short !== undefined && /^-[A-Za-z0-9]+$/.test(a) && a.slice(1).includes(short)) || (long !== undefined && (a === long || a.startsWith(`${long}=`))));
}

function nextNonOption(args: string[], from: number): number {
  let i = from;
  while (i < args.length && SHELL_VALUE_OPTS.has(args[i]!)) i += 2;
  return i;
}

/**
 * True when the interpreter reads its program from stdin (no script and no inline code).
 *
 * @example
 * readsCodeFromStdin('bash', ['-s']) // true
 * readsCodeFromStdin('python3', ['app.py']) // false
 */
export function readsCodeFromStdin(program: string, args: string[]): boolean {
  // at/batch read the commands of the job from stdin unless given a file (-f) or asked to list, remove or show jobs.
  if (SCHEDULERS.has(program)) return !args.some((a) => /^-[a-zA-Z]*[flrdc]/.test(a));
  const language = interpreterOf(program);
  if (!language) return false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-' || a === '-s') return true;
    if (!isOption(a)) return false;
    if (language === 'shell' && SHELL_VALUE_OPTS.has(a)) i++;
  }
  return true;
}

/** Programs that queue the commands on their stdin as a job that runs later (`echo CMD | at now`). */
export const SCHEDULERS = new Set(['at', 'batch']);

/**
 * The language of the code a program reads on stdin: an interpreter's own, shell for at/batch.
 *
 * @example
 * stdinLanguage('python3') // 'python'
 * stdinLanguage('at')      // 'shell'
 */
export function stdinLanguage(program: string): CodeLanguage | undefined {
  return SCHEDULERS.has(program) ? 'shell' : interpreterOf(program);
}

/**
 * Programs the built-in rules consider ordinary (for `inspect.unknownPrograms: ask`).
 *
 * @example
 * KNOWN_PROGRAMS.has('git') // true
 */
export const KNOWN_PROGRAMS = new Set(`
ls cat head tail less more grep egrep fgrep rg ag find fd sed awk gawk cut sort uniq wc tr tee xargs echo printf
pwd cd mkdir rmdir rm cp mv ln touch chmod chown stat file du df basename dirname realpath readlink date sleep true false
test [ diff cmp patch tar gzip gunzip zip unzip xz bzip2 zcat jq yq which type whoami id uname hostname env printenv
git npm npx node pnpm yarn bun deno tsc tsx python python3 pip pip3 uv poetry pytest ruby gem bundle go cargo rustc make cmake
gcc g++ clang java javac mvn gradle docker kubectl helm terraform curl wget ssh scp rsync sha256sum md5sum base64 column
nl paste join comm split fold fmt expand seq yes timeout nice nohup time watch ps top kill pkill pgrep free uptime
export unset set source . read local declare alias history exit return shift trap wait sh bash zsh dash
`.split(/\s+/).filter(Boolean));
