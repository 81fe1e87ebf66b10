/**
 * @module audit/sqlite-store
 * The embedded audit store: one SQLite file (better-sqlite3) in WAL mode with
 * `synchronous=FULL`, so a committed event survives a crash of the process or the machine.
 * Several processes may append to the same file (CLI runs, the server): each append is a
 * `BEGIN IMMEDIATE` transaction that reads the head and writes the next sequence number, so
 * writers queue on SQLite's lock and the chain stays linear.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../core/errors.js';
import { canonicalJson, sha256Hex } from './canonical.js';
import { GENESIS_HASH, hashInput, type StoredEvent } from './events.js';
import type { AfterAppend, AppendInput, AuditStore } from './store.js';

/** A better-sqlite3 database handle (shared with the approvals queue). */
export type SqliteDatabase = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_events (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  ts TEXT NOT NULL,
  type TEXT NOT NULL,
  tenant TEXT,
  session TEXT,
  requester TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_events_session ON audit_events(session);
CREATE INDEX IF NOT EXISTS audit_events_tenant ON audit_events(tenant);
CREATE TABLE IF NOT EXISTS airlock_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO airlock_meta(key, value) VALUES ('schema', '1');
`;

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond time, then random bits. Time-ordered ids keep the
 * unique index's inserts at its right edge (one page per commit) and sort like the events.
 *
 * @example
 * uuidv7() // '019ac3f2-5e1b-7a4c-9d2e-…'
 */
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const COLUMNS = 'seq, id, ts, type, tenant, session, requester, payload, prev_hash AS prevHash, hash';

/**
 * Creates a directory and its missing parents (mode 700), one level at a time: Node's
 * `mkdirSync(..., { recursive: true })` can spin forever on some pseudo file systems (/proc).
 */
function ensureDir(dir: string): void {
  if (existsSync(dir)) return;
  const parent = path.dirname(dir);
  if (parent !== dir) ensureDir(parent);
  mkdirSync(dir, { mode: 0o700 });
}

/** Options for `openSqliteStore`. */
export interface SqliteStoreOptions {
  /** Open without creating or writing (verify, tail, export). */
  readonly?: boolean;
  /** How long a writer waits for another process's transaction, in ms (default 10 s). */
  busyTimeoutMs?: number;
}

/** A SQLite audit store, exposing its database for the approvals queue. */
export interface SqliteAuditStore extends AuditStore {
  readonly database: SqliteDatabase;
  readonly path: string;
}

/**
 * Opens (creating when needed) the SQLite audit store at `file`.
 *
 * @example
 * const store = openSqliteStore('.airlock/audit.db');
 */
export function openSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteAuditStore {
  const resolved = path.resolve(file);
  let db: SqliteDatabase;
  try {
    if (!options.readonly) ensureDir(path.dirname(resolved));
    db = new Database(resolved, { readonly: Boolean(options.readonly), fileMustExist: Boolean(options.readonly) });
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(SCHEMA);
    }
  } catch (error) {
    throw new ConfigError(`audit.store: cannot open the audit database ${resolved}: ${(error as Error).message}. Check the path (policy audit.store or --db) and its permissions.`, { cause: error });
  }

  const headStmt = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const insert = options.readonly
    ? null
    : db.prepare('INSERT INTO audit_events (seq, id, ts, type, tenant, session, requester, payload, prev_hash, hash) VALUES (@seq, @id, @ts, @type, @tenant, @session, @requester, @payload, @prevHash, @hash)');
  const readStmt = db.prepare(`SELECT ${COLUMNS} FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?`);
  const iterStmt = db.prepare(`SELECT ${COLUMNS} FROM audit_events WHERE seq > ? ORDER BY seq`);
  const lastStmt = db.prepare(`SELECT ${COLUMNS} FROM (SELECT * FROM audit_events ORDER BY seq DESC LIMIT ?) ORDER BY seq`);
  const getStmt = db.prepare(`SELECT ${COLUMNS} FROM audit_events WHERE id = ?`);
  const countStmt = db.prepare('SELECT count(*) AS n FROM audit_events');

  const head = (): { seq: number; hash: string } | null => (headStmt.get() as { seq: number; hash: string } | undefined) ?? null;

  const writeOne = (input: AppendInput): StoredEvent => {
    const top = head();
    const base = {
      seq: (top?.seq ?? 0) + 1,
      id: uuidv7(),
      ts: new Date().toISOString(),
      type: input.type,
      tenant: input.requester.tenant ?? null,
      session: input.requester.session ?? null,
      requester: canonicalJson(input.requester),
      payload: canonicalJson(input.payload),
      prevHash: top?.hash ?? GENESIS_HASH,
    };
    const event: StoredEvent = { ...base, hash: sha256Hex(hashInput(base)) };
    insert!.run(event);
    return event;
  };

  const appendTx = db.transaction((inputs: readonly AppendInput[], after?: AfterAppend): StoredEvent[] => inputs.map((input) => {
    const event = writeOne(input);
    const extra = after?.(event);
    if (extra) writeOne(extra);
    return event;
  }));
  const readonlyError = (): ConfigError => new ConfigError(`audit store ${resolved} was opened read-only; cannot append.`);

  return {
    database: db,
    path: resolved,
    append(input, after) {
      if (!insert) throw readonlyError();
      return appendTx.immediate([input], after)[0]!;
    },
    appendMany(inputs, after) {
      if (!insert) throw readonlyError();
      return appendTx.immediate(inputs, after);
    },
    head,
    *iterate(afterSeq = 0) {
      yield* iterStmt.iterate(afterSeq) as IterableIterator<StoredEvent>;
    },
    read({ afterSeq = 0, limit = 1000 } = {}) {
      return readStmt.all(afterSeq, limit) as StoredEvent[];
    },
    last(n) {
      return lastStmt.all(n) as StoredEvent[];
    },
    get(id) {
      return (getStmt.get(id) as StoredEvent | undefined) ?? null;
    },
    count() {
      return (countStmt.get() as { n: number }).n;
    },
    close() {
      if (db.open) db.close();
    },
  };
}
