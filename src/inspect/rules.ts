/**
 * @module inspect/rules
 * The catalogue of inspection rules: stable id, severity, category, message and remediation.
 * Analyzers report findings only through `finding(id, …)`, so every finding carries the
 * catalogue's text and an unknown id is a programming error caught by the tests.
 */
import type { Category, Finding, FindingLocation, Severity } from '../core/contracts.js';
import { maskSecret } from '../core/mask.js';

/** One rule of the catalogue. */
export interface RuleInfo {
  severity: Severity;
  category: Category;
  message: string;
  remediation?: string;
}

const r = (severity: Severity, category: Category, message: string, remediation?: string): RuleInfo =>
  ({ severity, category, message, remediation });

/**
 * Every rule the inspector can report, by id. Documented in docs/inspect.md.
 *
 * @example
 * RULES['shell.pipe-to-shell'].severity // 'high'
 */
export const RULES = {
  // --- shell ---------------------------------------------------------------------------------
  'shell.pipe-to-shell': r('high', 'supply-chain', 'Downloads code and runs it in a shell or interpreter without looking at it first',
    'Download to a file, check it (checksum or signature), then run it.'),
  'shell.decode-to-shell': r('high', 'obfuscation', 'Decodes hidden data (base64, hex, reversed text) and runs it as code',
    'Run the decoded commands directly so they can be inspected.'),
  'shell.reverse-shell': r('critical', 'reverse-shell', 'Connects a shell to a remote host (reverse or bind shell)',
    'Remove the network redirection; agents never need interactive remote shells.'),
  'shell.netcat-exec': r('critical', 'reverse-shell', 'Runs netcat/socat with a program attached to the connection',
    'Use netcat only to move data, never with -e/-c or exec:.'),
  'shell.destroy-root': r('critical', 'destruction', 'Recursively deletes the root, home or a system directory',
    'Delete only specific paths inside the workspace.'),
  'shell.rm-variable': r('medium', 'destruction', 'Recursively deletes a path only known at run time (an empty variable turns it into /)',
    'Check the variable first (${VAR:?}) or name the path literally.'),
  'shell.disk-wipe': r('critical', 'destruction', 'Overwrites or formats a disk device',
    'Never write to block devices from an agent.'),
  'shell.fork-bomb': r('critical', 'resource-abuse', 'Defines a function that endlessly spawns copies of itself (fork bomb)'),
  'shell.credential-read': r('high', 'credential-access', 'Reads a credential store (SSH keys, cloud credentials, tokens, password hashes)',
    'Pass the one secret a task needs through the policy (network.credentials), not by reading key files.'),
  'shell.exfil-upload': r('medium', 'exfiltration', 'Sends a local file or command output to a remote host',
    'Only upload to hosts the policy allows, and never credential files.'),
  'shell.persistence': r('high', 'persistence', 'Changes shell start-up files, cron, systemd units, SSH authorized keys or git hooks',
    'Change start-up configuration by hand, outside the agent.'),
  'shell.system-file-write': r('critical', 'privilege-escalation', 'Writes to an account or privilege file (/etc/passwd, /etc/shadow, /etc/sudoers, ld.so.preload)'),
  'shell.system-write': r('medium', 'privilege-escalation', 'Writes into a system directory (/etc, /usr, /bin, /lib, /boot, /opt) or the root directory',
    'Write inside the workspace; system changes are for a person to make.'),
  'shell.setuid': r('high', 'privilege-escalation', 'Makes a program set-uid/set-gid or grants it capabilities',
    'Agents never need set-uid programs; drop the s bit or capability.'),
  'shell.privileged': r('medium', 'privilege-escalation', 'Runs a command as another user (sudo, doas, su, pkexec)',
    'Run without privileges; ask a person for anything that needs root.'),
  'shell.container-escape': r('high', 'privilege-escalation', 'Starts a privileged container or mounts the host into one',
    'Run containers without --privileged, host namespaces or the host root mounted.'),
  'shell.ld-preload': r('high', 'privilege-escalation', 'Injects a shared library into programs (LD_PRELOAD / LD_LIBRARY_PATH)'),
  'shell.history-tamper': r('medium', 'obfuscation', 'Hides activity: disables or clears shell history, or wipes logs',
    'Leave history and logs alone.'),
  'shell.timestomp': r('medium', 'obfuscation', 'Backdates file timestamps to hide changes'),
  'shell.security-disable': r('high', 'privilege-escalation', 'Turns off a firewall or a security module'),
  'shell.dynamic-program': r('medium', 'obfuscation', 'The program to run is only known at run time (variable, command substitution or a glob such as `/???/c?t`)',
    'Name the program literally so it can be checked.'),
  'shell.eval-dynamic': r('medium', 'obfuscation', 'Evaluates code that is only known at run time (eval, sh -c with substitutions)',
    'Write the commands out literally instead of building them at run time.'),
  'shell.world-writable': r('medium', 'privilege-escalation', 'Makes files writable by everyone (chmod 777 / o+w) recursively or on system paths'),
  'shell.suid-search': r('medium', 'discovery', 'Searches the system for set-uid programs, capabilities, writable files or other users\' scheduled tasks (privilege-escalation reconnaissance)'),
  'shell.injection-shape': r('medium', 'obfuscation', 'The program name looks like an injection payload (URL-encoded newlines, \\n, quotes around separators)',
    'Send plain commands; encoded separators are how command injection hides.'),
  'shell.not-a-command': r('medium', 'parse-error', 'Does not read as a command (a URL, a shell prompt, program output or prose), so what it would run is unclear',
    'Send only the command itself, without prompts, output or notes.'),
  'shell.injection-probe': r('medium', 'obfuscation', 'Chains a discovery command (id, whoami, uname, …) after a bare value that is not a command: the shape of a command-injection probe'),
  'shell.pty-spawn': r('medium', 'reverse-shell', 'Turns a raw connection into an interactive terminal (pty.spawn, script -c SHELL, stty raw -echo), a reverse-shell follow-up'),
  'shell.offensive-tool': r('high', 'reverse-shell', 'Runs a post-exploitation or privilege-escalation tool (linpeas, pspy, LinEnum, powercat, mimikatz, chisel, …)'),
  'shell.argument-injection': r('medium', 'privilege-escalation', 'Creates files named like options (--checkpoint-action=…, -e sh) so a later wildcard turns them into arguments'),
  'shell.invisible-unicode': r('medium', 'obfuscation', 'A word contains invisible or direction-changing Unicode (zero-width, bidi), so it is not what it looks like'),
  'shell.password-prompt': r('medium', 'credential-access', 'Asks for a password silently (read -s with a password or sudo prompt): the shape of a fake sudo prompt that harvests passwords'),
  'shell.password-hash': r('medium', 'privilege-escalation', 'Makes a password hash (openssl passwd, mkpasswd, crypt), the step before writing an account line into /etc/passwd or shadow'),
  'shell.shell-copy': r('medium', 'privilege-escalation', 'Copies a shell binary (the first step of a set-uid shell backdoor)'),
  'shell.network-scan': r('medium', 'discovery', 'Scans or enumerates other hosts (nmap, masscan, showmount -e, enum4linux, smbclient -L, web content brute-forcers)'),
  'shell.container-shell': r('medium', 'privilege-escalation', 'Opens an interactive shell inside a container (docker run/exec -it … sh, lxc exec … sh); with access to the container daemon that is root on the host'),
  'shell.session-hijack': r('medium', 'privilege-escalation', 'Attaches to another terminal session through its socket (TMUX=/tmp/tmux-…, tmux -S, screen -x user/)'),
  'shell.terminal-escape': r('medium', 'obfuscation', 'Writes terminal control (clear screen, cursor up, erase line: $(clear), $(tput …), \\033[…) into a file, so displaying the file hides part of what it holds',
    'Write plain text; colour codes are fine, cursor movement and screen clearing are not.'),
  'shell.credential-search': r('medium', 'discovery', 'Searches the file system for keys, passwords or credential files'),
  'shell.cloud-metadata': r('high', 'credential-access', 'Queries a cloud metadata endpoint, where instance credentials live'),
  'shell.kill-all': r('high', 'destruction', 'Kills every process or shuts the machine down'),
  'shell.download': r('low', 'network', 'Downloads from the network'),
  'shell.network-listener': r('medium', 'network', 'Opens a network listener or raw connection (netcat, socat, telnet)',
    'Use a normal client for the one host the task needs.'),
  'shell.payload-generator': r('high', 'reverse-shell', 'Generates or runs an exploit/payload tool (msfvenom, meterpreter)'),
  'shell.insecure-source': r('medium', 'supply-chain', 'Points a package manager or git at an unchecked source: another default registry or index, a plain-HTTP index, or certificate checks turned off',
    'Install from the default registry over HTTPS; registry changes are for a person to make in the project\'s configuration.'),
  'shell.token-print': r('high', 'credential-access', 'Prints a stored credential: a CLI\'s access token (gh auth token, gcloud auth print-access-token, az account get-access-token) or a secret from a secret store or password manager',
    'Let the tool use its credential itself, or pass the one secret a task needs through the policy (network.credentials).'),
  'shell.git-destructive': r('medium', 'destruction', 'Throws away work or rewrites shared history with git (push --force/--delete/--mirror, reset --hard, clean -f, checkout/restore of the whole tree, stash drop, branch -D, filter-branch)',
    'Commit or stash first, push without --force, and leave history rewrites to a person.'),
  'shell.tunnel': r('high', 'exfiltration', 'Opens a tunnel that lets a remote host reach this machine or relay traffic through it (ssh -R/-D, ngrok, cloudflared tunnel, localtunnel, bore, tmate, sshuttle)',
    'Agents never need to expose the machine; use the egress proxy for outbound requests.'),
  'shell.crypto-miner': r('critical', 'resource-abuse', 'Runs a cryptocurrency miner or connects to a mining pool (xmrig, cpuminer, stratum+tcp://)'),
  'shell.secure-delete': r('medium', 'destruction', 'Overwrites files so that they cannot be recovered (shred, wipe, srm)',
    'Delete with rm inside the workspace, where version control can bring files back.'),
  'shell.parse-error': r('medium', 'parse-error', 'Could not parse the shell code completely, so not every program it runs is known',
    'Fix the syntax; incomplete code is never allowed without a person looking at it.'),
  'shell.too-deep': r('medium', 'parse-error', 'Nested too deeply (shell inside shell inside …) to inspect fully'),
  'shell.unknown-program': r('low', 'policy', 'Runs a program the rules know nothing about'),
  // --- code (python, javascript, other interpreters) ----------------------------------------------
  'code.shell-command': r('medium', 'supply-chain', 'Runs a shell command built from data (os.system, subprocess with shell=True, child_process.exec)',
    'Pass an argument list without a shell, and never interpolate input into a command.'),
  'code.dynamic-eval': r('medium', 'obfuscation', 'Evaluates code built at run time (eval, exec, Function, string timers)',
    'Avoid eval; parse data with a real parser (json, ast.literal_eval).'),
  'code.decode-eval': r('high', 'obfuscation', 'Decodes hidden data (base64, hex, zlib) and runs it as code'),
  'code.reverse-shell': r('critical', 'reverse-shell', 'Connects a shell or process to a network socket (reverse or bind shell)'),
  'code.socket': r('medium', 'network', 'Opens a raw network socket to a host', 'Use an HTTP client to an allowed host.'),
  'code.unsafe-deserialize': r('medium', 'supply-chain', 'Deserialises data that can run code (pickle, marshal, yaml.load, dill)',
    'Use json or yaml.safe_load; never unpickle data you did not create.'),
  'code.network-deserialize': r('high', 'supply-chain', 'Deserialises code-carrying data fetched from the network (pickle/marshal over HTTP or sockets)'),
  'code.credential-read': r('high', 'credential-access', 'Opens a credential file (SSH keys, cloud credentials, tokens, password hashes)'),
  'code.persistence-write': r('high', 'persistence', 'Writes to shell start-up files, cron, systemd units, SSH authorized keys or git hooks'),
  'code.destroy-tree': r('critical', 'destruction', 'Deletes the root, home or a system directory tree'),
  'code.env-exfil': r('high', 'exfiltration', 'Sends the whole environment, where tokens and keys live, over the network (requests.post(…, json=dict(os.environ)), fetch(…, { body: JSON.stringify(process.env) }))',
    'Send only the values the request needs, never the environment as a whole.'),
  'code.obfuscated-call': r('medium', 'obfuscation', 'Reaches a function or module through a name assembled at run time (getattr(os, "sys" + "tem"), globalThis["ev" + "al"]) or through node\'s internals (process.binding, process.dlopen, constructor.constructor), which hides what it calls',
    'Call functions by their plain names so the call can be checked.'),
  'code.download-exec': r('high', 'supply-chain', 'Downloads code and runs it (exec/eval of an HTTP response) without looking at it first',
    'Download to a file, check it (checksum or signature), then run it.'),
  'code.setuid-root': r('high', 'privilege-escalation', 'Switches to root (setuid(0), setgid(0)): the step before starting a root shell'),
  'code.fork-bomb': r('critical', 'resource-abuse', 'Starts processes in a loop with no way out (a fork bomb)'),
  'code.weak-hash': r('low', 'supply-chain', 'Uses a broken hash (MD5, SHA-1) ', 'Use SHA-256 or better.'),
  'code.insecure-random': r('low', 'supply-chain', 'Uses a predictable random generator where secrets may be made', 'Use crypto.randomBytes / secrets.'),
  'code.sql-injection': r('medium', 'supply-chain', 'Builds an SQL statement by string formatting', 'Use query parameters.'),
  'code.cleartext-http': r('low', 'network', 'Talks plain HTTP to a remote host', 'Use https://.'),
  'code.unsafe-buffer': r('low', 'supply-chain', 'Uses uninitialised or unchecked buffer access (allocUnsafe, noAssert)'),
  'code.postmessage-wildcard': r('low', 'exfiltration', 'Sends a postMessage to any origin ("*")', 'Name the target origin.'),
  'code.message-no-origin': r('low', 'supply-chain', 'Handles window messages without checking their origin', 'Check event.origin first.'),
  'code.parse-error': r('medium', 'parse-error', 'Could not parse the code completely, so it was not fully inspected'),
  // --- files ---------------------------------------------------------------------------------------
  'file.credential-path': r('high', 'credential-access', 'Touches a credential file (SSH keys, cloud credentials, tokens, .env)'),
  'file.persistence-path': r('high', 'persistence', 'Writes a shell start-up file, cron entry, systemd unit, authorized_keys or git hook'),
  'file.system-path': r('high', 'privilege-escalation', 'Touches an account or privilege file outside the workspace (/etc/passwd, sudoers, …)'),
  // --- text (content entering the agent) -----------------------------------------------------------
  'text.invisible-unicode': r('high', 'prompt-injection', 'Contains invisible Unicode tag characters that can hide instructions'),
  'text.bidi-override': r('medium', 'prompt-injection', 'Contains bidirectional override characters that make text read differently than it runs'),
  'text.zero-width': r('low', 'prompt-injection', 'Contains zero-width characters inside words'),
  'text.instruction-override': r('high', 'prompt-injection', 'Tries to override the agent\'s instructions ("ignore previous instructions", "you are now …")'),
  'text.tool-directive': r('medium', 'prompt-injection', 'Tells the agent to run commands, call tools or send data somewhere'),
  'text.response-directive': r('low', 'prompt-injection', 'Tells its reader how to write its own answer or what code to put into it ("in your response", "answer in French", "embed the following code block"): words for a model, not a person'),
  'text.hidden-markup': r('medium', 'prompt-injection', 'Hides instructions in comments or invisible markup'),
  'text.role-spoof': r('medium', 'prompt-injection', 'Imitates system/assistant message markers to inject a new role'),
  'text.attack-code': r('medium', 'reverse-shell', 'Carries code that connects a shell to a network socket or gains root and starts a shell (reverse-shell or privilege-escalation payload)'),
  // --- fail-closed ---------------------------------------------------------------------------------
  'inspect.too-large': r('medium', 'parse-error', 'The input is larger than inspect.maxInputSize and was not inspected',
    'Split the work into smaller pieces, or raise inspect.maxInputSize in the policy.'),
  'inspect.internal-error': r('critical', 'parse-error', 'The inspector failed on this input, so it is refused (fail closed)'),
} as const satisfies Record<string, RuleInfo>;

