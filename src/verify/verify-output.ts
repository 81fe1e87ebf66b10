/**
 * @module verify/verify-output
 * The pipeline's entry point: scan stdout, stderr and changed files for secrets, PII and the
 * run's canaries, then redact, withhold or only report per the policy's `verify` section.
 */
import type { Finding } from '../core/contracts.js';
import { scanText } from './engine.js';
import { blockReason, redactText, toFindings } from './redact.js';
import { buildRules } from './rules.js';
import type { DetectorRule, FileContent, VerifyInput, VerifyPolicy, VerifyResult } from './types.js';

/** Findings and redacted text for one named text. */
export interface ScannedText {
  text: string;
  findings: Finding[];
  /** Why this text is withheld, or null. */
  blockReason: string | null;
  redacted: boolean;
  /** How many matches were replaced by labels. */
  redactions: number;
}

/**
 * Scans one text (a stream or a file) with prepared rules and the policy.
 *
 * @example
 * scanSource('token ghp_…', 'stdout', buildRules(policy.verify), policy.verify).findings
 */
export function scanSource(text: string, source: string, rules: readonly DetectorRule[], policy: VerifyPolicy): ScannedText {
  const matches = scanText(text, rules, { piiMinConfidence: policy.piiMinConfidence });
  const findings = toFindings(text, matches, source);
  const { text: redactedText, changed, count } = redactText(text, matches, policy);
  return { text: redactedText, findings, blockReason: blockReason(matches, policy, source), redacted: changed, redactions: count };
}

/**
 * Verifies a run's output. Blocked output comes back empty with the reasons; redacted output
 * carries `[REDACTED:<rule id>]` labels; findings hold masked matches only.
 *
 * @example
 * const v = verifyOutput({ stdout: out, stderr: err, policy, canaries });
 * if (v.blocked) tellAgent(v.reasons.join(' '));
 */
export function verifyOutput(input: VerifyInput): VerifyResult {
  try {
    return verifyUnsafe(input);
  } catch (error) {
    // Fail closed: output that could not be verified is withheld, and the reason says why.
    const reason = `Output withheld: verification failed (${(error as Error)?.message ?? String(error)}).`;
    return {
      stdout: '',
      stderr: '',
      files: (input.files ?? []).map((f) => ({ path: f.path, content: '' })),
      findings: [{ rule: 'verify.failed', severity: 'high', category: 'policy', message: reason,
        remediation: 'Fix the policy (verify.patterns must be valid RE2) or report the bug; output stays withheld until then.' }],
      blocked: true,
      reasons: [reason],
      redacted: true,
    };
  }
}

function verifyUnsafe(input: VerifyInput): VerifyResult {
  const policy = input.policy.verify;
  const rules = buildRules(policy, input.canaries?.tokens ?? []);
  const parts: Array<{ source: string; text: string }> = [
    { source: 'stdout', text: input.stdout },
    { source: 'stderr', text: input.stderr },
    ...(input.files ?? []).map((f: FileContent) => ({ source: f.path, text: f.content })),
  ];
  const scanned = parts.map((p) => scanSource(p.text, p.source, rules, policy));
  const reasons = scanned.flatMap((s) => (s.blockReason ? [s.blockReason] : []));
  const blocked = reasons.length > 0;
  const redacted = blocked || scanned.some((s) => s.redacted);
  scanned.forEach((s, i) => {
    if (s.redacted && !blocked) reasons.push(`${parts[i]!.source}: ${s.redactions} match(es) redacted per policy.`);
  });
  return {
    stdout: blocked ? '' : scanned[0]!.text,
    stderr: blocked ? '' : scanned[1]!.text,
    files: (input.files ?? []).map((f, i) => ({ path: f.path, content: blocked ? '' : scanned[i + 2]!.text })),
    findings: scanned.flatMap((s) => s.findings),
    blocked,
    reasons,
    redacted,
  };
}
