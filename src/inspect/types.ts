/**
 * @module inspect/types
 * Internal shapes shared by the analyzers: a richer invocation (with pipe, stdin and redirect
 * context) and the engine interface through which one language hands inline code to another.
 */
import type { CommandInvocation, Finding } from '../core/contracts.js';
import type { CodeLanguage } from './shell/programs.js';
import type { Parsers } from './parsers.js';

/** A program upstream in the same pipeline. */
export interface Upstream { program: string; args: string[] }

/** A redirection: operator (`>`, `>>`, `<`, `>&`, `<>`, …) and target as written. */
export interface Redirect {
  op: string;
  target: string;
  /** The target is an unquoted glob (`< ~/.a?s/cred*`): it names the file it matches. */
  globbed?: boolean;
}

/** A `CommandInvocation` with the context the rules need. Never leaves `src/inspect`. */
export interface Invocation extends CommandInvocation {
  upstream: Upstream[];
  stdinText?: string;
  redirects: Redirect[];
  /** `NAME=value` prefixes and assignments. */
  env: string[];
  programDynamic: boolean;
  /** Per argument: an unquoted glob the shell expands into file names (absent when none is). */
  globbed?: boolean[];
  /** The program word as written looks like an injection payload (`%0a`, `\n`, `;` inside quotes). */
  injectionShape?: boolean;
  /** Programs run in substitutions inside each word (index 0 = the program word). */
  substituted: string[][];
}

/** What analysing one piece of code produced. */
export interface Analysis {
  invocations: Invocation[];
  findings: Finding[];
}

/** Lets analyzers hand inline code (`bash -c`, `os.system(…)`) to the analyzer of its language. */
export interface Engine {
  parsers: Parsers;
  analyze(language: CodeLanguage, code: string, context: NestedContext): Analysis;
}

/** Where nested code came from. */
export interface NestedContext {
  via: string[];
  depth: number;
  /** Location of the outer construct, used for everything found inside. */
  origin?: { line: number; column: number };
}

/**
 * How deep code may nest (shell in python in shell …) before the rest is asked about as too deep.
 *
 * @example
 * if (context.depth > MAX_DEPTH) return tooDeep;
 */
export const MAX_DEPTH = 8;
