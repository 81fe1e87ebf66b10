/**
 * @module core/contracts
 * The shapes every layer speaks: what an agent asks for (`Action`), what an analyzer says about it
 * (`Finding`), what the policy answers (`Verdict`, `Decision`) and what a run produces
 * (`RunResult`). Every integration translates into and out of these; nothing else crosses a
 * boundary. This module holds types and tiny pure helpers only: no I/O, no dependencies.
 */

/** The three possible answers, from most to least permissive. */
export type Verdict = 'allow' | 'ask' | 'deny';

/** Finding severities, from least to most severe. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

/** What a finding is about. Stable strings: they appear in JSON output, SARIF and the audit log. */
export type Category =
  | 'destruction'
  | 'credential-access'
  | 'exfiltration'
  | 'persistence'
  | 'privilege-escalation'
  | 'obfuscation'
  | 'reverse-shell'
  | 'resource-abuse'
  | 'discovery'
  | 'supply-chain'
  | 'prompt-injection'
  | 'secret'
  | 'pii'
  | 'canary'
  | 'file-change'
  | 'network'
  | 'policy'
  | 'parse-error'
  | 'sandbox';

/** Where in the input a finding was made (1-based line and column). */
export interface FindingLocation {
  line: number;
  column: number;
  /** Which stream or file the finding came from, for output scans (`stdout`, `stderr`, a path). */
  source?: string;
}

/**
 * One observation by an analyzer or scanner. `match` is always masked text, never the raw secret.
 *
 * @example
 * const f: Finding = { rule: 'shell.pipe-to-shell', severity: 'high', category: 'supply-chain',
 *   message: 'Downloads a script and runs it in a shell' };
 */
export interface Finding {
  /** Stable rule id, `<area>.<name>`, e.g. `shell.pipe-to-shell`, `secrets.aws-access-key`. */
  rule: string;
  severity: Severity;
  category: Category;
  /** A sentence a person understands. */
  message: string;
  /** What to do instead, when there is a better way. */
  remediation?: string;
  location?: FindingLocation;
  /** The matched text, masked (secrets never appear in full). */
  match?: string;
  /** 0..1, for detectors that are not certain (PII, injection heuristics). */
  confidence?: number;
}

/** The languages `exec` and `check` understand. */
export type Language = 'shell' | 'python' | 'javascript';

/**
 * What an agent wants to do. `command` is an argv run without a shell; `code` is a snippet in a
 * language (shell code is run with `/bin/sh -c`); file actions are scoped to the workspace.
 */
export type Action =
  | { kind: 'command'; argv: string[]; stdin?: string | Uint8Array; timeoutMs?: number }
  | { kind: 'code'; language: Language; code: string; stdin?: string | Uint8Array; timeoutMs?: number }
  | { kind: 'read_file'; path: string }
  | { kind: 'write_file'; path: string; content: string }
  | { kind: 'list_files'; path?: string };

/** Who asked: carried into approvals and the audit log. */
export interface Requester {
  /** The agent or integration, e.g. `mcp`, `cli`, `claude-code`. */
  agent?: string;
  /** A session id shared by the calls of one agent conversation. */
  session?: string;
  /** The tenant, for the HTTP API. */
  tenant?: string;
  /** A human user name, when known. */
  user?: string;
}

/** The policy's answer about one action, with everything that led to it. */
export interface Decision {
  verdict: Verdict;
  findings: Finding[];
  /** Why, in sentences; one per rule or threshold that contributed. */
  reasons: string[];
  /** The policy rule ids (command rules, finding rules) behind the verdict. */
  ruleIds: string[];
}

/** Which resource limits were in force for a run and by which mechanism. */
export type LimitMechanism = 'cgroup-v1' | 'cgroup-v2' | 'rlimit' | 'supervisor';

