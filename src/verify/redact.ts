/**
 * @module verify/redact
 * Turns raw matches into findings (masked text only) and applies the policy's action per kind:
 * `redact` replaces the match with `[REDACTED:<rule id>]`, `block` withholds the output,
 * `report` only records.
 */
import type { Finding } from '../core/contracts.js';
import { maskSecret } from '../core/mask.js';
import { locate } from './engine.js';
import type { DetectorKind, OutputAction, RawMatch, VerifyPolicy } from './types.js';

/** The policy action for a detector kind. */
export function actionFor(kind: DetectorKind, policy: VerifyPolicy): OutputAction {
  return kind === 'secret' ? policy.secrets : kind === 'pii' ? policy.pii : policy.canary;
}

/** The label that replaces a redacted match. */
export function redactionLabel(ruleId: string): string {
  return `[REDACTED:${ruleId}]`;
}

/**
 * Findings for matches in `text` (sorted by offset), with line/column relative to the text's
 * start (or `startLine`/`startColumn` for a stream piece) and `source`.
 *
 * @example
 * toFindings('x AKIA…', matches, 'stdout')[0].location // { line: 1, column: 3, source: 'stdout' }
 */
export function toFindings(text: string, matches: readonly RawMatch[], source: string, startLine = 1, startColumn = 1): Finding[] {
  const where = locate(text, matches.map((m) => m.start), startLine, startColumn);
  return matches.map((m, i) => {
    const finding: Finding = {
      rule: m.rule.id,
      severity: m.rule.severity,
      category: m.rule.kind,
      message: `${m.rule.message} in ${source}`,
      location: { ...where[i]!, source },
      match: maskSecret(m.value),
    };
    if (m.rule.remediation) finding.remediation = m.rule.remediation;
    if (m.rule.kind !== 'secret' || m.confidence < 1) finding.confidence = Math.round(m.confidence * 100) / 100;
    return finding;
  });
}

/**
 * Replaces every match whose kind the policy redacts with its label.
 *
 * @example
 * redactText('k=AKIA…', matches, policy) // 'k=[REDACTED:secrets.aws-access-key]'
 */
export function redactText(text: string, matches: readonly RawMatch[], policy: VerifyPolicy): { text: string; changed: boolean; count: number } {
  let out = '';
  let at = 0;
  let changed = false;
  let count = 0;
  for (const m of matches) {
    if (actionFor(m.rule.kind, policy) !== 'redact' || m.start < at) continue;
    out += text.slice(at, m.start) + redactionLabel(m.rule.id);
    at = m.end;
    changed = true;
    count++;
  }
  return { text: changed ? out + text.slice(at) : text, changed, count };
}

/** Why a source is withheld, or null when no blocking match is in it. */
export function blockReason(matches: readonly RawMatch[], policy: VerifyPolicy, source: string): string | null {
  const blocking = [...new Set(matches.filter((m) => actionFor(m.rule.kind, policy) === 'block').map((m) => m.rule.id))];
  if (!blocking.length) return null;
  const kinds = [...new Set(matches.filter((m) => actionFor(m.rule.kind, policy) === 'block').map((m) => m.rule.kind))];
  const fields = kinds.map((k) => `verify.${k === 'secret' ? 'secrets' : k}: block`).join(', ');
  return `${source} withheld: it contains ${blocking.join(', ')} (${fields}).`;
}
