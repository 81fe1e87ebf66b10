/**
 * @module verify/patterns
 * The policy's own patterns (`verify.patterns`), compiled with RE2 (`re2js`: pure JavaScript,
 * linear time, no backreferences or lookaround), so a pattern can never hang the scanner.
 */
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';
import { PolicyError } from '../core/errors.js';
import type { DetectorRule, VerifyPolicy } from './types.js';

/**
 * Compiles `verify.patterns` into detector rules (kind `secret`: the `verify.secrets` action
 * applies). A pattern RE2 cannot compile is a PolicyError naming its index and id.
 *
 * @example
 * const [rule] = compilePatterns([{ id: 'custom.ticket', pattern: 'TICKET-[0-9]{6}', severity: 'high' }]);
 */
export function compilePatterns(patterns: VerifyPolicy['patterns']): DetectorRule[] {
  if (patterns.length === 0) return [];
  // Loaded on first use: most policies have no patterns, and a short CLI call should not pay for
  // compiling the RE2 engine.
  const { RE2JS: Re2 } = createRequire(import.meta.url)('re2js') as typeof import('re2js');
  return patterns.map((p, i) => {
    let re: RE2JS;
    try {
      re = Re2.compile(p.pattern);
    } catch (error) {
      throw new PolicyError(`verify.patterns[${i}] (${p.id}): ${(error as Error).message}. Patterns use RE2 syntax: no backreferences or lookaround.`);
    }
    const find = (text: string): Array<{ index: number; value: string }> => {
      const out: Array<{ index: number; value: string }> = [];
      const m = re.matcher(text);
      while (m.find()) {
        const start = m.start();
        const end = m.end();
        if (end > start) out.push({ index: start, value: text.slice(start, end) });
      }
      return out;
    };
    return { id: p.id, kind: 'secret', severity: p.severity, message: p.message ?? `Match of policy pattern ${p.id}`,
      keywords: [], pattern: /(?!)/g, find } satisfies DetectorRule;
  });
}
