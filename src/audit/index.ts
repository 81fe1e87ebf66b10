/**
 * @module audit
 * The tamper-evident audit log: events in SQLite chained by SHA-256 over canonical JSON, signed
 * Ed25519 checkpoints, verification that names the first bad event, and export. See docs/audit.md.
 */
export { openAuditLog, openPolicyAuditLog, type AuditLog, type AuditLogOptions } from './log.js';
export { AUDIT_EVENT_TYPES, GENESIS_HASH, hashInput, parseEvent, type AuditEvent, type AuditEventType, type StoredEvent } from './events.js';
export type { AuditStore, AppendInput } from './store.js';
export { openSqliteStore, type SqliteAuditStore, type SqliteStoreOptions } from './sqlite-store.js';
export { verifyChain, type ChainProblem, type VerifyOptions, type VerifyResult } from './verify.js';
export { generateSigningKey, keyIdOf, loadSigner, loadVerifyKey, type CheckpointSigner } from './signing.js';
export { maskText, sanitizeForAudit } from './sanitize.js';
export { canonicalJson, sha256Hex } from './canonical.js';
export { toJsonLine, toOtelLogs } from './export.js';
export { recordDecision, recordError, recordPolicy, recordRequest, recordRunEnd, recordRunStart } from './record.js';
