/**
 * @module inspect/code-common
 * Helpers the Python and JavaScript analyzers share: literal-string reading, a per-snippet table of
 * variables assigned literal or built strings, and URL/host checks.
 */
import type { Node } from 'web-tree-sitter';
import { finding, type RuleId } from './rules.js';
import type { Analysis, Engine, NestedContext } from './types.js';

// Quotes argv elements so a literal list can be analysed as one shell command.
export { shellQuote } from '../core/shell-quote.js';

/** What is known about an expression's value. */
export type Value = { literal: true; text: string } | { literal: false; text: string; built: boolean };

/**
 * The value of a name assigned again (`cmd = "ls"`, then `cmd = "rm -rf ~"` in a branch): either may
 * be the one used, so two literals become both, one per line (a command analysed as shell or code
 * is then judged on both), and anything else makes the name built at run time.
 *
 * @example
 * reassigned({ literal: true, text: 'ls' }, { literal: true, text: 'rm -rf ~' }, 'cmd').text // 'ls\nrm -rf ~'
 */
export function reassigned(before: Value | undefined, value: Value, name: string): Value {
  if (before === undefined) return value;
  if (before.literal && value.literal) return { literal: true, text: before.text === value.text ? value.text : `${before.text}\n${value.text}` };
  return { literal: false, text: name, built: true };
}

/**
 * True when a URL's host is the machine itself (localhost, 127.x, [::1]).
 *
 * @example
 * isLoopbackUrl('http://127.0.0.1:8080/x') // true
 */
export function isLoopbackUrl(url: string): boolean {
  const m = /^[a-z]+:\/\/(\[[^\]]+\]|[^/:?#]+)/i.exec(url);
  if (!m) return false;
  const host = m[1]!.toLowerCase();
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host) || host === '0.0.0.0';
}

/**
 * First error or missing node of a tree, for a parse-error location.
 *
 * @example
 * firstError(parser.parse('echo "x')!.rootNode)?.startPosition // { row: 0, column: 5 }
 */
export function firstError(root: Node): Node | undefined {
  if (!root.hasError) return undefined;
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack.shift()!;
    if (n.isError || n.isMissing) return n;
    for (const c of n.children) if (c && (c.hasError || c.isMissing || c.isError)) stack.push(c);
  }
  return root;
}

/** What every code analyzer starts with: the tree, positions, and a way to report. */
export interface CodeAnalysisStart {
  out: Analysis;
  root: Node;
  /** The parse tree; the caller frees it (`tree.delete()`) when done: it lives in wasm memory. */
  tree: { delete(): void };
  /** Where a node is, in the outer input when this code was nested in another. */
  at: (n: Node) => { line: number; column: number };
  report: (id: RuleId, n: Node) => void;
}

/**
 * Parses `code` with the language's parser and sets up the result; a parse error is a finding
 * (never an allow), and without a tree the caller returns `out` as it is.
 *
 * @example
 * const start = beginCodeAnalysis(engine, 'python', code, context);
 * if (!start.root) return start.out;
 */
export function beginCodeAnalysis(engine: Engine, language: 'python' | 'javascript', code: string, context: NestedContext): CodeAnalysisStart | { out: Analysis; root: undefined } {
  const out: Analysis = { invocations: [], findings: [] };
  const tree = engine.parsers[language].parse(code);
  if (!tree) {
    out.findings.push(finding('code.parse-error', context.origin ? { location: context.origin } : {}));
    return { out, root: undefined };
  }
  const root = tree.rootNode;
  const at = (n: Node) => context.origin ?? { line: n.startPosition.row + 1, column: n.startPosition.column + 1 };
  const err = firstError(root);
  if (err) out.findings.push(finding('code.parse-error', { location: at(err) }));
  const report = (id: RuleId, n: Node): void => { out.findings.push(finding(id, { location: at(n), match: n.text.split('\n')[0] })); };
  return { out, root, at, report, tree };
}
