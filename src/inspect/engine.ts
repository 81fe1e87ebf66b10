/**
 * @module inspect/engine
 * Ties the analyzers together: parses code in its language, lets inline code of one language be
 * analysed by another (shell → python → shell …, bounded by MAX_DEPTH), and runs the shell rules
 * over every program found. Unparseable input yields a parse-error finding, never silence.
 */
import type { Finding } from '../core/contracts.js';
import { firstError } from './code-common.js';
import { analyzeJavaScript } from './javascript/analyze.js';
import { getParsers, type Parsers } from './parsers.js';
import { analyzePython } from './python/analyze.js';
import { finding } from './rules.js';
import { analyzeScript } from './script/analyze.js';
import { walkPlainStatement, walkShell } from './shell/extract.js';
import { plainStatement } from './shell/plain.js';
import { splitScript } from './shell/split.js';
import type { CodeLanguage } from './shell/programs.js';
import { shellFindings } from './shell/rules.js';
import { MAX_DEPTH, type Analysis, type Engine, type NestedContext } from './types.js';

/** Shell code at least this long is split into statements before parsing. */
const SPLIT_FROM = 2048;
/** How many following pieces a piece that does not parse is merged with. */
const MAX_MERGE = 2;

function makeEngine(parsers: Parsers): Engine {
  const engine: Engine = {
    parsers,
    analyze(language: CodeLanguage, code: string, context: NestedContext): Analysis {
      if (context.depth > MAX_DEPTH) return { invocations: [], findings: [finding('shell.too-deep', context.origin ? { location: context.origin } : {})] };
      if (language === 'python') return analyzePython(engine, code, context);
      if (language === 'javascript') return analyzeJavaScript(engine, code, context);
      if (language === 'script') return analyzeScript(code, context, engine);
      const out: Analysis = { invocations: [], findings: [] };
      if (code.length < SPLIT_FROM) {
        parseShell(code, context, out, 0, true);
        return out;
      }
      // Long scripts are parsed statement by statement (see shell/split.ts); a piece that does not
      // parse is merged with the pieces after it before its error is reported.
      const pieces = splitScript(code);
      for (let i = 0; i < pieces.length; i++) {
        let text = pieces[i]!.text;
        let last = i;
        // One parse per attempt: a piece that does not parse is only walked once no merge is left.
        while (!parseShell(text, context, out, pieces[i]!.line, last + 1 >= pieces.length || last - i >= MAX_MERGE)) text += pieces[++last]!.text;
        i = last;
      }
      return out;
    },
  };
  /**
   * Parses and walks shell code into `out`. With `final` false, code that does not parse cleanly is
   * neither walked nor reported: the caller retries it with more text. Returns false only then.
   */
  function parseShell(code: string, context: NestedContext, out: Analysis, lineOffset: number, final: boolean): boolean {
    const firstInv = out.invocations.length;
    const firstFinding = out.findings.length;
    // A statement of plain commands needs no tree: read from its text, it gives the same programs.
    const plain = plainStatement(code);
    if (plain) {
      walkPlainStatement(engine, plain, context, out);
      shiftLines(out, firstInv, firstFinding, lineOffset, context);
      return true;
    }
    const tree = parsers.shell.parse(code);
    if (!tree) {
      if (!final) return false;
      out.findings.push(finding('shell.parse-error', context.origin ? { location: context.origin } : {}));
      return true;
    }
    const err = firstError(tree.rootNode);
    if (err && !final) {
      tree.delete();
      return false;
    }
    if (err) {
      const location = context.origin ?? { line: err.startPosition.row + 1, column: err.startPosition.column + 1 };
      out.findings.push(finding('shell.parse-error', { location, match: err.text.split('\n')[0] }));
    }
    walkShell(engine, tree.rootNode, context, out);
    tree.delete();
    shiftLines(out, firstInv, firstFinding, lineOffset, context);
    return true;
  }
  return engine;
}

/** Moves the lines of what a piece added to `out` to where the piece starts in the whole script. */
function shiftLines(out: Analysis, firstInv: number, firstFinding: number, lineOffset: number, context: NestedContext): void {
  if (!lineOffset || context.origin) return;
  for (let k = firstInv; k < out.invocations.length; k++) {
    const inv = out.invocations[k]!;
    if (inv.line !== undefined) inv.line += lineOffset;
  }
  for (let k = firstFinding; k < out.findings.length; k++) {
    const f = out.findings[k]!;
    if (f.location?.line !== undefined) f.location = { ...f.location, line: f.location.line + lineOffset };
  }
}

let cached: Engine | undefined;

/**
 * The shared engine (parsers loaded once).
 *
 * @example
 * const engine = await getEngine();
 * engine.analyze('python', 'print(1)', { via: [], depth: 0 }).findings // []
 */
export async function getEngine(): Promise<Engine> {
  if (!cached) cached = makeEngine(await getParsers());
  return cached;
}

/** Removes repeated findings (same rule, place and match). Shared with the argv path (shell/argv.ts). */
export function _dedupeFindings(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}|${f.location?.line}|${f.location?.column}|${f.match}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Analyses code: programs it would run and every finding, shell rules included.
 *
 * @example
 * const { invocations, findings } = await inspectCode('shell', 'curl -s x | sh');
 */
export async function inspectCode(language: CodeLanguage, code: string): Promise<Analysis> {
  const engine = await getEngine();
  const result = engine.analyze(language, code, { via: [], depth: 0 });
  return { invocations: result.invocations, findings: _dedupeFindings([...result.findings, ...shellFindings(result.invocations)]) };
}
