/**
 * @module verify/sarif
 * SARIF 2.1.0 output for `airlock scan --sarif`, written by hand (no @types/sarif): one run, the
 * tool `airlock` with one reportingDescriptor per rule id seen, one result per finding.
 */
import type { Finding, Severity } from '../core/contracts.js';

/** The SARIF schema URI this output follows. */
export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The subset of the SARIF 2.1.0 log we write. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<{
    tool: { driver: { name: string; informationUri: string; version: string; rules: SarifRule[] } };
    results: SarifResult[];
    columnKind: 'utf16CodeUnits';
  }>;
}
/** A reportingDescriptor. */
export interface SarifRule {
  id: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: SarifLevel };
  properties: { category: string; 'security-severity': string };
}
/** A result. */
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations?: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }>;
  properties?: { match?: string; confidence?: number; severity: Severity };
}
type SarifLevel = 'error' | 'warning' | 'note';

const LEVEL: Record<Severity, SarifLevel> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
const SCORE: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

/** Percent-encodes a file name as a relative URI reference (keeps `/`). */
function toUri(source: string): string {
  return source.split('/').map(encodeURIComponent).join('/');
}

/**
 * Builds a SARIF 2.1.0 log from findings.
 *
 * @example
 * JSON.stringify(toSarif(findings, '0.1.0'))
 */
export function toSarif(findings: readonly Finding[], version = '0.0.0'): SarifLog {
  const rules: SarifRule[] = [];
  const index = new Map<string, number>();
  const results: SarifResult[] = findings.map((f) => {
    let i = index.get(f.rule);
    if (i === undefined) {
      i = rules.length;
      index.set(f.rule, i);
      rules.push({
        id: f.rule,
        shortDescription: { text: f.message.replace(/ in [^ ]+$/, '') },
        defaultConfiguration: { level: LEVEL[f.severity] },
        properties: { category: f.category, 'security-severity': SCORE[f.severity] },
      });
    }
    const result: SarifResult = { ruleId: f.rule, ruleIndex: i, level: LEVEL[f.severity], message: { text: f.remediation ? `${f.message}. ${f.remediation}` : f.message } };
    if (f.location) {
      result.locations = [{ physicalLocation: {
        artifactLocation: { uri: toUri(f.location.source ?? 'stdin') },
        region: { startLine: f.location.line, startColumn: f.location.column },
      } }];
    }
    result.properties = { severity: f.severity, ...(f.match ? { match: f.match } : {}), ...(f.confidence !== undefined ? { confidence: f.confidence } : {}) };
    return result;
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'airlock', informationUri: 'https://github.com/airlock/airlock', version, rules } }, results, columnKind: 'utf16CodeUnits' }],
  };
}
