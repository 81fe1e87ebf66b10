/**
 * @module verify/types
 * The shapes of output verification: detector rules, raw matches, the verify section of the
 * policy, and the results the pipeline receives.
 */
import type { Finding, Severity } from '../core/contracts.js';
import type { Policy } from '../policy/schema.js';

/** The verify section of a resolved policy. */
export type VerifyPolicy = Policy['verify'];

/** What the policy does with a finding of one kind. */
export type OutputAction = VerifyPolicy['secrets'];

/** The detector families; each maps to a policy field and a finding category. */
export type DetectorKind = 'secret' | 'pii' | 'canary';

/**
 * One detector. `pattern` must carry the `g` flag. When `keywords` is non-empty the pattern only
 * runs on lines whose lower-cased text contains one of them (a cheap prefilter).
 *
 * @example
 * const rule: DetectorRule = { id: 'secrets.npm-token', kind: 'secret', severity: 'high',
 *   message: 'npm access token', keywords: ['npm_'], pattern: /\bnpm_[A-Za-z0-9]{36}\b/g };
 */
export interface DetectorRule {
  /** Stable id, `secrets.<name>`, `pii.<name>`, `canary.<name>` or a policy pattern's id. */
  id: string;
  kind: DetectorKind;
  severity: Severity;
  /** What was found, as a sentence fragment: `AWS access key id`. */
  message: string;
  remediation?: string;
  /** Lower-case literals of which one must appear on the line; empty = scan everywhere. */
  keywords: string[];
  /**
   * A cheap test at one occurrence of a keyword (`text.slice(at, end)`): the rule's pattern runs
   * on a line only when one of its keyword occurrences there passes. It must be a necessary
   * condition, true wherever a match of the pattern could contain that occurrence, so that it
   * only saves work and never changes a finding (tests compare the rule with and without it).
   */
  keywordCheck?: (text: string, at: number, end: number) => boolean;
  /**
   * For a rule without keywords: every match holds a run of at least this many token characters
   * (`[A-Za-z0-9_-]`), so the rule runs only on the lines that hold one (long vendor tokens
   * without a literal prefix). Without it, a rule without keywords runs on the whole text.
   */
  minRun?: number;
  pattern: RegExp;
  /**
   * A matcher used instead of `pattern` (policy patterns run on RE2): every match's offset in
   * `text` and its text.
   */
  find?: (text: string) => Array<{ index: number; value: string }>;
  /** The capture group that holds the sensitive value (default: the whole match). */
  group?: number;
  /**
   * Judges a candidate: returns a confidence in 0..1 (0 rejects it). `context` is up to 64
   * characters before the match (as written; compare case-insensitively); `match` the whole match.
   */
  validate?: (value: string, context: string, match: string) => number;
  /** A low-specificity rule (assignments, URLs, headers): documentation fakes are dropped. */
  generic?: boolean;
  /**
   * A numeric rule (cards, SSN, phones, national ids, IPv4, IBAN): runs only around digit runs
   * found by one shared candidate pass, and reports only matches that take digits of the run it
   * was run for (the text around a run is context); `keywords` are ignored.
   */
  numeric?: boolean;
  /** For numeric rules: the digit counts of a candidate run this rule can match (inclusive). */
  digits?: [number, number];
  /**
   * For numeric rules: on a bare digit run (digits only, no `+` before it), any match is the whole
   * run (the pattern cannot start or end next to a digit, and its value is the whole match). The
   * engine then asks `validate` about the digits first and skips the pattern where they are
   * rejected (a failed checksum, no context word); findings are the same.
   */
  wholeDigits?: boolean;
  /** Matches may span lines (private key blocks). */
  multiline?: boolean;
  /**
   * A cheap test (not global) that every text holding a match passes: a necessary condition
   * derived from the pattern, such as the assignment characters it cannot match without. A gated
   * line range that fails it is skipped before `pattern` runs; findings are the same.
   */
  requires?: RegExp;
}

/** A located, unmasked match. Internal to verification: never leaves it unmasked. */
export interface RawMatch {
  rule: DetectorRule;
  /** Offsets of the sensitive value in the scanned text. */
  start: number;
  end: number;
  value: string;
  confidence: number;
}

/** A changed file's content to scan, path relative to the workspace. */
export interface FileContent {
  path: string;
  content: string;
}

/** Input of `verifyOutput`. */
export interface VerifyInput {
  stdout: string;
  stderr: string;
  /** Created or modified files (text) to scan; their findings carry `location.source = path`. */
  files?: FileContent[];
  /** The policy (only `verify` is read). */
  policy: { verify: VerifyPolicy };
  /** The canaries planted for this run, if any. */
  canaries?: { tokens: string[] };
}

/** Output of `verifyOutput`: what the agent may see, and why. */
export interface VerifyResult {
  /** Stdout as the agent may see it: redacted, or empty when blocked. */
  stdout: string;
  stderr: string;
  /** Files with redactions applied (same order as the input); empty contents when blocked. */
  files: FileContent[];
  findings: Finding[];
  /** True when the policy withholds the output. */
  blocked: boolean;
  /** Why output was withheld or rewritten, one sentence per cause. */
  reasons: string[];
  /** True when any text was rewritten or withheld. */
  redacted: boolean;
}
