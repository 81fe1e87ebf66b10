/**
 * @module integrations/hooks/cursor
 * Cursor's hook dialect (`.cursor/hooks.json`, version 1). Input: `hook_event_name`,
 * `conversation_id`, `workspace_roots` and per event `command` + `cwd` (`beforeShellExecution`),
 * `file_path` (`beforeReadFile`), `tool_name` + `tool_input` (`beforeMCPExecution`, `preToolUse`).
 * Output: `{"permission": "allow"|"deny"|"ask", "user_message", "agent_message"}` (snake_case),
 * exit 0. `beforeReadFile` takes allow|deny only, so an ask there is a deny that says why. Input
 * Airlock cannot read is blocked (deny JSON and exit 2).
 */
import { IntegrationError } from '../../core/errors.js';
import { shellAction, toolCallActions } from './tool-actions.js';
import type { HookCodec, HookOutput, HookRequest } from './types.js';

const GATES = new Set(['beforeShellExecution', 'beforeMCPExecution', 'beforeReadFile', 'preToolUse']);
const json = (value: unknown): string => `${JSON.stringify(value)}\n`;

function parseToolInput(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return { value };
  }
}

function decode(input: unknown): HookRequest {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new IntegrationError('cursor hook: expected a JSON object on stdin');
  const o = input as Record<string, unknown>;
  const event = o.hook_event_name;
  if (typeof event !== 'string') throw new IntegrationError('cursor hook: hook_event_name is missing (is this a Cursor hook payload?)');
  const roots = Array.isArray(o.workspace_roots) ? o.workspace_roots.filter((r): r is string => typeof r === 'string') : [];
  const cwd = typeof o.cwd === 'string' && o.cwd ? o.cwd : roots[0];
  const session = typeof o.conversation_id === 'string' ? o.conversation_id : undefined;
  const base = { agent: 'cursor' as const, event, cwd, session };
  if (!GATES.has(event)) return { ...base, tool: event, mode: 'observe', actions: [] };
  switch (event) {
    case 'beforeShellExecution':
      if (typeof o.command !== 'string') throw new IntegrationError('cursor hook: beforeShellExecution without a command string');
      return { ...base, tool: 'Shell', mode: 'gate', actions: [shellAction(o.command)] };
    case 'beforeReadFile':
      if (typeof o.file_path !== 'string') throw new IntegrationError('cursor hook: beforeReadFile without a file_path string');
      return { ...base, tool: 'Read', mode: 'gate', actions: [{ kind: 'read_file', path: o.file_path }] };
    case 'beforeMCPExecution': {
      const tool = typeof o.tool_name === 'string' ? o.tool_name : '(unnamed)';
      return { ...base, tool: `MCP:${tool}`, mode: 'gate', actions: [] };
    }
    default: {
      if (typeof o.tool_name !== 'string') throw new IntegrationError(`cursor hook: ${event} without a tool_name`);
      return { ...base, tool: o.tool_name, mode: 'gate', actions: toolCallActions(o.tool_name, parseToolInput(o.tool_input)) ?? [] };
    }
  }
}

/**
 * The Cursor codec.
 *
 * @example
 * const req = cursorCodec.decode({ hook_event_name: 'beforeShellExecution', command: 'ls', cwd: '/repo', workspace_roots: ['/repo'] });
 * JSON.parse(cursorCodec.encode({ verdict: 'allow', reason: 'ok' }, req).stdout).permission // 'allow'
 */
export const cursorCodec: HookCodec = {
  agent: 'cursor',
  decode,
  encode(answer, request): HookOutput {
    if (!request) {
      const blocked = answer.verdict === 'deny' || answer.verdict === 'ask';
      return blocked
        ? { stdout: json({ permission: 'deny', user_message: answer.reason, agent_message: answer.reason }), stderr: `${answer.reason}\n`, exitCode: 2 }
        : { stdout: '{}\n', stderr: '', exitCode: 0 };
    }
    if (request.mode === 'observe') {
      return { stdout: json(request.event === 'beforeSubmitPrompt' ? { continue: true } : {}), stderr: '', exitCode: 0 };
    }
    let permission = answer.verdict === 'none' ? 'allow' : answer.verdict;
    let reason = answer.reason;
    if (request.event === 'beforeReadFile') {
      if (permission === 'ask') {
        permission = 'deny';
        reason = `${reason}\nBlocked: Cursor cannot ask before reading a file.`;
      }
      return { stdout: json({ permission }), stderr: permission === 'deny' ? `${reason}\n` : '', exitCode: 0 };
    }
    const out: Record<string, string> = { permission };
    if (reason) {
      out.user_message = reason;
      out.agent_message = reason;
    }
    return { stdout: json(out), stderr: '', exitCode: 0 };
  },
};
