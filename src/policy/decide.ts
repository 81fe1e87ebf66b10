/**
 * @module policy/decide
 * Turns what inspection found into a `Decision`: findings against the policy's thresholds
 * (`inspect.deny`, `inspect.ask`), matches of `commands:` rules, and programs nobody knows when
 * `inspect.unknownPrograms: ask`. The strictest answer wins and every contribution leaves a reason
 * naming its rule id. Parse errors and oversized input are always at least `ask`.
 */
import type { CommandInvocation, Decision, Finding, Severity, Verdict } from '../core/contracts.js';
import { compareSeverity, strictest } from '../core/contracts.js';
import { matchCommandRules } from './commands.js';
import type { Policy } from './schema.js';

/** What the inspector produced for one action. */
export interface DecideInput {
  findings: Finding[];
  invocations: CommandInvocation[];
  /** Programs the built-in rules consider ordinary (for `inspect.unknownPrograms`). */
  knownPrograms?: ReadonlySet<string>;
}

function reaches(severity: Severity, threshold: Severity | 'never'): boolean {
  return threshold !== 'never' && compareSeverity(severity, threshold) >= 0;
}

/**
 * Decides allow/ask/deny for one action.
 *
 * @example
 * decide({ findings: [], invocations: [{ program: 'git', args: ['push'], via: [] }] }, policy)
 * // { verdict: 'ask', reasons: ['commands rule "push": …'], ruleIds: ['push'], findings: [] }
 */
export function decide(input: DecideInput, policy: Policy): Decision {
  const verdicts: Verdict[] = [];
  const reasons: string[] = [];
  const ruleIds: string[] = [];
  const add = (verdict: Verdict, reason: string, id: string): void => {
    verdicts.push(verdict);
    reasons.push(reason);
    if (!ruleIds.includes(id)) ruleIds.push(id);
  };
  for (const f of input.findings) {
    if (reaches(f.severity, policy.inspect.deny)) add('deny', `${f.rule} (${f.severity}): ${f.message} [inspect.deny: ${policy.inspect.deny}]`, f.rule);
    else if (reaches(f.severity, policy.inspect.ask)) add('ask', `${f.rule} (${f.severity}): ${f.message} [inspect.ask: ${policy.inspect.ask}]`, f.rule);
    else if (f.category === 'parse-error') add('ask', `${f.rule}: ${f.message} (incomplete inspection is never allowed)`, f.rule);
  }
  const matches = matchCommandRules(input.invocations, policy.commands);
  for (const m of matches) {
    const shown = [m.invocation.program, ...m.invocation.args].join(' ');
    add(m.rule.verdict, `commands rule "${m.id}" (${m.rule.verdict}) matches \`${shown}\`${m.rule.reason ? `: ${m.rule.reason}` : ''}`, m.id);
  }
  if (policy.inspect.unknownPrograms === 'ask' && input.knownPrograms) {
    const covered = new Set(matches.map((m) => m.invocation));
    for (const inv of input.invocations) {
      if (inv.program === '=' || covered.has(inv) || input.knownPrograms.has(inv.program)) continue;
      add('ask', `program "${inv.program}" is not known to any rule [inspect.unknownPrograms: ask]`, 'inspect.unknown-program');
    }
  }
  return { verdict: strictest(verdicts), findings: input.findings, reasons: [...new Set(reasons)], ruleIds };
}
