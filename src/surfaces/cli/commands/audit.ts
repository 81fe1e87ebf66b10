/**
 * @module surfaces/cli/commands/audit
 * `airlock audit verify|tail|export|keygen`: check the hash chain and checkpoint signatures
 * (exit 0 intact, 1 tampered), show or follow the latest events, export JSONL or OTLP/JSON, and
 * create a checkpoint signing key.
 */
import { existsSync, writeFileSync, createWriteStream } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { ConfigError } from '../../../core/errors.js';
import { loadPolicy } from '../../../load-policy.js';
import { openSqliteStore, type SqliteAuditStore } from '../../../audit/sqlite-store.js';
import { parseEvent, type AuditEvent } from '../../../audit/events.js';
import { verifyChain } from '../../../audit/verify.js';
import { generateSigningKey, loadVerifyKey } from '../../../audit/signing.js';
import { toJsonLine, toOtelLogs } from '../../../audit/export.js';
import { parseOptions, UsageError, writeJson } from '../shared.js';

const HELP = `Usage:
  airlock audit verify [--db PATH] [--policy F] [--public-key PEM] [--json]
      Walk the hash chain from the first event. Exit 0 when intact, 1 when any event was
      changed, deleted, inserted or reordered (the first bad event is named), 2 on errors.
      Checkpoint signatures are checked with --public-key, or with the policy's audit.signingKey.
  airlock audit tail [-n N] [-f] [--type T] [--json] [--db PATH] [--policy F]
      Show the last N events (default 20); -f keeps following new ones (Ctrl-C to stop).
      --json prints one JSON object per line.
  airlock audit export [--format jsonl|otel] [--out FILE] [--db PATH] [--policy F]
      Write every event: JSONL exactly as stored (hashes included, verifiable elsewhere), or
      one OpenTelemetry OTLP/JSON logs document with --format otel.
  airlock audit keygen FILE
      Write a new Ed25519 private key (PEM, mode 600) for audit.signingKey, and FILE.pub.

The database is --db, else the policy's audit.store (default .airlock/audit.db); the policy
is --policy F, else airlock.policy.yaml found upward. Docs: docs/audit.md.

Examples:
  airlock audit verify --db .airlock/audit.db
  airlock audit tail -f --type decision.made
  airlock audit export --format otel --out audit.otel.json
`;

/** The store and verification key the options point at. */
function openTarget(values: { db?: string | undefined; policy?: string | undefined }): { store: SqliteAuditStore; keyFile: string | undefined; every: number | undefined } {
  let file = values.db;
  let keyFile: string | undefined;
  let every: number | undefined;
  if (!file || values.policy) {
    const { policy } = loadPolicy({ file: values.policy });
    file ??= policy.audit.store;
    keyFile = policy.audit.signingKey;
    every = policy.audit.checkpointEvery;
  }
  if (!existsSync(file)) throw new ConfigError(`no audit database at ${file}. Pass --db PATH, or run something first so the log exists.`);
  return { store: openSqliteStore(file, { readonly: true }), keyFile, every };
}

function formatEvent(e: AuditEvent): string {
  const who = [e.requester.agent, e.requester.session && `session ${e.requester.session}`, e.requester.user].filter(Boolean).join(', ');
  const p = e.payload;
  const detail = e.type === 'audit.checkpoint' ? `checkpoint of #${String(p.upTo)} signed by key ${String(p.keyId)}`
    : typeof p.summary === 'string' ? p.summary
    : typeof p.verdict === 'string' ? `${p.verdict}${Array.isArray(p.reasons) && p.reasons.length ? `: ${p.reasons.join('; ')}` : ''}`
    : typeof p.answer === 'string' ? `${p.answer} by ${String(p.by)}`
    : typeof p.host === 'string' ? `${p.host}:${String(p.port)} ${p.allowed ? 'allowed' : 'refused'}`
    : JSON.stringify(p).slice(0, 160);
  return `#${e.seq} ${e.ts} ${e.type.padEnd(18)} ${who ? `[${who}] ` : ''}${detail}\n`;
}

