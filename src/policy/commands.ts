/**
 * @module policy/commands
 * Matching of the policy's `commands:` rules against parsed invocations (program + arguments found
 * by the inspector), never against raw text, so chaining, wrappers, quoting tricks and `$(…)` do not
 * hide a program from a rule. The program is matched by basename; `*` matches exactly one argument.
 *
 * Options in a rule (`-f`, `--force`) match wherever they appear among the arguments and inside
 * combined short flags (`-rf` holds `-f`). Plain words match in order. For `deny` and `ask` rules
 * the plain words may have other words between them (stricter: `git -C dir push` still matches
 * `git push`); `allow` rules need the words as the leading arguments, exactly.
 */
import type { CommandInvocation } from '../core/contracts.js';
import type { Issue } from '../core/errors.js';
import type { CommandRule, Policy } from './schema.js';

/** One rule that matched one invocation. */
export interface CommandRuleMatch {
  /** The rule's `id`, or `commands[N]`. */
  id: string;
  index: number;
  rule: CommandRule;
  invocation: CommandInvocation;
}

/**
 * Splits a rule's `match` string into words, honouring simple quotes.
 *
 * @example
 * ruleWords('git commit -m "a b"') // ['git', 'commit', '-m', 'a b']
 */
export function ruleWords(match: string | string[]): string[] {
  if (Array.isArray(match)) return match;
  const words: string[] = [];
  for (const m of match.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

function hasOption(args: string[], option: string): boolean {
  if (args.includes(option)) return true;
  if (option.startsWith('--')) return args.some((a) => a.startsWith(`${option}=`));
  if (/^-[A-Za-z0-9]$/.test(option)) return args.some((a) => /^-[A-Za-z0-9]{2,}$/.test(a) && a.includes(option[1]!));
  return false;
}

/**
 * True when rule words (`['git', 'push', '--force']`) match an invocation.
 *
 * @example
 * matchesWords(['rm', '-f'], { program: 'rm', args: ['-rf', 'x'], via: [] }, 'deny') // true
 */
export function matchesWords(words: string[], inv: CommandInvocation, verdict: 'allow' | 'ask' | 'deny'): boolean {
  const [program, ...rest] = words;
  if (!program || (program !== '*' && basename(program) !== inv.program)) return false;
  const options = rest.filter((w) => w.startsWith('-') && w.length > 1);
  const plain = rest.filter((w) => !(w.startsWith('-') && w.length > 1));
  if (!options.every((o) => hasOption(inv.args, o))) return false;
  const positional = inv.args.filter((a) => !(a.startsWith('-') && a.length > 1));
  if (verdict === 'allow') {
    return plain.every((w, i) => positional[i] !== undefined && (w === '*' || w === positional[i]));
  }
  let at = 0;
  for (const w of plain) {
    while (at < positional.length && !(w === '*' || w === positional[at])) at++;
    if (at >= positional.length) return false;
    at++;
  }
  return true;
}

/**
 * Every (rule, invocation) pair that matches.
 *
 * @example
 * matchCommandRules(programs, policy.commands).map((m) => m.id) // ['no-force-push']
 */
export function matchCommandRules(invocations: CommandInvocation[], rules: CommandRule[]): CommandRuleMatch[] {
  const out: CommandRuleMatch[] = [];
  rules.forEach((rule, index) => {
    const words = ruleWords(rule.match);
    for (const invocation of invocations) {
      if (matchesWords(words, invocation, rule.verdict)) out.push({ id: rule.id ?? `commands[${index}]`, index, rule, invocation });
    }
  });
  return out;
}

/**
 * Checks each rule's `examples.match` / `examples.notMatch` by parsing the examples as shell and
 * matching them like real commands. Called by `airlock policy check`.
 *
 * @example
 * const issues = await checkCommandRuleExamples(policy); // [] when every example behaves
 */
export async function checkCommandRuleExamples(policy: Policy): Promise<Issue[]> {
  const { inspectCode } = await import('../inspect/engine.js');
  const issues: Issue[] = [];
  for (const [index, rule] of policy.commands.entries()) {
    if (!rule.examples) continue;
    const words = ruleWords(rule.match);
    const check = async (example: string, want: boolean, field: string, n: number): Promise<void> => {
      const { invocations } = await inspectCode('shell', example);
      const got = invocations.some((inv) => matchesWords(words, inv, rule.verdict));
      if (got !== want) {
        issues.push({
          path: `commands[${index}].examples.${field}[${n}]`,
          message: want
            ? `"${example}" should match ${JSON.stringify(rule.match)} but does not (programs found: ${invocations.map((i) => [i.program, ...i.args].join(' ')).join('; ') || 'none'}); fix the rule's match or the example`
            : `"${example}" should not match ${JSON.stringify(rule.match)} but does; narrow the rule or fix the example`,
        });
      }
    };
    for (const [n, ex] of rule.examples.match.entries()) await check(ex, true, 'match', n);
    for (const [n, ex] of rule.examples.notMatch.entries()) await check(ex, false, 'notMatch', n);
  }
  return issues;
}
