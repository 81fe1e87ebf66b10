/**
 * @module inspect/parsers
 * Lazily initialised tree-sitter parsers (web-tree-sitter + the grammars' shipped wasm) for shell,
 * Python and JavaScript. Initialised once per process; every analyzer shares the same parsers.
 * Reading the wasm files is done by web-tree-sitter itself; this module only resolves their paths.
 */
import { createRequire } from 'node:module';
import type { Parser } from 'web-tree-sitter';

/** The three parsers, ready to use synchronously. */
export interface Parsers {
  shell: Parser;
  python: Parser;
  javascript: Parser;
}

let loading: Promise<Parsers> | undefined;

async function load(): Promise<Parsers> {
  const require = createRequire(import.meta.url);
  // Loaded here, not at the top: an argv that needs no parser (inspect/shell/argv.ts) never loads
  // web-tree-sitter or its wasm. Through require, because the CLI's CommonJS bundle runs in a
  // vm.Script, which has no dynamic import().
  const { Language, Parser } = require('web-tree-sitter') as typeof import('web-tree-sitter');
  await Parser.init();
  const [bash, python, javascript] = await Promise.all([
    Language.load(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')),
    Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm')),
    Language.load(require.resolve('tree-sitter-javascript/tree-sitter-javascript.wasm')),
  ]);
  const make = (language: InstanceType<typeof Language>): Parser => {
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  };
  return { shell: make(bash), python: make(python), javascript: make(javascript) };
}

/**
 * The shared parsers, loaded on first use. A failed load is retried on the next call.
 *
 * @example
 * const { shell } = await getParsers();
 * shell.parse('ls -l')?.rootNode.type // 'program'
 */
export function getParsers(): Promise<Parsers> {
  loading ??= load().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
