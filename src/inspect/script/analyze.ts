/**
 * @module inspect/script/analyze
 * Inline code for interpreters Airlock does not parse (perl, ruby, php, lua, powershell, …): text
 * heuristics for the classes that matter (reverse shells, running shell commands, decoded code,
 * recursive deletes of the root, home or a system directory).
 * Anything it cannot see through is left to the sandbox; a finding here is never an allow.
 */
import { isCriticalTree } from '../paths.js';
import { finding } from '../rules.js';
import type { Analysis, Engine, NestedContext } from '../types.js';

const SOCKET = /\b(socket|TCPSocket|TCPClient|fsockopen|IO::Socket|Net::Socket|socket\.tcp|Sockets\.TCPClient|stream_socket_client)\b|\/dev\/tcp\/|\bnet\.Dial\b|\bnew Socket\(|TcpStream::connect/i;
const SHELLISH = /\b(exec|system|popen|spawn|proc_open|shell_exec|passthru|IO\.popen|os\.execute|io\.popen|Start-Process|iex|Invoke-Expression)\b|\/bin\/(ba|z)?sh\b|cmd\.exe|`[^`]+`/i;
const DECODE_EVAL = /\b(eval|iex|Invoke-Expression|assert|create_function)\b[\s\S]{0,80}\b(decode_base64|base64_decode|unpack|FromBase64String|gzinflate|str_rot13|pack)\b/i;

/**
 * Calls that hand one string to the shell, with that string as their whole first argument (perl,
 * ruby, php, lua, python-like `os.system`); backquotes and perl's `qx{…}`. A command built at run
 * time (`system("rm " . $x)`) is not literal and is left to the heuristics below.
 */
const COMMAND_CALL = /\b(?:system|exec|shell_exec|passthru|popen|proc_open|os\.execute|io\.popen|IO\.popen|%x)\s*\(?\s*(["'])((?:(?!\1)[^\\]|\\.)*)\1\s*(?=[),;]|$)/g;
const BACKQUOTED = /`([^`\n]+)`|\bqx\s*\{([^}\n]*)\}|\bqx\s*\(([^)\n]*)\)/g;

/**
 * A recursive delete (perl's `rmtree`/`remove_tree`, ruby's `FileUtils.rm_rf`/`rm_r`/`remove_dir`)
 * of a literal path or of the home directory (`$ENV{HOME}`, `ENV['HOME']`, `Dir.home`, `getenv('HOME')`).
 */
const RECURSIVE_DELETE = /\b(?:rmtree|remove_tree|rm_rf|rm_r|remove_dir|remove_entry(?:_secure)?)\b\s*\(?\s*(?:(["'])((?:(?!\1)[^\\\n])*)\1|(\$ENV\{\s*['"]?HOME['"]?\s*\}|ENV\[\s*['"]HOME['"]\s*\]|Dir\.home\b|getenv\(\s*['"]HOME['"]\s*\)))/g;

function deletesCriticalTree(code: string): boolean {
  for (const m of code.matchAll(RECURSIVE_DELETE)) if (m[3] !== undefined || isCriticalTree(m[2]!)) return true;
  return false;
}

function literalCommands(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(COMMAND_CALL)) out.push(m[2]!.replace(/\\(["'\\])/g, '$1'));
  for (const m of code.matchAll(BACKQUOTED)) out.push((m[1] ?? m[2] ?? m[3])!);
  return out.slice(0, 16);
}

/** True when the text both opens a socket and runs a shell: what analyzeScript reports as code.reverse-shell. */
export function looksLikeReverseShell(code: string): boolean {
  return SOCKET.test(code) && SHELLISH.test(code);
}

/**
 * Analyses code of an unparsed interpreter with text heuristics.
 *
 * @example
 * analyzeScript('use Socket;socket(S,PF_INET,SOCK_STREAM,0);exec("/bin/sh -i")', { via: ['perl -e'], depth: 1 })
 */
export function analyzeScript(code: string, context: NestedContext, engine?: Engine): Analysis {
  const out: Analysis = { invocations: [], findings: [] };
  const location = context.origin ?? { line: 1, column: 1 };
  const match = code.split('\n')[0] ?? '';
  // A literal command handed to the shell (`system("rm -rf /")`, `` `…` ``, `os.execute('…')`) is analysed as shell.
  if (engine) {
    for (const command of literalCommands(code)) {
      const inner = engine.analyze('shell', command, { via: [...context.via, 'system'], depth: context.depth + 1, origin: location });
      out.invocations.push(...inner.invocations);
      out.findings.push(...inner.findings);
    }
  }
  if (SOCKET.test(code)) out.findings.push(finding(SHELLISH.test(code) ? 'code.reverse-shell' : 'code.socket', { location, match }));
  else if (SHELLISH.test(code)) out.findings.push(finding('code.shell-command', { location, match }));
  if (DECODE_EVAL.test(code)) out.findings.push(finding('code.decode-eval', { location, match }));
  if (deletesCriticalTree(code)) out.findings.push(finding('code.destroy-tree', { location, match }));
  return out;
}
