/**
 * @module script-files
 * Inspects the script files a command runs by name: `bash deploy.sh`, `python3 tool.py`,
 * `node build.js`, `./run.sh`, `. env.sh`. Inspection is pure and sees only the command line, so
 * without this `bash x.sh` looks the same whatever x.sh holds; a coding agent could write a script
 * with one tool call and run it with the next. Files are read from the workspace only (after
 * symlinks, never a path `filesystem.deny` hides), up to `inspect.maxInputSize`; a larger one is
 * not inspected and asks, like any input too large to read. Scripts a script runs are followed too
 * (three levels, sixteen files at most).
 */
import { realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { strictest, type CommandInvocation, type Finding, type Language } from './core/contracts.js';
import { evaluateAction, type InspectionResult } from './inspect/index.js';
import { finding } from './inspect/rules.js';
import { interpreterOf, SHELLS } from './inspect/shell/programs.js';
import type { Policy } from './policy/schema.js';
import { readTextStart } from './sandbox/files/index.js';

const MAX_DEPTH = 3;
const MAX_FILES = 16;

/** Options of interpreters that take the next argument as their value (so it is not the script). */
const VALUE_OPTIONS: Record<Language, ReadonlySet<string>> = {
  shell: new Set(['-o', '+o', '-O', '+O', '--init-file', '--rcfile']),
  python: new Set(['-W', '-X', '--check-hash-based-pycs']),
  javascript: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--input-type', '--env-file']),
};
/** Options after which no script file is run: the code is on the command line, a module or stdin. */
const INLINE_OPTIONS: Record<Language, ReadonlySet<string>> = {
  shell: new Set(['-c', '-s', '-i']),
  python: new Set(['-c', '-m', '-']),
  javascript: new Set(['-e', '--eval', '-p', '--print', '-', '-i', '--interactive']),
};

/**
 * The script file an invocation runs, if it runs one by name: an interpreter's first argument that
 * is not an option (`bash -x a.sh`, `python3 -u b.py`, `node c.js`), a file sourced into the shell
 * (`. a.sh`, `source a.sh`), or a program named with a directory (`./run.sh`, `bin/tool`), whose
 * language its first line decides.
 *
 * @example
 * scriptRun({ program: 'bash', args: ['-e', 'deploy.sh'], via: [] }) // { file: 'deploy.sh', language: 'shell' }
 * scriptRun({ program: 'bash', args: ['-c', 'ls'], via: [] })        // undefined
 */
export function scriptRun(p: CommandInvocation): { file: string; language?: Language } | undefined {
  if (p.dynamic) return undefined;
  if (p.program === '.' || p.program === 'source') return p.args[0] ? { file: p.args[0], language: 'shell' } : undefined;
  const family = interpreterOf(p.program);
  const language: Language | undefined = family === 'shell' || family === 'python' || family === 'javascript' ? family : undefined;
  // `/usr/bin/python3 tool.py` runs tool.py; `./run.sh` runs itself.
  if (!language) return p.path !== undefined && family === undefined ? { file: p.path } : undefined;
  for (let i = 0; i < p.args.length; i++) {
    const a = p.args[i]!;
    if (a === '--') return p.args[i + 1] === undefined ? undefined : { file: p.args[i + 1]!, language };
    if (INLINE_OPTIONS[language].has(a)) return undefined;
    // Combined short shell options: `-ec`, `-lc` take the command from the next argument.
    if (language === 'shell' && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a)) return undefined;
    if (VALUE_OPTIONS[language].has(a)) {
      i++;
      continue;
    }
    if (a.startsWith('-') || (language === 'shell' && a.startsWith('+'))) continue;
    return { file: a, language };
  }
  return undefined;
}

/**
 * The language of a script file from its `#!` line, else its extension (`.py`, `.js`/`.mjs`/`.cjs`,
 * `.sh`/`.bash`); undefined when neither says (or the `#!` names another interpreter).
 *
 * @example
 * scriptLanguage('tool', '#!/usr/bin/env python3\n') // 'python'
 * scriptLanguage('build.mjs', '')                    // 'javascript'
 */
