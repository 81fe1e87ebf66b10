/**
 * @module audit/events
 * The audit event model: the stable event type names, the stored event shape, and the exact
 * text each event's SHA-256 is computed over. An event's hash covers its sequence number, id,
 * time, type, tenant, session, requester, payload and the previous event's hash, so changing,
 * deleting, inserting or reordering any event breaks the chain at that point.
 */
import type { Requester } from '../core/contracts.js';

/**
 * Every event type the pipeline records. Stable strings: they appear in exports and queries.
 * - `policy.loaded` `{ source, hash, mode }` — a process started deciding under this policy.
 * - `action.requested` `{ action, summary }` — who asked for what (action sanitised).
 * - `decision.made` `{ requestId, verdict, findings, reasons, ruleIds, mode, enforced }`.
 * - `approval.requested` `{ requestId?, approvalId, summary, expiresAt }`.
 * - `approval.answered` `{ approvalId, answer, scope, by, ruleId? }`.
 * - `approval.expired` `{ approvalId }` — no answer before `approvals.timeout`: a deny.
 * - `session-rule.revoked` `{ ruleId, by }`.
 * - `run.started` `{ requestId, argv?, language?, limits? }` — written before the program starts.
 * - `run.finished` `{ requestId, exitCode, signal, limits, durationMs, files? }`.
 * - `network.attempt` `{ requestId, host, port, allowed, reason? }`.
 * - `output.findings` `{ requestId, findings, redacted }`.
 * - `error` `{ requestId?, stage, message }` — a stage failed (and failed closed).
 * - `audit.checkpoint` `{ upTo, hash, keyId, signature }` — written by the log itself.
 */
export const AUDIT_EVENT_TYPES = [
  'policy.loaded',
  'action.requested',
  'decision.made',
  'approval.requested',
  'approval.answered',
  'approval.expired',
  'session-rule.revoked',
  'run.started',
  'run.finished',
  'network.attempt',
  'output.findings',
  'error',
  'audit.checkpoint',
] as const;

/** One of `AUDIT_EVENT_TYPES`. */
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/** The `prev_hash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** An event as stored: payload and requester kept as their canonical JSON text. */
export interface StoredEvent {
  seq: number;
  id: string;
  /** ISO 8601 UTC with milliseconds. */
  ts: string;
  type: string;
  tenant: string | null;
  session: string | null;
  /** Canonical JSON of the `Requester`. */
  requester: string;
  /** Canonical JSON of the (sanitised) payload. */
  payload: string;
  prevHash: string;
  hash: string;
}

/** An event as read back, with its JSON parsed. */
export interface AuditEvent extends Omit<StoredEvent, 'requester' | 'payload'> {
  requester: Requester;
  payload: Record<string, unknown>;
}

/**
 * The canonical JSON text an event's hash is computed over. Equal to
 * `canonicalJson({ id, payload, prev, requester, seq, session, tenant, ts, type })` with the
 * parsed payload and requester, built by concatenation so verifying never re-serialises.
 *
 * @example
 * sha256Hex(hashInput(event)) === event.hash
 */
export function hashInput(e: Omit<StoredEvent, 'hash'>): string {
  return `{"id":${JSON.stringify(e.id)},"payload":${e.payload},"prev":${JSON.stringify(e.prevHash)},"requester":${e.requester},"seq":${e.seq},"session":${JSON.stringify(e.session)},"tenant":${JSON.stringify(e.tenant)},"ts":${JSON.stringify(e.ts)},"type":${JSON.stringify(e.type)}}`;
}

/**
 * Parses a stored event's JSON columns.
 *
 * @example
 * parseEvent(store.last(1)[0]).payload.verdict // 'allow'
 */
export function parseEvent(e: StoredEvent): AuditEvent {
  return { ...e, requester: JSON.parse(e.requester) as Requester, payload: JSON.parse(e.payload) as Record<string, unknown> };
}
