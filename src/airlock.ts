/**
 * @module airlock
 * The pipeline: `createAirlock({ policy }).run(action)` takes one action through inspect →
 * decide → approve → contain → verify, recording each step in the audit log, and returns one
 * `RunResult`. Every stage assumes the others can fail: an error while deciding is a deny, an
 * unanswered ask is a deny, and a sandbox that cannot isolate refuses to run.
 */
import { createHash, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createApprovalQueue, type ApprovalAnswer, type ApprovalQueue, type ApprovalQueueOptions, type ApprovalRequest } from './approvals/index.js';
import { openPolicyAuditLog, recordDecision, recordError, recordPolicy, recordRequest, recordRunEnd, recordRunStart, type AuditLog } from './audit/index.js';
import { emptyLimits, type Action, type Decision, type Finding, type Requester, type RunResult, type Verdict } from './core/contracts.js';
import { IntegrationError, isAirlockError } from './core/errors.js';
import { evaluateAction, type InspectionResult } from './inspect/index.js';
import { resolvePolicyPaths } from './policy/load.js';
import type { Policy } from './policy/schema.js';
import { backupProtected, readChangedText, revertProtected, takeSnapshot } from './sandbox/files/index.js';
import type { EgressOptions, EgressSession } from './sandbox/network/index.js';
import { RUN_DIR, runSandboxed, type SandboxRequest } from './sandbox/runner.js';
import { withScriptFiles } from './script-files.js';
import { checkProtected, createCanaries, createStreamScanner, diffSnapshots, partialSnapshotFinding, verifyOutput, type StreamScanner } from './verify/index.js';
import { registerNativeScan } from './native-scan.js';

// The scanner's native byte passes, loaded at the first large output (src/native-scan.ts).
registerNativeScan();

// The approval shapes are the approvals layer's; the pipeline speaks them as they are.
export type { ApprovalAnswer, ApprovalRequest } from './approvals/index.js';

/** Options for `createAirlock`. */
export interface AirlockOptions {
  /** The policy (see `loadPolicy`); relative paths and `~` are resolved against the working directory and home. */
  policy: Policy;
  /** Where the policy came from and its hash, for the audit log. */
  policySource?: string | null;
  policyHash?: string;
  /** Who is asking, by default; each call may override it. */
  requester?: Requester;
  /**
   * Answers `ask` verdicts. Default: the approvals queue in the audit store (answered with
   * `airlock approvals approve ID`, the dashboard, or a TTY prompt per `prompt`); without an audit
   * log, every ask is denied because nobody can be asked.
   */
  approve?: (request: ApprovalRequest) => Promise<ApprovalAnswer>;
  /**
   * Options of the default approvals queue: `prompt: 'auto'` asks on the terminal when stdin and
   * stderr are TTYs (default `never`); `onPending` is told each new pending request.
   */
  approvals?: Omit<ApprovalQueueOptions, 'timeoutMs'>;
  /** The audit log to write to; `false` for none. Default: the policy's `audit.store`, opened on first use. */
  audit?: AuditLog | false;
  /** Egress proxy options (a resolver for tests, timeouts). */
  egress?: Omit<EgressOptions, 'runId' | 'onAttempt' | 'canaryTokens'>;
}

/** Per-call options of `run`. */
export interface RunOptions {
  requester?: Requester;
  /** The program's stdin: `inherit` passes Airlock's own through. */
  stdin?: SandboxRequest['stdin'];
  /** Called with output chunks as they arrive (after verification, when it streams). */
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  signal?: AbortSignal;
  /** The working directory to start in (inside the workspace). */
  cwd?: string;
}

/** The pipeline bound to one policy. */
export interface Airlock {
  readonly policy: Policy;
  /**
   * Inspect and decide only. `cwd`: where the command would run (default: the workspace), for the
   * script files it runs by name (`bash ./x.sh`), which are read from the workspace and inspected.
   */
  check(action: Action, options?: { cwd?: string }): Promise<Decision>;
  /** The whole pipeline. Throws only when Airlock itself fails (`SandboxError`, …). */
  run(action: Action, options?: RunOptions): Promise<RunResult>;
  close(): Promise<void>;
}

