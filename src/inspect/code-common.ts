/**
 * @module inspect/code-common
 * Helpers the Python and JavaScript analyzers share: literal-string reading, a per-snippet table of
 * variables assigned literal or built strings, and URL/host checks.
 */
import type { Node } from 'web-tree-sitter';

/** What is known about an expression's value. */
export type Value = { literal: true; text: string } | { literal: false; text: string; built: boolean };

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

/**
 * Quotes argv elements so a literal list can be analysed as one shell command.
 *
 * @example
 * shellQuote(['echo', "it's"]) // "'echo' 'it'\\''s'"
 */
export function shellQuote(parts: string[]): string {
  return parts.map((p) => `'${p.replace(/'/g, `'\\''`)}'`).join(' ');
}
