/**
 * @module integrations/hooks/decide
 * Asks the pipeline about a translated hook event and phrases the answer: the strictest verdict
 * of `airlock.check` over the event's actions, with reasons and rule ids the agent and the user
 * can read. Hooks only decide; they never run anything. Tools Airlock does not understand get the
 * policy's `inspect.unknownPrograms` verdict (`allow` becomes "no opinion", so the agent's own
 * permission flow still applies). In `monitor` mode nothing is blocked.
 */
import path from 'node:path';
import type { Airlock } from '../../airlock.js';
import { strictest, type Action, type Decision, type Verdict } from '../../core/contracts.js';
import type { HookAnswer, HookRequest } from './types.js';

/** The part of the pipeline a hook needs. */
export type HookChecker = Pick<Airlock, 'check' | 'policy'>;

/** Options for `decideHook`. */
export interface DecideHookOptions {
  /** Answer "no opinion" instead of `allow` when nothing is wrong (keeps the agent's own prompts). */
  passthroughAllow?: boolean | undefined;
}

function explain(decisions: Decision[]): string[] {
  const lines: string[] = [];
  for (const d of decisions) {
    for (const r of d.reasons) if (!lines.includes(r)) lines.push(r);
    for (const f of d.findings) {
      // Reasons usually already name the finding's rule; do not say it twice.
      if (d.reasons.some((r) => r.includes(f.rule))) continue;
      const line = `[${f.severity}] ${f.rule}: ${f.message}${f.remediation ? ` Instead: ${f.remediation}` : ''}`;
      if (!lines.includes(line)) lines.push(line);
    }
  }
  return lines;
}

const inside = (dir: string, p: string): boolean => {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/**
 * File actions outside the trees the policy opens (the workspace, `filesystem.write`, and for reads
 * `filesystem.read`): Airlock's own tools would refuse them, so a hook does not vouch for them.
 * Writes there need a human (`ask`); reads there get no opinion (the agent's own rules apply).
 */
function outOfScope(actions: Action[], policy: HookChecker['policy'], cwd: string | undefined): { writes: string[]; reads: string[] } {
  const base = cwd ?? policy.workspace;
  const writable = [policy.workspace, ...policy.filesystem.write];
  const readable = [...writable, ...policy.filesystem.read];
  const writes: string[] = [];
  const reads: string[] = [];
  for (const a of actions) {
    if (a.kind !== 'write_file' && a.kind !== 'read_file' && a.kind !== 'list_files') continue;
    const full = path.resolve(base, a.path ?? '.');
    if (a.kind === 'write_file' && !writable.some((d) => inside(d, full))) writes.push(full);
    if (a.kind !== 'write_file' && !readable.some((d) => inside(d, full))) reads.push(full);
  }
  return { writes, reads };
}

/**
 * Decides about one hook event.
 *
 * @example
 * await decideHook({ agent: 'claude-code', event: 'PreToolUse', tool: 'Bash', mode: 'gate',
 *   actions: [{ kind: 'command', argv: ['/bin/sh', '-c', 'ls'] }] }, airlock)
 * // { verdict: 'allow', reason: 'Airlock: allowed (Bash).' }
 */
export async function decideHook(request: HookRequest, airlock: HookChecker, options: DecideHookOptions = {}): Promise<HookAnswer> {
  if (request.mode === 'observe') return { verdict: 'none', reason: '' };
  const policy = airlock.policy;
  if (request.actions.length === 0) {
    const v = policy.inspect.unknownPrograms;
    return v === 'ask'
      ? { verdict: 'ask', reason: `Airlock: Airlock does not inspect the ${request.tool} tool, and the policy (inspect.unknownPrograms: ask) wants a human to confirm it.` }
      : { verdict: 'none', reason: `Airlock does not inspect the ${request.tool} tool (inspect.unknownPrograms: allow).` };
  }
  // The agent's working directory: where its command runs, so where a script it names is found.
  const decisions = await Promise.all(request.actions.map((a) => airlock.check(a, request.cwd ? { cwd: request.cwd } : undefined)));
  const verdict: Verdict = strictest(decisions.map((d) => d.verdict));
  const why = explain(decisions);
  const ruleIds = [...new Set(decisions.flatMap((d) => d.ruleIds))];
  const rules = ruleIds.length ? ` (rules: ${ruleIds.join(', ')})` : '';
  if (policy.mode === 'monitor' && verdict !== 'allow') {
    return { verdict: 'none', reason: `Airlock (monitor mode, not blocking): the verdict would be ${verdict}${rules}. ${why.join(' ')}`.trim() };
  }
  const scope = verdict === 'allow' ? outOfScope(request.actions, policy, request.cwd) : { writes: [], reads: [] };
  if (scope.writes.length) {
    return { verdict: 'ask', reason: `Airlock wants a human to confirm this ${request.tool} call: it writes outside the workspace ${policy.workspace} (${scope.writes.join(', ')}), which the policy does not open for writing (filesystem.write).` };
  }
  if (scope.reads.length) {
    return { verdict: 'none', reason: `Airlock has no objection, but ${scope.reads.join(', ')} is outside the trees the policy opens; the agent's own permission rules decide.` };
  }
  switch (verdict) {
    case 'allow':
      return options.passthroughAllow
        ? { verdict: 'none', reason: `Airlock: no objection to ${request.tool}.` }
        : { verdict: 'allow', reason: `Airlock: allowed (${request.tool}${why.length ? `; ${why.join(' ')}` : ''}).` };
    case 'ask':
      return { verdict: 'ask', reason: `Airlock wants a human to confirm this ${request.tool} call${rules}: ${why.join(' ') || 'the policy asks for it.'}` };
    case 'deny':
      return { verdict: 'deny', reason: `Airlock denied this ${request.tool} call${rules}: ${why.join(' ') || 'the policy denies it.'} Do not retry it unchanged; find another way the policy allows, or ask the user.` };
  }
}