/** The interpreter and file name used for each language of `code` actions. */
const LANGUAGE_RUNNERS = {
  shell: { file: 'snippet.sh', argv: ['/bin/bash'] },
  python: { file: 'snippet.py', argv: ['python3'] },
  javascript: { file: 'snippet.mjs', argv: ['node'] },
} as const;

/**
 * Describes an action in one line, for prompts, lists and the audit log.
 *
 * @example
 * summarizeAction({ kind: 'command', argv: ['git', 'push'] }) // 'git push'
 */
export function summarizeAction(action: Action): string {
  switch (action.kind) {
    case 'command': return action.argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
    case 'code': return `${action.language}: ${action.code.length > 200 ? `${action.code.slice(0, 200)}…` : action.code}`;
    case 'read_file': return `read_file ${action.path}`;
    case 'write_file': return `write_file ${action.path} (${action.content.length} chars)`;
    case 'list_files': return `list_files ${action.path ?? '.'}`;
  }
}

/**
 * Resolves a workspace-relative path, refusing anything that leaves the workspace.
 *
 * @example
 * resolveWorkspacePath('/repo', 'src/a.ts') // '/repo/src/a.ts'
 */
export function resolveWorkspacePath(workspace: string, p: string): string {
  const full = path.resolve(workspace, p);
  const rel = path.relative(workspace, full);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new IntegrationError(`path "${p}" is outside the workspace ${workspace}; use a path relative to the workspace.`);
  }
  return full;
}

/** Turns an action into what the sandbox runs. File actions run as small programs in the sandbox
 * too, so the same mounts (workspace only, denied paths invisible) apply to them. */
