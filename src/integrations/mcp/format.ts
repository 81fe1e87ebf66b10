/**
 * @module integrations/mcp/format
 * Turns what the pipeline returned (a `RunResult`, or an error it threw) into what a tool call
 * answers: a text for the model, an `isError` flag and a structured verdict. Shared by the MCP
 * server and the framework adapters so that a refusal reads the same everywhere: what was refused,
 * why (reasons, findings with rule ids) and what to do instead. Never throws.
 */
import { z } from 'zod';
import type { Finding, RunResult, Verdict } from '../../core/contracts.js';
import { formatIssues, isAirlockError } from '../../core/errors.js';
import { maskSecret } from '../../core/mask.js';

/** The machine-readable part of every tool answer (MCP `structuredContent`). */
export interface ToolOutcome {
  verdict: Verdict;
  /** True when the action ran in the sandbox. */
  ran: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
  findings: Array<Pick<Finding, 'rule' | 'severity' | 'category' | 'message'>>;
  reasons: string[];
  durationMs: number;
  auditId: string | null;
  timedOut: boolean;
  redacted: boolean;
  /** The human approval behind an ask, when there was one. */
  approval?: { id: string; answer: 'approved' | 'denied' | 'expired'; by?: string } | undefined;
  /** Set when Airlock itself could not handle the call (bad path, sandbox unavailable, …). */
  error?: { code: string; message: string } | undefined;
}

/** A tool answer: text for the model, whether it is an error, and the structured outcome. */
export interface ToolAnswer {
  text: string;
  isError: boolean;
  outcome: ToolOutcome;
}

