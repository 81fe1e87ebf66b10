/**
 * @module audit/store
 * The storage interface behind the audit log, so a PostgreSQL store can follow the embedded
 * SQLite one. The schema every store implements (SQL shown for PostgreSQL):
 *
 * ```sql
 * CREATE TABLE audit_events (
 *   seq       BIGINT PRIMARY KEY,        -- 1, 2, 3… with no gaps: the chain's order
 *   id        TEXT NOT NULL UNIQUE,      -- random, returned to callers as `auditId`
 *   ts        TEXT NOT NULL,             -- ISO 8601 UTC, as hashed
 *   type      TEXT NOT NULL,
 *   tenant    TEXT,                      -- for the HTTP API's tenants; indexed
 *   session   TEXT,
 *   requester TEXT NOT NULL,             -- canonical JSON text (not jsonb: it reorders keys)
 *   payload   TEXT NOT NULL,             -- canonical JSON text
 *   prev_hash TEXT NOT NULL,             -- hash of seq-1, or 64 zeros
 *   hash      TEXT NOT NULL              -- SHA-256 of hashInput(event)
 * );
 * ```
 *
 * Appending reads the head and inserts `seq = head + 1` in one write transaction
 * (`BEGIN IMMEDIATE` in SQLite, `SELECT … FOR UPDATE` on a one-row head table in PostgreSQL), so
 * the chain stays linear under many writers.
 */
import type { Requester } from '../core/contracts.js';
import type { StoredEvent } from './events.js';

/** What a caller hands to `append` (already sanitised). */
export interface AppendInput {
  type: string;
  payload: Record<string, unknown>;
  requester: Requester;
}

/** Called inside the append transaction with the event just written; may return one more event to append (a checkpoint). */
export type AfterAppend = (event: StoredEvent) => AppendInput | null;

/** An event store. Appends are durable when they return. */
export interface AuditStore {
  /** Appends events in one durable transaction, chained after the current head. */
  append(input: AppendInput, after?: AfterAppend): StoredEvent;
  /** Appends several events in one durable transaction (one fsync): all or none. */
  appendMany(inputs: readonly AppendInput[], after?: AfterAppend): StoredEvent[];
  /** The last event's sequence number and hash, or `null` when empty. */
  head(): { seq: number; hash: string } | null;
  /** Events with `seq > afterSeq`, in order, streamed. */
  iterate(afterSeq?: number): IterableIterator<StoredEvent>;
  /** Up to `limit` events with `seq > afterSeq`, in order. */
  read(options?: { afterSeq?: number; limit?: number }): StoredEvent[];
  /** The last `n` events, in order. */
  last(n: number): StoredEvent[];
  /** One event by id. */
  get(id: string): StoredEvent | null;
  count(): number;
  close(): void;
}