/** What the sandbox enforced and what the program ran into. */
export interface LimitsReport {
  timedOut: boolean;
  memoryExceeded: boolean;
  outputTruncated: boolean;
  cpuExceeded: boolean;
  processesExceeded: boolean;
  fileSizeExceeded: boolean;
  /** Each limit that was in force, with its value and how it was enforced. */
  enforced: Partial<Record<'timeout' | 'cpu' | 'memory' | 'processes' | 'output' | 'fileSize', {
    value: number;
    mechanism: LimitMechanism;
  }>>;
}

/** One network connection attempt seen by the egress proxy. */
export interface NetworkAttempt {
  host: string;
  port: number;
  allowed: boolean;
  /** Why it was refused, or which rule allowed it. */
  reason?: string;
  protocol?: 'http' | 'connect' | 'socks5';
  bytesUp?: number;
  bytesDown?: number;
}

/** Files in the workspace that a run created, modified or deleted. */
export interface FileChanges {
  changed: string[];
  created?: string[];
  modified?: string[];
  deleted?: string[];
  /** Protected paths put back as they were before the run (`verify.files.action: revert`). */
  reverted?: string[];
}

/**
 * The whole story of one action: the verdict, the program's result and what the layers saw.
 * This is the shape of `airlock run --json`.
 */
export interface RunResult {
  verdict: Verdict;
  /** The program's exit code; `null` when it did not run or was killed by a signal. */
  exitCode: number | null;
  /** The signal that ended the program, if any. */
  signal?: string | null;
  stdout: string;
  stderr: string;
  findings: Finding[];
  reasons: string[];
  limits: LimitsReport;
  network: NetworkAttempt[];
  files: FileChanges;
  durationMs: number;
  /** The id of the request's audit record, when an audit store is configured. */
  auditId: string | null;
  /** True when the program actually ran in the sandbox. */
  ran: boolean;
  /** True when output was withheld or rewritten by verification. */
  redacted?: boolean;
  /** The approval behind an `ask` that went ahead. */
  approval?: { id: string; answer: 'approved' | 'denied' | 'expired'; by?: string };
}

const VERDICT_RANK: Record<Verdict, number> = { allow: 0, ask: 1, deny: 2 };
const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/**
 * The strictest of several verdicts (deny > ask > allow). With none, `allow`.
 *
 * @example
 * strictest(['allow', 'ask']) // 'ask'
 */
export function strictest(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = 'allow';
  for (const v of verdicts) if (VERDICT_RANK[v] > VERDICT_RANK[worst]) worst = v;
  return worst;
}

/**
 * Compares severities: positive when `a` is more severe than `b`.
 *
 * @example
 * compareSeverity('high', 'medium') > 0 // true
 */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[a] - SEVERITY_RANK[b];
}

/** All severities, least severe first. */
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

/** An empty limits report: nothing enforced, nothing hit. */
export function emptyLimits(): LimitsReport {
  return {
    timedOut: false,
    memoryExceeded: false,
    outputTruncated: false,
    cpuExceeded: false,
    processesExceeded: false,
    fileSizeExceeded: false,
    enforced: {},
  };
}

/**
 * One program that a piece of code would run, found by the inspector: through pipes, lists,
 * substitutions, wrappers (`sudo`, `env`, `timeout`, …) and inline code (`bash -c`, `eval`, `xargs`,
 * `find -exec`). Command rules of the policy are matched against these, never against raw text.
 *
 * @example
 * const inv: CommandInvocation = { program: 'rm', path: '/bin/rm', args: ['-rf', '/'], via: ['sudo'] };
 */
export interface CommandInvocation {
  /** The program's basename as it would run, e.g. `rm` for `/bin/rm` or `\rm`. */
  program: string;
  /** The program as written, when it had a directory (`/usr/bin/curl`). */
  path?: string;
  /** Arguments after quote removal; unknown parts stay as written (`$HOME/x`). */
  args: string[];
  /** How it was reached, outermost first: `pipeline`, `sudo`, `bash -c`, `$(…)`, `xargs`, … */
  via: string[];
  /** True when the program name or an argument is only known at run time. */
  dynamic?: boolean;
  /** Where it starts in the inspected input (1-based). */
  line?: number;
  column?: number;
}
