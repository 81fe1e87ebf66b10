/**
 * @module integrations/hooks/claude-code
 * Claude Code's hook dialect. Input: the hook JSON on stdin (`hook_event_name`, `tool_name`,
 * `tool_input`, `cwd`, `session_id`). Output for `PreToolUse`: exit 0 with
 * `hookSpecificOutput.permissionDecision` allow|deny|ask and a reason (deny reasons are shown to
 * the model, ask reasons to the user); for `PermissionRequest`: `decision.behavior` allow|deny.
 * Input Airlock cannot read is blocked with exit 2 (stderr is the reason): exit 1 would let the
 * call through.
 */
import { IntegrationError } from '../../core/errors.js';
import { toolCallActions } from './tool-actions.js';
import type { HookAnswer, HookCodec, HookOutput, HookRequest } from './types.js';

const GATES = new Set(['PreToolUse', 'PermissionRequest']);

/** Reads the common fields of Claude-style hook input (Claude Code and Codex share them). */
export function decodeClaudeStyle(agent: 'claude-code' | 'codex', input: unknown): HookRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new IntegrationError(`${agent} hook: expected a JSON object on stdin`);
  const o = input as Record<string, unknown>;
  const event = o.hook_event_name;
  if (typeof event !== 'string') throw new IntegrationError(`${agent} hook: hook_event_name is missing (is this a ${agent} hook payload?)`);
  const cwd = typeof o.cwd === 'string' ? o.cwd : undefined;
  const session = typeof o.session_id === 'string' ? o.session_id : undefined;
  if (!GATES.has(event)) return { agent, event, tool: typeof o.tool_name === 'string' ? o.tool_name : event, mode: 'observe', actions: [], cwd, session };
  if (typeof o.tool_name !== 'string') throw new IntegrationError(`${agent} hook: ${event} without a tool_name`);
  const actions = toolCallActions(o.tool_name, o.tool_input) ?? [];
  return { agent, event, tool: o.tool_name, mode: 'gate', actions, cwd, session };
}

const json = (value: unknown): string => `${JSON.stringify(value)}\n`;

/** Blocks with exit 2 when there is no readable request: every agent treats exit 2 as "block". */
export const blockWithExit2 = (answer: HookAnswer): HookOutput => ({ stdout: '', stderr: `${answer.reason}\n`, exitCode: 2 });

/**
 * The Claude Code codec.
 *
 * @example
 * const req = claudeCodeCodec.decode({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' } });
 * claudeCodeCodec.encode({ verdict: 'deny', reason: 'no' }, req).stdout
 * // '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"no"}}\n'
 */
export const claudeCodeCodec: HookCodec = {
  agent: 'claude-code',
  decode: (input) => decodeClaudeStyle('claude-code', input),
  encode(answer, request) {
    if (!request) return answer.verdict === 'deny' || answer.verdict === 'ask' ? blockWithExit2(answer) : { stdout: '{}\n', stderr: '', exitCode: 0 };
    if (request.mode === 'observe' || answer.verdict === 'none') return { stdout: '{}\n', stderr: '', exitCode: 0 };
    if (request.event === 'PermissionRequest') {
      // The permission dialog is itself the ask: for "ask" let it show.
      if (answer.verdict === 'ask') return { stdout: '{}\n', stderr: '', exitCode: 0 };
      const decision = answer.verdict === 'allow' ? { behavior: 'allow' } : { behavior: 'deny', message: answer.reason };
      return { stdout: json({ hookSpecificOutput: { hookEventName: 'PermissionRequest', decision } }), stderr: '', exitCode: 0 };
    }
    return {
      stdout: json({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: answer.verdict, permissionDecisionReason: answer.reason } }),
      stderr: '',
      exitCode: 0,
    };
  },
};