export function scriptLanguage(file: string, head: string): Language | undefined {
  if (head.startsWith('#!')) {
    const words = head.slice(2).split('\n', 1)[0]!.trim().split(/\s+/);
    let interpreter = path.basename(words[0] ?? '');
    // `#!/usr/bin/env [-S] python3`
    if (interpreter === 'env') interpreter = path.basename(words.slice(1).find((w) => !w.startsWith('-')) ?? '');
    const family = SHELLS.has(interpreter) ? 'shell' : interpreterOf(interpreter);
    return family === 'shell' || family === 'python' || family === 'javascript' ? family : undefined;
  }
  if (/\.py$/.test(file)) return 'python';
  if (/\.[cm]?js$/.test(file)) return 'javascript';
  if (/\.(?:sh|bash)$/.test(file)) return 'shell';
  return undefined;
}

/** True when `real` lies inside `dir` (both real paths). */
const inside = (dir: string, real: string): boolean => {
  const rel = path.relative(dir, real);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

type Read = { text: string } | { tooLarge: number } | undefined;

/** Reads a script of the workspace; undefined when it is not one (missing, outside, hidden, binary). */
function readScript(file: string, baseDir: string, policy: Policy): Read {
  let real: string;
  let workspace: string;
  try {
    real = realpathSync(path.resolve(baseDir, file));
    workspace = realpathSync(policy.workspace);
  } catch {
    return undefined; // not there (yet): nothing to read
  }
  if (!inside(workspace, real)) return undefined;
  const rel = path.relative(workspace, real);
  for (const d of policy.filesystem.deny) {
    if (d.startsWith('**') ? picomatch(d, { dot: true })(rel) : inside(d, real)) return undefined;
  }
  const stat = statSync(real);
  if (!stat.isFile()) return undefined;
  if (stat.size > policy.inspect.maxInputSize) return { tooLarge: stat.size };
  const text = readTextStart(real, stat.size);
  return text && { text: text.toString('utf8') }; // undefined: a binary program, not a script
}

/**
 * Adds to `result` the inspection of every script file its programs run (see the module), each
 * finding named after its file; the verdict is the strictest of all. `baseDir` is where relative
 * names are looked up (the directory the command runs in).
 *
 * @example
 * const r = await withScriptFiles(await evaluateAction({ kind: 'command', argv: ['bash', 'x.sh'] }, policy), policy);
 * r.verdict // 'deny' when x.sh holds `rm -rf ~`
 */
export async function withScriptFiles(result: InspectionResult, policy: Policy, baseDir: string = policy.workspace): Promise<InspectionResult> {
  const seen = new Set<string>();
  const findings: Finding[] = [];
  const reasons: string[] = [];
  const verdicts = [result.verdict];
  const visit = async (programs: readonly CommandInvocation[], depth: number): Promise<void> => {
    for (const p of programs) {
      const run = scriptRun(p);
      if (!run || seen.has(run.file) || seen.size >= MAX_FILES) continue;
      seen.add(run.file);
      const read = readScript(run.file, baseDir, policy);
      if (read === undefined) continue;
      if ('tooLarge' in read) {
        const f = finding('inspect.too-large', { message: `The script ${run.file} (${read.tooLarge} bytes) is larger than inspect.maxInputSize (${policy.inspect.maxInputSize} bytes) and was not inspected` });
        findings.push(f);
        reasons.push(`inspect.too-large: the script ${run.file} is over inspect.maxInputSize, so a person decides`);
        verdicts.push('ask');
        continue;
      }
      // A text file without `#!` that a shell is asked to run is run by /bin/sh.
      const head = read.text.slice(0, 256);
      const language = run.language ?? scriptLanguage(run.file, head) ?? (head.startsWith('#!') ? undefined : 'shell');
      if (!language) continue;
      const inner = await evaluateAction({ kind: 'code', language, code: read.text }, policy);
      verdicts.push(inner.verdict);
      for (const f of inner.findings) {
        findings.push({ ...f, message: `in ${run.file}: ${f.message}`, location: { line: f.location?.line ?? 1, column: f.location?.column ?? 1, source: run.file } });
      }
      reasons.push(...inner.reasons.map((r) => `${run.file}: ${r}`));
      if (depth + 1 < MAX_DEPTH) await visit(inner.programs, depth + 1);
    }
  };
  await visit(result.programs, 0);
  if (!findings.length) return result;
  return {
    ...result,
    verdict: strictest(verdicts),
    findings: [...result.findings, ...findings],
    reasons: [...result.reasons, ...reasons],
    ruleIds: [...new Set([...result.ruleIds, ...findings.map((f) => f.rule)])],
  };
}
