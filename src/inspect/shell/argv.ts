/**
 * @module inspect/shell/argv
 * The parser-free path for a plain argv. `evaluateAction` analyses an argv by quoting every element
 * and parsing the result as shell; for an argv whose elements are all plain text and whose program
 * runs no other program or code (no wrapper such as `sudo`/`env`/`xargs`, no interpreter, no
 * `alias`), that parse can only yield one invocation with the elements as they are. This module
 * builds exactly that invocation without loading tree-sitter, and returns undefined for anything
 * else, which then takes the parser path. `argv.test.ts` checks both paths give equal analyses.
 */
import { _dedupeFindings } from '../engine.js';
import type { Analysis, Invocation } from '../types.js';
import { programName, unwrap } from './programs.js';
import { shellFindings } from './rules.js';

/** Quoted input at least this long is split into statements by the engine (engine.ts SPLIT_FROM). */
const SPLIT_FROM = 2048;
/** What the program word must not look like (the same test as `emit` in extract.ts). */
const INJECTION_SHAPE = /%[0-9a-f]{2}|\\n|.\\r|\\r\/|[;|&`\n]/i;
/** Elements that quote to one plain `raw_string` token: no quote, no control character. */
const PLAIN = /^[^'\u0000-\u001f\u007f]*$/;

/**
 * The analysis of a plain argv, or undefined when it needs the shell parser.
 *
 * @example
 * inspectPlainArgv(['git', 'status'])?.invocations[0]?.program // 'git'
 * inspectPlainArgv(['bash', '-c', 'ls'])                        // undefined (inline code)
 */
export function inspectPlainArgv(argv: string[]): Analysis | undefined {
  const [first, ...args] = argv;
  if (first === undefined || !argv.every((a) => PLAIN.test(a))) return undefined;
  if (argv.reduce((n, a) => n + a.length + 3, 0) >= SPLIT_FROM) return undefined;
  const program = programName(first.trim());
  if (!program || program === 'alias' || unwrap(program, args) !== undefined) return undefined;
  const inv: Invocation = {
    program, args, via: [], line: 1, column: 1, upstream: [], redirects: [], env: [],
    programDynamic: false, substituted: argv.map(() => []),
  };
  if (first.includes('/')) inv.path = first;
  // The parser path tests the word as written, i.e. with its quotes.
  if (INJECTION_SHAPE.test(`'${first}'`)) inv.injectionShape = true;
  const invocations = [inv];
  return { invocations, findings: _dedupeFindings(shellFindings(invocations)) };
}
