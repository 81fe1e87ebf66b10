/**
 * @module audit/export
 * Export formats: JSONL (one event per line, exactly as stored, hashes included, so an export
 * can be verified elsewhere) and OpenTelemetry-friendly JSON (one OTLP log record per event,
 * the shape `resourceLogs[].scopeLogs[].logRecords[]` of OTLP/JSON).
 */
import type { AuditEvent } from './events.js';

/**
 * One JSONL line for an event.
 *
 * @example
 * for (const e of log.tail(10)) process.stdout.write(toJsonLine(e));
 */
export function toJsonLine(e: AuditEvent): string {
  return `${JSON.stringify(e)}\n`;
}

type OtelValue = { stringValue: string } | { intValue: string } | { boolValue: boolean } | { doubleValue: number };

const otelValue = (v: unknown): OtelValue => {
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  return { stringValue: typeof v === 'string' ? v : JSON.stringify(v) };
};

/** The severity an event is logged at: denials and failures stand out. */
function severityOf(e: AuditEvent): { severityNumber: number; severityText: string } {
  const verdict = e.payload.verdict;
  if (e.type === 'error') return { severityNumber: 17, severityText: 'ERROR' };
  if (verdict === 'deny' || e.type === 'approval.expired' || (e.type === 'network.attempt' && e.payload.allowed === false)) return { severityNumber: 13, severityText: 'WARN' };
  return { severityNumber: 9, severityText: 'INFO' };
}

/**
 * Converts events into one OTLP/JSON logs document.
 *
 * @example
 * writeFileSync('audit.otel.json', JSON.stringify(toOtelLogs(events)));
 */
export function toOtelLogs(events: Iterable<AuditEvent>): unknown {
  const logRecords = [];
  for (const e of events) {
    const attributes = [
      ['airlock.event.type', e.type], ['airlock.event.seq', e.seq], ['airlock.event.id', e.id],
      ['airlock.event.hash', e.hash], ['airlock.event.prev_hash', e.prevHash],
      ...(e.tenant ? [['airlock.tenant', e.tenant]] : []), ...(e.session ? [['session.id', e.session]] : []),
      ...Object.entries(e.requester).map(([k, v]) => [`airlock.requester.${k}`, v]),
      ...Object.entries(e.payload).map(([k, v]) => [`airlock.${k}`, v]),
    ].map(([key, value]) => ({ key: String(key), value: otelValue(value) }));
    const nanos = `${BigInt(Date.parse(e.ts)) * 1_000_000n}`;
    logRecords.push({ timeUnixNano: nanos, observedTimeUnixNano: nanos, ...severityOf(e), body: { stringValue: e.type }, attributes });
  }
  return {
    resourceLogs: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'airlock' } }] },
      scopeLogs: [{ scope: { name: 'airlock.audit' }, logRecords }],
    }],
  };
}
