/**
 * @module verify/rules
 * The rule set for one policy and run: built-in secret and PII rules, the policy's own patterns
 * (RE2) and the run's canary tokens.
 */
import { canaryRule } from './canary/canary.js';
import { compilePatterns } from './patterns.js';
import { PII_RULES } from './pii/rules.js';
import { SECRET_RULES } from './secrets/rules.js';
import type { DetectorRule, VerifyPolicy } from './types.js';

export { SECRET_RULES } from './secrets/rules.js';
export { PII_RULES } from './pii/rules.js';

const patternCache = new WeakMap<object, DetectorRule[]>();

/**
 * Every rule that applies: canaries first, then built-ins, then the policy's patterns.
 *
 * @example
 * buildRules(policy.verify, canaries.tokens).length > 40 // true
 */
export function buildRules(policy: VerifyPolicy, canaryTokens: readonly string[] = []): DetectorRule[] {
  let custom = patternCache.get(policy.patterns);
  if (!custom) {
    custom = compilePatterns(policy.patterns);
    patternCache.set(policy.patterns, custom);
  }
  const canary = canaryRule(canaryTokens);
  return [...(canary ? [canary] : []), ...SECRET_RULES, ...PII_RULES, ...custom];
}

/** Every built-in rule id with its description, for `--help`, docs and SARIF. */
export function describeBuiltinRules(): Array<{ id: string; kind: string; severity: string; message: string }> {
  const rules = [...SECRET_RULES, ...PII_RULES, canaryRule(['placeholder-token'])!];
  return rules.map((r) => ({ id: r.id, kind: r.kind, severity: r.severity, message: r.message }));
}