function toSandboxCommand(action: Action, policy: Policy): Pick<SandboxRequest, 'argv' | 'runFiles' | 'stdin'> {
  switch (action.kind) {
    case 'command':
      if (action.argv.length === 0) throw new IntegrationError('command: argv must not be empty');
      return { argv: action.argv, ...(action.stdin !== undefined ? { stdin: action.stdin } : {}) };
    case 'code': {
      const runner = LANGUAGE_RUNNERS[action.language];
      if (!runner) throw new IntegrationError(`code: unknown language "${String(action.language)}" (expected shell, python or javascript)`);
      return {
        argv: [...runner.argv, `${RUN_DIR}/${runner.file}`],
        runFiles: [{ name: runner.file, content: action.code }],
        ...(action.stdin !== undefined ? { stdin: action.stdin } : {}),
      };
    }
    case 'read_file':
      return { argv: ['cat', '--', resolveWorkspacePath(policy.workspace, action.path)] };
    case 'write_file': {
      const target = resolveWorkspacePath(policy.workspace, action.path);
      return { argv: ['/bin/sh', '-c', 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"', 'write_file', target], stdin: action.content };
    }
    case 'list_files': {
      const dir = resolveWorkspacePath(policy.workspace, action.path ?? '.');
      return { argv: ['find', dir, '-maxdepth', '2', '-not', '-path', '*/.git/*', '-printf', '%y %s %P\\n'] };
    }
  }
}

function notRun(verdict: Verdict, decision: Decision, started: number, extra: Partial<RunResult> = {}): RunResult {
  return {
    verdict,
    exitCode: null,
    signal: null,
    stdout: '',
    stderr: '',
    findings: decision.findings,
    reasons: decision.reasons,
    limits: emptyLimits(),
    network: [],
    files: { changed: [] },
    durationMs: Math.round(performance.now() - started),
    auditId: null,
    ran: false,
    ...extra,
  };
}

/**
 * Host paths the sandbox must show read-only or not at all, whatever the policy's trees are: the
 * policy file (a run must not widen its own policy), the directory of the audit store (a run must
 * not forge or erase its record, nor answer its own approval), and the fixed prefixes of
 * `verify.files.protect` (e.g. `.git/hooks`).
 */
export function protectedPaths(policy: Policy, policySource?: string | null): { readOnly: string[]; hidden: string[] } {
  const readOnly: string[] = [];
  if (policySource) readOnly.push(policySource);
  for (const glob of policy.verify.files.protect) {
    const fixed = glob.split('/').filter(Boolean);
    const cut = fixed.findIndex((part) => /[*?[\]{}]/.test(part));
    const prefix = (cut === -1 ? fixed : fixed.slice(0, cut)).join('/');
    if (prefix) readOnly.push(path.resolve(policy.workspace, prefix));
  }
  const store = policy.audit.store;
  const dir = path.dirname(store);
  // Hide the store's own directory, unless that would hide the workspace itself: then the files.
  const hidesWorkspace = !path.relative(dir, policy.workspace).startsWith('..');
  const hidden = hidesWorkspace ? [store, `${store}-wal`, `${store}-shm`, `${store}-journal`] : [dir];
  if (policy.audit.signingKey) hidden.push(policy.audit.signingKey);
  return { readOnly, hidden };
}

/**
 * Airlock's own guard rails, whatever the policy says: an agent may not answer approvals, revoke
 * session rules, or write to the audit store through the host (hooks decide about commands that
 * run unsandboxed, where the store is reachable).
 */
export function selfProtection(inspection: InspectionResult, policy: Policy): Finding[] {
  const findings: Finding[] = [];
  const store = path.basename(policy.audit.store);
  for (const p of inspection.programs) {
    const [sub, verb] = p.args;
    if (p.program === 'airlock' && sub === 'approvals' && ['approve', 'deny', 'revoke'].includes(verb ?? '')) {
      findings.push({ rule: 'airlock.self-approval', severity: 'critical', category: 'privilege-escalation', message: 'An agent may not answer its own (or any) approval request.', remediation: 'A person answers approvals, from their own terminal or the dashboard.' });
    }
    if (p.args.some((a) => a.includes(store) || a.includes('.airlock/')) && p.program !== 'airlock') {
      findings.push({ rule: 'airlock.audit-tamper', severity: 'critical', category: 'destruction', message: `Touches Airlock's audit store (${store}) directly.`, remediation: 'Read the log with `airlock audit tail|export`; it is append-only by design.' });
    }
  }
  return findings;
}

/** Files the workspace snapshot skips: Airlock's own audit store, when it lives in the workspace. */
function snapshotSkips(policy: Policy): string[] {
  const rel = path.relative(policy.workspace, path.dirname(policy.audit.store));
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? [rel.split(path.sep)[0]!] : [];
}

/** Streams output through the verifier, so nothing unscanned reaches the caller. */
function verifiedStream(policy: Policy, tokens: string[], source: 'stdout' | 'stderr', forward?: (chunk: Buffer) => void) {
  if (!forward) return { scanner: undefined, push: undefined, end: () => {} };
  const scanner: StreamScanner = createStreamScanner({ policy, canaries: { tokens }, source });
  const decoder = new TextDecoder();
  const send = (text: string): void => { if (text && !scanner.blocked) forward(Buffer.from(text)); };
  return {
    scanner,
    push: (chunk: Buffer): void => send(scanner.push(decoder.decode(chunk, { stream: true }))),
    end: (): void => { send(scanner.push(decoder.decode())); send(scanner.end()); },
  };
}

/**
 * Creates the pipeline for one policy.
 *
 * @example
 * const airlock = createAirlock({ policy: loadPolicy().policy });
 * const result = await airlock.run({ kind: 'command', argv: ['python3', '-c', 'print(1)'] });
 * result.stdout // '1\n'
 */
export function createAirlock(options: AirlockOptions): Airlock {
  // A policy built in code (defaultPolicy(), parsePolicy()) has relative paths and `~`: they are
  // resolved against the working directory and home, as loadPolicy does for the built-in default
  // (a resolved policy comes through unchanged).
  const policy = resolvePolicyPaths(options.policy, process.cwd(), os.homedir());
  let log: AuditLog | null | undefined = options.audit === false ? null : options.audit;
  let ownLog = false;
  let queue: ApprovalQueue | undefined;
  const auditLog = (): AuditLog | null => {
    if (log === undefined) {
      log = openPolicyAuditLog(policy, options.requester);
      ownLog = true;
      // Without the file's hash (a policy built in code), record the hash of the resolved policy.
      const hash = options.policyHash ?? createHash('sha256').update(JSON.stringify(policy)).digest('hex');
      recordPolicy(log, { source: options.policySource ?? null, hash, mode: policy.mode }, options.requester);
    }
    return log;
  };
  const approve = (request: ApprovalRequest): Promise<ApprovalAnswer> => {
    if (options.approve) return options.approve(request);
    const l = auditLog();
    if (!l) return Promise.resolve({ answer: 'denied', id: 'none', by: 'nobody: no approver and no audit store to queue the request in' });
    queue ??= createApprovalQueue(l, { prompt: 'never', ...options.approvals, timeoutMs: policy.approvals.timeout });
    return queue.request(request);
  };

  const safeDecide = async (action: Action, cwd: string = policy.workspace): Promise<Decision> => {
    try {
      const inspection = await withScriptFiles(await evaluateAction(action, policy), policy, cwd);
      const guard = selfProtection(inspection, policy);
      if (guard.length === 0) return inspection;
      return {
        ...inspection,
        verdict: 'deny',
        findings: [...inspection.findings, ...guard],
        reasons: [...inspection.reasons, ...guard.map((f) => `${f.rule}: ${f.message}`)],
        ruleIds: [...inspection.ruleIds, ...guard.map((f) => f.rule)],
      };
    } catch (error) {
      // Fail closed: a decision we could not make is a deny, and says why.
      const finding: Finding = {
        rule: 'airlock.decision-failed',
        severity: 'critical',
        category: 'policy',
        message: `Airlock could not decide about this action: ${isAirlockError(error) ? error.message : (error as Error).message}`,
      };
      return { verdict: 'deny', findings: [finding], reasons: [finding.message], ruleIds: [finding.rule] };
    }
  };

  return {
    policy,
    check: (action, checkOptions) => safeDecide(action, checkOptions?.cwd),
    async run(action, runOptions = {}) {
      const started = performance.now();
      const requester = { ...options.requester, ...runOptions.requester };
      const l = auditLog();
      // Durable before anything else happens: if the log cannot be written, nothing runs.
      const requestId = l ? recordRequest(l, action, summarizeAction(action), requester) : null;
      const finish = (result: RunResult): RunResult => {
        if (l && requestId) {
          result.auditId = requestId;
          recordRunEnd(l, requestId, result, requester);
        }
        return result;
      };

      const decision = await safeDecide(action);
      if (l && requestId) recordDecision(l, requestId, decision, policy.mode, requester);
      const monitor = policy.mode === 'monitor';
      const verdict: Verdict = decision.verdict;
      let approval: RunResult['approval'];

      if (verdict === 'ask' && !monitor) {
        let answer: ApprovalAnswer;
        try {
          answer = await approve({ action, decision, requester, summary: summarizeAction(action), requestId: requestId ?? undefined });
        } catch (error) {
          answer = { answer: 'denied', id: 'error', by: `approval failed: ${(error as Error).message}` };
        }
        approval = { id: answer.id, answer: answer.answer, ...(answer.by ? { by: answer.by } : {}) };
        if (answer.answer !== 'approved') {
          const why = answer.answer === 'expired' ? 'No answer before the approval timeout: denied.' : `Denied by ${answer.by ?? 'the approver'}.`;
          return finish(notRun('deny', decision, started, { reasons: [...decision.reasons, why], approval }));
        }
      }
      if (verdict === 'deny' && !monitor) return finish(notRun('deny', decision, started));

      let command: ReturnType<typeof toSandboxCommand>;
      try {
        command = toSandboxCommand(action, policy);
      } catch (error) {
        if (!isAirlockError(error)) throw error;
        return finish(notRun('deny', decision, started, { reasons: [...decision.reasons, error.message] }));
      }
      const stdin = command.stdin ?? runOptions.stdin;
      const runId = randomBytes(8).toString('hex');
      const canaries = createCanaries();
      const skipDirs = snapshotSkips(policy);
      const before = takeSnapshot(policy.workspace, { skipDirs });
      const reverting = policy.verify.files.action === 'revert' ? backupProtected(policy.workspace, before, policy.verify.files.protect) : undefined;
      const out = verifiedStream(policy, canaries.tokens, 'stdout', runOptions.onStdout);
      const err = verifiedStream(policy, canaries.tokens, 'stderr', runOptions.onStderr);
      let egress: EgressSession | undefined;
      let result;
      try {
        let netDir = '';
        if (policy.network.allow.length > 0 || policy.network.local.length > 0) {
          // Loaded only when a policy opens the network: the proxy pulls in http, tls and dns.
          const network = await import('./sandbox/network/index.js');
          netDir = network.SANDBOX_NET_DIR;
          egress = await network.startEgress(policy.network, { ...options.egress, runId, canaryTokens: canaries.tokens });
        }
        if (l && requestId) recordRunStart(l, requestId, { runId, network: Boolean(egress), limits: policy.limits }, requester);
        result = await runSandboxed({
          ...command,
          ...protectedPaths(policy, options.policySource),
          policy,
          // Decoys never shadow a variable the policy passes or sets on purpose.
          env: { ...Object.fromEntries(Object.entries(canaries.env).filter(([k]) => !policy.env.pass.includes(k) && !(k in policy.env.set))), ...egress?.env },
          homeFiles: canaries.files,
          ...(egress ? { prelude: egress.prelude, extraBinds: [{ host: egress.socketDir, sandbox: netDir }, ...(egress.binds ?? [])] } : {}),
          ...(stdin !== undefined ? { stdin } : {}),
          ...(runOptions.cwd ? { cwd: runOptions.cwd } : {}),
          ...(out.push ? { onStdout: out.push } : {}),
          ...(err.push ? { onStderr: err.push } : {}),
          ...(runOptions.signal ? { signal: runOptions.signal } : {}),
          ...(action.kind === 'command' || action.kind === 'code' ? (action.timeoutMs ? { timeoutMs: action.timeoutMs } : {}) : {}),
        });
      } catch (error) {
        if (l && requestId) recordError(l, requestId, 'contain', error, requester);
        throw error;
      } finally {
        await egress?.close();
      }
      out.end();
      err.end();

      // Verify: output, changed files, protected paths, canaries in egress.
      const diff = diffSnapshots(before, takeSnapshot(policy.workspace, { skipDirs }));
      const verified = verifyOutput({
        stdout: result.stdout.toString('utf8'),
        stderr: result.stderr.toString('utf8'),
        files: readChangedText(policy.workspace, [...diff.created, ...diff.modified]),
        policy,
        canaries,
      });
      const network = egress?.attempts() ?? [];
      const extra: Finding[] = [...checkProtected(diff, policy.verify)];
      if (diff.partial) extra.push(partialSnapshotFinding([...before.notes]));
      for (const a of network.filter((n) => /canary/i.test(n.reason ?? ''))) {
        extra.push({ rule: 'canary.egress', severity: 'critical', category: 'canary', message: `A planted canary credential was sent towards ${a.host}:${a.port}; the connection was cut.` });
      }
      const protectedHit = extra.some((f) => f.category === 'file-change' && f.rule !== 'files.snapshot-partial');
      const reverted = protectedHit && reverting ? revertProtected(reverting, diff.changed) : undefined;
      // revert: the change is undone and the output goes on; what could not be undone blocks.
      const blockFiles = protectedHit && (policy.verify.files.action === 'block' || (reverted !== undefined && reverted.failed.length > 0));
      const blocked = verified.blocked || blockFiles || out.scanner?.blocked === true || err.scanner?.blocked === true;
      const reasons = [...decision.reasons, ...verified.reasons];
      if (reverted?.reverted.length) reasons.push(`Protected path(s) put back as they were (verify.files.action: revert): ${reverted.reverted.join(', ')}.`);
      if (reverted?.failed.length) reasons.push(`Could not revert ${reverted.failed.map((f) => `${f.path} (${f.reason})`).join(', ')}: output withheld.`);
      else if (blockFiles) reasons.push('A protected path changed (verify.files.protect): output withheld.');
      if (monitor && verdict !== 'allow') reasons.push(`monitor mode: the verdict was ${verdict}, not enforced.`);
      return finish({
        verdict,
        exitCode: result.exitCode,
        signal: result.signal,
        stdout: blocked ? '' : verified.stdout,
        stderr: blocked ? '' : verified.stderr,
        findings: [...decision.findings, ...verified.findings, ...extra],
        reasons,
        limits: result.limits,
        network,
        files: { changed: diff.changed, created: diff.created, modified: diff.modified, deleted: diff.deleted, ...(reverted ? { reverted: reverted.reverted } : {}) },
        durationMs: Math.round(performance.now() - started),
        auditId: null,
        ran: true,
        redacted: blocked || verified.redacted,
        ...(approval ? { approval } : {}),
      });
    },
    async close() {
      if (ownLog && log) log.close();
    },
  };
}
