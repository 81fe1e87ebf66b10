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
import { walkShell } from './shell/extract.js';
import type { CodeLanguage } from './shell/programs.js';
import { shellFindings } from './shell/rules.js';
import { MAX_DEPTH, type Analysis, type Engine, type NestedContext } from './types.js';

function makeEngine(parsers: Parsers): Engine {
  const engine: Engine = {
    parsers,
    analyze(language: CodeLanguage, code: string, context: NestedContext): Analysis {
      if (context.depth > MAX_DEPTH) return { invocations: [], findings: [finding('shell.too-deep', context.origin ? { location: context.origin } : {})] };
      if (language === 'python') return analyzePython(engine, code, context);
      if (language === 'javascript') return analyzeJavaScript(engine, code, context);
      if (language === 'script') return analyzeScript(code, context);
      const out: Analysis = { invocations: [], findings: [] };
      const tree = parsers.shell.parse(code);
      if (!tree) return { invocations: [], findings: [finding('shell.parse-error', context.origin ? { location: context.origin } : {})] };
      const err = firstError(tree.rootNode);
      if (err) {
        const location = context.origin ?? { line: err.startPosition.row + 1, column: err.startPosition.column + 1 };
        out.findings.push(finding('shell.parse-error', { location, match: err.text.split('\n')[0] }));
      }
      walkShell(engine, tree.rootNode, context, out);
      tree.delete();
      return out;
    },
  };
  return engine;
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

/** Removes repeated findings (same rule, place and match). */
function dedupe(findings: Finding[]): Finding[] {
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
  return { invocations: result.invocations, findings: dedupe([...result.findings, ...shellFindings(result.invocations)]) };
}