/** A rule id of the catalogue. */
export type RuleId = keyof typeof RULES;

/**
 * Builds a finding for catalogue rule `id`, with optional location, masked match or own message.
 *
 * @example
 * finding('shell.pipe-to-shell', { location: { line: 1, column: 1 } }).severity // 'high'
 */
export function finding(id: RuleId, extra: { location?: FindingLocation; match?: string; message?: string; confidence?: number } = {}): Finding {
  const info: RuleInfo = RULES[id];
  const f: Finding = { rule: id, severity: info.severity, category: info.category, message: extra.message ?? info.message };
  if (info.remediation) f.remediation = info.remediation;
  if (extra.location) f.location = extra.location;
  if (extra.match !== undefined) f.match = maskTokens(extra.match.length > 120 ? `${extra.match.slice(0, 117)}...` : extra.match);
  if (extra.confidence !== undefined) f.confidence = extra.confidence;
  return f;
}

/** Masks token-shaped runs (long, mixing letters and digits) so a matched command never shows a secret. */
function maskTokens(text: string): string {
  return text.replace(/[A-Za-z0-9_\-+/=.]{20,}/g, (run) => (/[0-9]/.test(run) && /[A-Za-z]/.test(run) && !run.includes('/') ? maskSecret(run) : run));
}
