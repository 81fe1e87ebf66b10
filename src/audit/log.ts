/**
 * @module audit/log
 * The audit log the pipeline writes to: `append(type, payload, requester)` sanitises the payload
 * (secrets masked), chains it after the current head and returns once the event is durable, so
 * the action it describes may proceed. Every `checkpointEvery` events a signed checkpoint is
 * written in the same transaction when a signing key is configured.
 */
import type { Requester } from '../core/contracts.js';
import type { Policy } from '../policy/schema.js';
import { parseEvent, type AuditEvent, type AuditEventType, type StoredEvent } from './events.js';
import { sanitizeForAudit } from './sanitize.js';
import { loadSigner, type CheckpointSigner } from './signing.js';
import { openSqliteStore, type SqliteAuditStore, type SqliteDatabase } from './sqlite-store.js';
import { verifyChain, type VerifyOptions, type VerifyResult } from './verify.js';

/** Options for `openAuditLog`. */
export interface AuditLogOptions {
  /** The SQLite file (`policy.audit.store`). */
  path: string;
  /** Ed25519 private key (PEM) for checkpoints (`policy.audit.signingKey`). */
  signingKeyPath?: string | undefined;
  /** A signed checkpoint after every N events (`policy.audit.checkpointEvery`, default 1000). */
  checkpointEvery?: number;
  /** Who is asking, by default, for events appended without a requester. */
  requester?: Requester;
}

/** The audit log. */
export interface AuditLog {
  /** Appends one event, durable on return; returns its id. Throws when it cannot be written. */
  append(type: AuditEventType | (string & {}), payload?: Record<string, unknown>, requester?: Requester): string;
  /** Like `append`, returning the whole stored event. */
  appendEvent(type: AuditEventType | (string & {}), payload?: Record<string, unknown>, requester?: Requester): AuditEvent;
  /**
   * Appends several events in one durable transaction (one fsync), in order; returns their ids.
   * For events that are known together, e.g. a run's end, its egress attempts and output findings.
   */
  appendMany(entries: readonly { type: AuditEventType | (string & {}); payload?: Record<string, unknown>; requester?: Requester }[]): string[];
  /**
   * Group commit for concurrent callers (the server's many sessions): appends queued in the same
   * turn of the event loop share one durable transaction; each promise resolves with its id once
   * that transaction committed, or rejects when it failed.
   */
  appendAsync(type: AuditEventType | (string & {}), payload?: Record<string, unknown>, requester?: Requester): Promise<string>;
  /** Verifies the whole chain (see `verifyChain`). */
  verify(options?: VerifyOptions): VerifyResult;
  /** The last `n` events. */
  tail(n?: number): AuditEvent[];
  readonly store: SqliteAuditStore;
  /** The SQLite database, shared with the approvals queue. */
  readonly database: SqliteDatabase;
  readonly signer: CheckpointSigner | null;
  close(): void;
}

/**
 * Opens the audit log.
 *
 * @example
 * const log = openAuditLog({ path: policy.audit.store, signingKeyPath: policy.audit.signingKey });
 * const requestId = log.append('action.requested', { action, summary }, { agent: 'cli' });
 * log.append('decision.made', { requestId, verdict: 'allow', findings: [], reasons: [] });
 */
export function openAuditLog(options: AuditLogOptions): AuditLog {
  const signer = options.signingKeyPath ? loadSigner(options.signingKeyPath) : null;
  const store = openSqliteStore(options.path);
  const every = options.checkpointEvery ?? 1000;
  const defaultRequester = options.requester ?? {};
  const checkpoint = signer
    ? (event: StoredEvent) => (event.seq % every === 0
      ? { type: 'audit.checkpoint', payload: { upTo: event.seq, hash: event.hash, keyId: signer.keyId, signature: signer.sign(event.seq, event.hash) }, requester: {} }
      : null)
    : undefined;

  const toInput = (type: string, payload: Record<string, unknown> = {}, requester?: Requester) => ({
    type,
    payload: sanitizeForAudit(payload) as Record<string, unknown>,
    requester: sanitizeForAudit({ ...defaultRequester, ...requester }) as Requester,
  });
  const appendEvent: AuditLog['appendEvent'] = (type, payload = {}, requester) =>
    parseEvent(store.append(toInput(type, payload, requester), checkpoint));
  let queue: { input: ReturnType<typeof toInput>; resolve: (id: string) => void; reject: (error: unknown) => void }[] = [];
  const flush = (): void => {
    const batch = queue;
    queue = [];
    try {
      const events = store.appendMany(batch.map((b) => b.input), checkpoint);
      batch.forEach((b, i) => b.resolve(events[i]!.id));
    } catch (error) {
      for (const b of batch) b.reject(error);
    }
  };
  const appendAsync: AuditLog['appendAsync'] = (type, payload, requester) => new Promise((resolve, reject) => {
    try {
      if (queue.push({ input: toInput(type, payload, requester), resolve, reject }) === 1) setImmediate(flush);
    } catch (error) {
      reject(error);
    }
  });
  return {
    appendAsync,
    append: (type, payload, requester) => store.append(toInput(type, payload, requester), checkpoint).id,
    appendMany: (entries) => store.appendMany(entries.map((e) => toInput(e.type, e.payload, e.requester)), checkpoint).map((e) => e.id),
    appendEvent,
    verify: (verifyOptions = {}) => verifyChain(store.iterate(), { ...(signer ? { publicKey: signer.publicKey, requireCheckpointEvery: every } : {}), ...verifyOptions }),
    tail: (n = 20) => store.last(n).map(parseEvent),
    store,
    database: store.database,
    signer,
    close: () => {
      if (queue.length) flush();
      store.close();
    },
  };
}

/**
 * Opens the audit log configured by a resolved policy.
 *
 * @example
 * const log = openPolicyAuditLog(loadPolicy().policy);
 */
export function openPolicyAuditLog(policy: Policy, requester?: Requester): AuditLog {
  return openAuditLog({
    path: policy.audit.store,
    signingKeyPath: policy.audit.signingKey,
    checkpointEvery: policy.audit.checkpointEvery,
    ...(requester ? { requester } : {}),
  });
}
