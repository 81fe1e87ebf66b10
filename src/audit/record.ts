/**
 * @module audit/record
 * Typed helpers for the pipeline, so every surface records the same payloads: one function per
 * stage, taking the contract types. Each returns the event id; `recordRequest`'s id is the
 * `requestId` every later event of that action carries (and the `auditId` of its `RunResult`).
 * In monitor mode the decision is recorded with `enforced: false` and `wouldBlock` — what a
 * rollout report counts — while the action proceeds.
 */
import type { Action, Decision, NetworkAttempt, Requester, RunResult } from '../core/contracts.js';
import type { AuditLog } from './log.js';

/**
 * Records a loaded policy and its hash.
 *
 * @example
 * recordPolicy(log, { source: loaded.source, hash: loaded.hash, mode: policy.mode });
 */
export function recordPolicy(log: AuditLog, policy: { source: string | null; hash: string; mode: string }, requester?: Requester): string {
  return log.append('policy.loaded', { source: policy.source, hash: policy.hash, mode: policy.mode }, requester);
}

/**
 * Records who asked for what, before anything is decided. Commands, code and file contents are
 * stored with well-known secret shapes masked; binary stdin as its length and hash.
 *
 * @example
 * const requestId = recordRequest(log, action, summarizeAction(action), requester);
 */
export function recordRequest(log: AuditLog, action: Action, summary: string, requester?: Requester): string {
  return log.append('action.requested', { action, summary }, requester);
}

/**
 * Records the decision. `mode: 'monitor'` marks it as not enforced: `wouldBlock` says whether
 * enforcement would have stopped the action.
 *
 * @example
 * recordDecision(log, requestId, decision, policy.mode, requester);
 */
export function recordDecision(log: AuditLog, requestId: string, decision: Decision, mode: 'enforce' | 'monitor', requester?: Requester): string {
  return log.append('decision.made', {
    requestId, verdict: decision.verdict, findings: decision.findings, reasons: decision.reasons, ruleIds: decision.ruleIds,
    mode, enforced: mode === 'enforce', wouldBlock: decision.verdict !== 'allow',
  }, requester);
}

/**
 * Records that the program is about to start; durable before it does.
 *
 * @example
 * recordRunStart(log, requestId, { argv });
 */
export function recordRunStart(log: AuditLog, requestId: string, details: Record<string, unknown> = {}, requester?: Requester): string {
  return log.append('run.started', { requestId, ...details }, requester);
}

/**
 * Records a run's end, its egress attempts and its output findings in one durable transaction.
 * Returns the id of the `run.finished` event.
 *
 * @example
 * recordRunEnd(log, requestId, result, requester);
 */
export function recordRunEnd(log: AuditLog, requestId: string, result: RunResult, requester?: Requester): string {
  const entries: { type: string; payload: Record<string, unknown>; requester?: Requester }[] = [{
    type: 'run.finished',
    payload: {
      requestId, verdict: result.verdict, ran: result.ran, exitCode: result.exitCode, signal: result.signal ?? null,
      limits: result.limits, durationMs: result.durationMs, files: result.files,
      ...(result.approval ? { approval: result.approval } : {}),
      stdoutBytes: Buffer.byteLength(result.stdout), stderrBytes: Buffer.byteLength(result.stderr),
    },
    ...(requester ? { requester } : {}),
  }];
  for (const attempt of result.network) entries.push({ type: 'network.attempt', payload: { requestId, ...networkPayload(attempt) }, ...(requester ? { requester } : {}) });
  if (result.findings.length || result.redacted) {
    entries.push({ type: 'output.findings', payload: { requestId, findings: result.findings, redacted: Boolean(result.redacted) }, ...(requester ? { requester } : {}) });
  }
  return log.appendMany(entries)[0]!;
}

/**
 * Records a stage that failed (and failed closed).
 *
 * @example
 * recordError(log, requestId, 'sandbox', error);
 */
export function recordError(log: AuditLog, requestId: string | null, stage: string, error: unknown, requester?: Requester): string {
  const message = error instanceof Error ? error.message : String(error);
  return log.append('error', { requestId, stage, message, ...(error instanceof Error && 'code' in error ? { code: String((error as { code: unknown }).code) } : {}) }, requester);
}

function networkPayload(a: NetworkAttempt): Record<string, unknown> {
  return { host: a.host, port: a.port, allowed: a.allowed, reason: a.reason, protocol: a.protocol, bytesUp: a.bytesUp, bytesDown: a.bytesDown };
}
