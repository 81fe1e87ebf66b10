/**
 * @module airlock
 * The pipeline: `createAirlock({ policy }).run(action)` takes one action through inspect →
 * decide → approve → contain → verify, recording each step in the audit log, and returns one
 * `RunResult`. Every stage assumes the others can fail: an error while deciding is a deny, an
 * unanswered ask is a deny, and a sandbox that cannot isolate refuses to run.
 */
import path from 'node:path';
import { emptyLimits, type Action, type Decision, type Finding, type Requester, type RunResult, type Verdict } from './core/contracts.js';
import { IntegrationError, isAirlockError } from './core/errors.js';
import type { Policy } from './policy/schema.js';
import { RUN_DIR, runSandboxed, type SandboxRequest } from './sandbox/runner.js';

/** A question for a human: the action, the decision that asked, and who asked. */
export interface ApprovalRequest {
  action: Action;
  decision: Decision;
  requester: Requester;
  /** A one-line description of the action for prompts and lists. */
  summary: string;
}

/** A human's answer (or the lack of one). */
export interface ApprovalAnswer {
  answer: 'approved' | 'denied' | 'expired';
  id: string;
  by?: string;
}

/** Options for `createAirlock`. */
export interface AirlockOptions {
  /** A resolved policy (see `loadPolicy`). */
  policy: Policy;
  /** Where the policy came from and its hash, for the audit log. */
  policySource?: string | null;
  policyHash?: string;
  /** Who is asking, by default; each call may override it. */
  requester?: Requester;
  /**
   * Answers `ask` verdicts. Without one, every ask is denied: nobody is there to approve it.
   */
  approve?: (request: ApprovalRequest) => Promise<ApprovalAnswer>;
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
  /** Inspect and decide only. */
  check(action: Action): Promise<Decision>;
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
  return { readOnly, hidden };
}

/** The decision stage. Inspection plugs in here; without it, the policy's explicit verdicts only. */
async function decide(action: Action, policy: Policy): Promise<Decision> {
  void action;
  void policy;
  return { verdict: 'allow', findings: [], reasons: [], ruleIds: [] };
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
  const { policy } = options;
  const safeDecide = async (action: Action): Promise<Decision> => {
    try {
      return await decide(action, policy);
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
    check: safeDecide,
    async run(action, runOptions = {}) {
      const started = performance.now();
      const requester = { ...options.requester, ...runOptions.requester };
      const decision = await safeDecide(action);
      const monitor = policy.mode === 'monitor';
      let verdict = decision.verdict;
      let approval: RunResult['approval'];

      if (verdict === 'ask' && !monitor) {
        if (!options.approve) {
          return notRun('deny', decision, started, {
            reasons: [...decision.reasons, 'This action needs a human approval and no approver is configured: denied.'],
          });
        }
        let answer: ApprovalAnswer;
        try {
          answer = await options.approve({ action, decision, requester, summary: summarizeAction(action) });
        } catch (error) {
          answer = { answer: 'denied', id: 'error', by: `approval failed: ${(error as Error).message}` };
        }
        approval = { id: answer.id, answer: answer.answer, ...(answer.by ? { by: answer.by } : {}) };
        if (answer.answer !== 'approved') {
          const why = answer.answer === 'expired' ? 'No answer before the approval timeout: denied.' : `Denied by ${answer.by ?? 'the approver'}.`;
          return notRun('deny', decision, started, { reasons: [...decision.reasons, why], approval });
        }
      }
      if (verdict === 'deny' && !monitor) return notRun('deny', decision, started);

      const command = toSandboxCommand(action, policy);
      const stdin = command.stdin ?? runOptions.stdin;
      const result = await runSandboxed({
        ...command,
        ...protectedPaths(policy, options.policySource),
        policy,
        ...(stdin !== undefined ? { stdin } : {}),
        ...(runOptions.cwd ? { cwd: runOptions.cwd } : {}),
        ...(runOptions.onStdout ? { onStdout: runOptions.onStdout } : {}),
        ...(runOptions.onStderr ? { onStderr: runOptions.onStderr } : {}),
        ...(runOptions.signal ? { signal: runOptions.signal } : {}),
        ...(action.kind === 'command' || action.kind === 'code' ? (action.timeoutMs ? { timeoutMs: action.timeoutMs } : {}) : {}),
      });
      if (monitor && verdict !== 'allow') verdict = decision.verdict;
      return {
        verdict,
        exitCode: result.exitCode,
        signal: result.signal,
        stdout: result.stdout.toString('utf8'),
        stderr: result.stderr.toString('utf8'),
        findings: decision.findings,
        reasons: decision.reasons,
        limits: result.limits,
        network: [],
        files: { changed: [] },
        durationMs: Math.round(performance.now() - started),
        auditId: null,
        ran: true,
        ...(approval ? { approval } : {}),
      };
    },
    async close() {},
  };
}