/** Entry point of `airlock audit`. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('audit', argv, {
    db: { type: 'string' },
    policy: { type: 'string' },
    'public-key': { type: 'string' },
    json: { type: 'boolean' },
    follow: { type: 'boolean', short: 'f' },
    lines: { type: 'string', short: 'n' },
    type: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string', short: 'o' },
    help: { type: 'boolean', short: 'h' },
  });
  const [sub, arg] = positionals;
  if (values.help || sub === undefined) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }

  if (sub === 'keygen') {
    if (!arg) throw new UsageError('audit', 'keygen needs a FILE to write the private key to.');
    if (existsSync(arg)) throw new UsageError('audit', `${arg} already exists; refusing to overwrite a signing key.`);
    const { privateKeyPem, publicKeyPem } = generateSigningKey();
    writeFileSync(arg, privateKeyPem, { mode: 0o600 });
    writeFileSync(`${arg}.pub`, publicKeyPem);
    process.stderr.write(`wrote ${arg} (private, keep it outside the workspace) and ${arg}.pub (give it to auditors).\nSet audit.signingKey: ${arg} in the policy.\n`);
    return 0;
  }

  if (sub === 'verify') {
    const { store, keyFile, every } = openTarget(values);
    try {
      const keyPath = values['public-key'] ?? keyFile;
      const publicKey: KeyObject | undefined = keyPath ? loadVerifyKey(keyPath) : undefined;
      const result = verifyChain(store.iterate(), {
        ...(publicKey ? { publicKey } : {}),
        ...(publicKey && every && !values['public-key'] ? { requireCheckpointEvery: every } : {}),
      });
      if (values.json) {
        writeJson({ intact: result.ok, db: store.path, ...result });
      } else if (result.ok) {
        const cps = result.checkpoints;
        process.stdout.write(`intact: ${result.events} events, head #${result.head?.seq ?? 0} ${result.head?.hash.slice(0, 16) ?? ''}\n` +
          `checkpoints: ${cps.total} (${cps.verified} signatures verified${cps.unchecked ? `, ${cps.unchecked} not checked: pass --public-key` : ''})` +
          `${publicKey ? `; ${result.unanchored} event(s) after the last signed checkpoint` : ''}\n`);
      } else {
        const bad = result.firstBad!;
        process.stdout.write(`TAMPERED: ${bad.message}\nfirst bad event: #${bad.seq} id ${bad.id} (${bad.type}), problem: ${bad.problem}\n` +
          `the ${result.events - 1} event(s) before it verify${result.head ? ` (up to #${result.head.seq})` : ''}.\n`);
      }
      return result.ok ? 0 : 1;
    } finally {
      store.close();
    }
  }

  if (sub === 'tail') {
    const n = values.lines === undefined ? 20 : Number(values.lines);
    if (!Number.isInteger(n) || n < 0) throw new UsageError('audit', `-n expects a whole number of events, got "${values.lines}".`);
    const { store } = openTarget(values);
    const show = (e: AuditEvent): void => {
      if (values.type && e.type !== values.type && !e.type.startsWith(`${values.type}.`)) return;
      process.stdout.write(values.json ? toJsonLine(e) : formatEvent(e));
    };
    // Everything up to the head is "the last N"; following starts right after it.
    let last = store.head()?.seq ?? 0;
    const upTo = last;
    for (const e of store.last(n).map(parseEvent)) if (e.seq <= upTo) show(e);
    if (!values.follow) { store.close(); return 0; }
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (const e of store.read({ afterSeq: last, limit: 1000 }).map(parseEvent)) { show(e); last = e.seq; }
      }, 250);
      const stop = (): void => { clearInterval(timer); store.close(); resolve(); };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      process.stdout.once('error', stop);
    });
    return 0;
  }

  if (sub === 'export') {
    const format = values.format ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'otel') throw new UsageError('audit', `--format expects jsonl or otel, got "${format}".`);
    const { store } = openTarget(values);
    try {
      const out: NodeJS.WritableStream = values.out ? createWriteStream(values.out) : process.stdout;
      let count = 0;
      if (format === 'otel') {
        const events = [...store.iterate()].map(parseEvent);
        count = events.length;
        out.write(`${JSON.stringify(toOtelLogs(events))}\n`);
      } else {
        for (const stored of store.iterate()) {
          const ok = out.write(toJsonLine(parseEvent(stored)));
          count++;
          if (!ok) await new Promise<void>((resolve) => { out.once('drain', () => resolve()); });
        }
      }
      if (values.out) {
        const file = out as ReturnType<typeof createWriteStream>;
        await new Promise<void>((resolve, reject) => { file.once('error', reject); file.end(() => resolve()); });
      }
      if (values.out) process.stderr.write(`wrote ${count} events to ${values.out}\n`);
      return 0;
    } finally {
      store.close();
    }
  }
  throw new UsageError('audit', `unknown subcommand "${sub}"; expected verify, tail, export or keygen.`);
}
