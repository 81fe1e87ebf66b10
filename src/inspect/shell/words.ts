/**
 * @module inspect/shell/words
 * Turns tree-sitter-bash word nodes into the strings the shell would pass to a program: quotes
 * removed (`r''m` → `rm`, `\rm` → `rm`, `$'\x72m'` → `rm`), `${IFS}` read as a word break, and
 * anything only known at run time kept as written and marked dynamic.
 */
import type { Node } from 'web-tree-sitter';

/** One shell word after quote removal. */
export interface Word {
  text: string;
  /** Some part is only known at run time (a variable, `$(…)`, a glob is not dynamic). */
  dynamic: boolean;
  /** Programs run inside `$(…)`, backticks or `<(…)` within this word. */
  substituted: string[];
  /** The word contained `$IFS`: the shell splits it into several words. */
  ifs: boolean;
  /** The tree node it came from (absent for words read from a plain command's text). */
  node?: Node;
  /** The node's type, read once. */
  type: string;
  /** The word as written (quotes and escapes kept), when already read. */
  raw?: string;
}

/**
 * The `substituted` of a word without substitutions: one shared, frozen empty list (most words have
 * none, and every invocation keeps the lists of its words). Frozen, so a push into it throws (and
 * inspection fails closed) instead of changing every word.
 */
export const NO_SUBSTITUTIONS = Object.freeze([]) as unknown as string[];

/** Called for each command/process substitution found inside a word; returns the programs it ran. */
export type SubstitutionWalker = (node: Node) => string[];

const ANSI_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/**
 * Decodes the body of a `$'…'` string (shared with the plain reader, shell/plain.ts).
 *
 * @example
 * decodeAnsiC('a\\tb') // 'a\tb'
 */
export function decodeAnsiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|c.|.)/gs, (_m, esc: string) => {
    if (/^x/.test(esc) || /^[uU]/.test(esc)) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCharCode(parseInt(esc, 8));
    if (esc[0] === 'c') return String.fromCharCode(esc.charCodeAt(1) & 31);
    return ANSI_ESCAPES[esc] ?? `\\${esc}`;
  });
}

/** What double quotes leave to expand or unescape: `$`, a backquote, a backslash. */
const DOUBLE_QUOTE_SPECIAL = /[$`\\]/;

/** Cheap pre-check before asking the tree for substitutions (each tree query crosses into wasm). */
function hasSubstitution(text: string): boolean {
  return text.includes('$(') || text.includes('`') || text.includes('<(') || text.includes('>(');
}

interface Acc { text: string; dynamic: boolean; substituted: string[]; ifs: boolean }

function visit(node: Node, acc: Acc, walk: SubstitutionWalker, inDouble: boolean): void {
  const type = node.type;
  switch (type) {
    case 'word':
    case 'number': {
      const text = node.text;
      acc.text += text.includes('\\') ? text.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1') : text;
      return;
    }
    case 'raw_string':
      acc.text += node.text.slice(1, -1);
      return;
    case 'ansi_c_string':
      acc.text += decodeAnsiC(node.text.slice(2, -1));
      return;
    case 'string_content':
      acc.text += node.text.replace(/\\\n/g, '').replace(/\\([$`"\\])/g, '$1');
      return;
    case 'string':
    case 'translated_string': {
      // Walk the text between the quotes; gaps between children are literal text.
      const text = node.text; // read once: each read crosses into wasm
      if (type === 'string' && text.length >= 2 && text[0] === '"' && text[text.length - 1] === '"' && !DOUBLE_QUOTE_SPECIAL.test(text)) {
        // Nothing to expand or unescape: the children can only be literal text, so no trip into the tree for them.
        acc.text += text.slice(1, -1);
        return;
      }
      const base = node.startIndex;
      let pos = base + (type === 'translated_string' ? 2 : 1);
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.startIndex > pos) acc.text += text.slice(pos - base, child.startIndex - base).replace(/\\([$`"\\])/g, '$1');
        visit(child, acc, walk, true);
        pos = child.endIndex;
      }
      const end = base + text.length - 1;
      if (end > pos) acc.text += text.slice(pos - base, end - base).replace(/\\([$`"\\])/g, '$1');
      return;
    }
    case 'simple_expansion':
    case 'expansion': {
      const text = node.text;
      const name = text.replace(/^\$\{?/, '').replace(/\}$/, '');
      if (name === 'IFS' && !inDouble) {
        acc.text += ' ';
        acc.ifs = true;
        return;
      }
      acc.text += text;
      acc.dynamic = true;
      if (hasSubstitution(text)) for (const child of node.descendantsOfType(['command_substitution', 'process_substitution'])) if (child) acc.substituted.push(...walk(child));
      return;
    }
    case 'command_substitution':
    case 'process_substitution':
      acc.substituted.push(...walk(node));
      acc.text += node.text;
      acc.dynamic = true;
      return;
    case 'concatenation':
      for (const child of node.children) if (child) visit(child, acc, walk, inDouble);
      return;
    default: {
      const text = node.text;
      if (hasSubstitution(text) && node.isNamed) {
        for (const child of node.descendantsOfType(['command_substitution', 'process_substitution'])) if (child) acc.substituted.push(...walk(child));
      }
      // Globs, brace expressions and arithmetic: keep the text; arithmetic is dynamic.
      if (type.includes('arithmetic') || type.includes('expansion')) acc.dynamic = true;
      acc.text += text;
    }
  }
}

/**
 * The words a word node becomes (several when `$IFS` splits it).
 *
 * @example
 * // for the node of  r''m  →  [{ text: 'rm', dynamic: false, … }]
 */
export function wordsOf(node: Node, walk: SubstitutionWalker, knownType?: string): Word[] {
  const type = knownType ?? node.type;
  if (type === 'word') {
    // The common case, without a second trip into the tree: a plain word and its text as written.
    const raw = node.text;
    const text = raw.includes('\\') ? raw.replace(/\\\n/g, '').replace(/\\(.)/gs, '$1') : raw;
    return [{ text, dynamic: false, substituted: NO_SUBSTITUTIONS, ifs: false, node, raw, type }];
  }
  const acc: Acc = { text: '', dynamic: false, substituted: [], ifs: false };
  visit(node, acc, walk, false);
  if (!acc.ifs) return [{ ...acc, node, type }];
  return acc.text.split(/\s+/).filter(Boolean).map((text) => ({ ...acc, text, node, type }));
}