/** The zod schema of `ToolOutcome`, advertised as the MCP tools' `outputSchema`. */
export const toolOutcomeSchema = z.object({
  verdict: z.enum(['allow', 'ask', 'deny']),
  ran: z.boolean(),
  exitCode: z.number().int().nullable(),
  stdout: z.string(),
  stderr: z.string(),
  findings: z.array(z.object({ rule: z.string(), severity: z.enum(['low', 'medium', 'high', 'critical']), category: z.string(), message: z.string() })),
  reasons: z.array(z.string()),
  durationMs: z.number(),
  auditId: z.string().nullable(),
  timedOut: z.boolean(),
  redacted: z.boolean(),
  approval: z.object({ id: z.string(), answer: z.enum(['approved', 'denied', 'expired']), by: z.string().optional() }).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

const findingLine = (f: Finding): string =>
  `- [${f.severity}] ${f.rule}: ${f.message}${f.match ? ` (matched ${f.match})` : ''}${f.remediation ? ` Instead: ${f.remediation}` : ''}`;

function refusalText(what: string, r: RunResult): string {
  const lines: string[] = [];
  const noApprover = r.approval?.id === 'none' || /^nobody\b/.test(r.approval?.by ?? '') || r.reasons.some((x) => /no approver/i.test(x));
  const asked = r.approval !== undefined || noApprover;
  if (noApprover) lines.push(`Airlock did not run ${what}: it needs a human approval, and no approver is configured here.`);
  else if (r.approval?.answer === 'expired') lines.push(`Airlock refused ${what}: it needed a human approval (request ${r.approval.id}) and nobody answered in time.`);
  else if (r.approval?.answer === 'denied') lines.push(`Airlock refused ${what}: a human denied the approval request ${r.approval.id}${r.approval.by ? ` (${r.approval.by})` : ''}.`);
  else lines.push(`Airlock refused ${what} (verdict: ${r.verdict}).`);
  if (r.reasons.length) lines.push('Why:', ...r.reasons.map((x) => `- ${x}`));
  if (r.findings.length) lines.push('Findings:', ...r.findings.map(findingLine));
  lines.push(asked
    ? 'Nothing was run. Ask the user to approve it (airlock approvals list / the dashboard), or do the task another way.'
    : 'Nothing was run. Do not retry the same call; do the task another way that the policy allows, or ask the user to change the policy.');
  return lines.join('\n');
}

function ranText(r: RunResult): string {
  const parts: string[] = [];
  if (r.stdout) parts.push(r.stdout.endsWith('\n') ? r.stdout.slice(0, -1) : r.stdout);
  if (r.stderr) parts.push(`[stderr]\n${r.stderr.endsWith('\n') ? r.stderr.slice(0, -1) : r.stderr}`);
  const notes: string[] = [];
  if (r.exitCode !== 0) notes.push(r.exitCode === null ? `ended by ${r.signal ?? 'a signal'}` : `exit code ${r.exitCode}`);
  if (r.limits.timedOut) notes.push(`stopped at the time limit (${r.limits.enforced.timeout?.value ?? '?'} ms)`);
  if (r.limits.memoryExceeded) notes.push('hit the memory limit');
  if (r.limits.processesExceeded) notes.push('hit the process limit');
  if (r.limits.fileSizeExceeded) notes.push('hit the file size limit');
  if (r.limits.outputTruncated) notes.push('output cut at the output limit');
  if (r.redacted) notes.push('output redacted by Airlock (secrets/PII)');
  for (const n of r.network.filter((a) => !a.allowed)) notes.push(`network refused: ${n.host}:${n.port}${n.reason ? ` (${n.reason})` : ''}`);
  if (r.verdict !== 'allow') notes.push(`monitor mode: the policy's verdict was ${r.verdict}${r.reasons.length ? ` (${r.reasons.join(' ')})` : ''}`);
  if (notes.length) parts.push(`[airlock] ${notes.join('; ')}`);
  return parts.length ? parts.join('\n') : '(no output)';
}

/**
 * Formats a pipeline result as a tool answer. `what` names the call in refusals
 * (e.g. `run_command "rm -rf /"`).
 *
 * @example
 * const answer = formatRunResult('run_command "ls"', result);
 * answer.isError // true when refused, or when the program failed
 */
export function formatRunResult(what: string, r: RunResult): ToolAnswer {
  const outcome: ToolOutcome = {
    verdict: r.verdict,
    ran: r.ran,
    exitCode: r.exitCode,
    stdout: r.stdout,
    stderr: r.stderr,
    findings: r.findings.map(({ rule, severity, category, message }) => ({ rule, severity, category, message })),
    reasons: r.reasons,
    durationMs: r.durationMs,
    auditId: r.auditId,
    timedOut: r.limits.timedOut,
    redacted: r.redacted ?? false,
    ...(r.approval ? { approval: r.approval } : {}),
  };
  if (!r.ran) return { text: refusalText(what, r), isError: true, outcome };
  return { text: ranText(r), isError: r.exitCode !== 0 || r.limits.timedOut, outcome };
}

/**
 * Formats an error thrown by the pipeline (or by argument validation) as a tool answer: a deny
 * that says Airlock could not handle the call, never a protocol error.
 *
 * @example
 * formatFailure('read_file "../x"', new IntegrationError('path "../x" is outside the workspace')).isError // true
 */
export function formatFailure(what: string, error: unknown): ToolAnswer {
  const code = isAirlockError(error) ? error.code : 'internal';
  // Unknown errors may carry anything (paths, tokens in URLs); keep the message short and masked.
  const raw = error instanceof Error ? error.message : String(error);
  const message = isAirlockError(error)
    ? (error.issues.length ? `${raw} ${formatIssues(error.issues).replace(/\s*\n\s*/g, '; ')}` : raw)
    : raw.replace(/[A-Za-z0-9_\-+/=]{32,}/g, (m) => maskSecret(m));
  const hint = code === 'integration'
    ? 'Fix the arguments (paths are relative to the workspace) and try again.'
    : 'Nothing was run. Tell the user; Airlock itself could not handle this call.';
  return {
    text: `Airlock could not run ${what}: ${message}\n${hint}`,
    isError: true,
    outcome: {
      verdict: 'deny', ran: false, exitCode: null, stdout: '', stderr: '', findings: [], reasons: [message],
      durationMs: 0, auditId: null, timedOut: false, redacted: false, error: { code, message },
    },
  };
}

/**
 * Names a call for messages: the tool and a short, single-line form of its main argument.
 *
 * @example
 * describeCall('run_command', { command: 'ls -la' }) // 'run_command "ls -la"'
 */
export function describeCall(tool: string, args: Record<string, unknown>): string {
  const main = args.command ?? args.path ?? (typeof args.code === 'string' ? `${String(args.language ?? '')} code` : undefined);
  if (main === undefined) return tool;
  const text = String(main).replace(/\s+/g, ' ');
  return `${tool} ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)}`;
}
