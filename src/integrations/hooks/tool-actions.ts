/**
 * @module integrations/hooks/tool-actions
 * Translates a coding agent's tool call (Claude Code's names, which Codex and Cursor's
 * `preToolUse` reuse with a few aliases) into the actions Airlock checks: shell commands become
 * `command` actions run by `/bin/sh -c`, file writes and edits become `write_file` (so the new
 * content is inspected), reads become `read_file`, searches become `list_files`. A tool Airlock
 * does not understand yields `null`: the policy's `inspect.unknownPrograms` decides. Pure.
 */
import type { Action } from '../../core/contracts.js';
import { IntegrationError } from '../../core/errors.js';

type Input = Record<string, unknown>;

const str = (input: Input, ...keys: string[]): string | undefined => {
  for (const k of keys) if (typeof input[k] === 'string') return input[k] as string;
  return undefined;
};

const need = (tool: string, input: Input, ...keys: string[]): string => {
  const value = str(input, ...keys);
  if (value === undefined) throw new IntegrationError(`${tool}: tool_input.${keys[0]} must be a string (got ${JSON.stringify(input[keys[0]!])})`);
  return value;
};

/** A shell command line as an action: what the agent's shell tool would run. */
export const shellAction = (command: string): Action => ({ kind: 'command', argv: ['/bin/sh', '-c', command] });

/** Quotes an argv as one shell line (Codex sends its shell commands as arrays). */
function argvToLine(argv: unknown[]): string {
  return argv.map((a) => String(a)).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** Files and added lines of an `apply_patch` envelope (`*** Add File: p` / `*** Update File: p`). */
export function patchToActions(patch: string): Action[] {
  const actions: Action[] = [];
  let current: { path: string; lines: string[] } | null = null;
  const flush = (): void => {
    if (current) actions.push({ kind: 'write_file', path: current.path, content: current.lines.join('\n') });
    current = null;
  };
  for (const line of patch.split('\n')) {
    const header = /^\*\*\* (?:Add|Update) File: (.+)$/.exec(line);
    const moved = /^\*\*\* Move to: (.+)$/.exec(line);
    if (header) {
      flush();
      current = { path: header[1]!.trim(), lines: [] };
    } else if (moved && current) {
      current.path = moved[1]!.trim();
    } else if (/^\*\*\* (Delete File|End Patch|Begin Patch)/.test(line)) {
      flush();
    } else if (current && line.startsWith('+')) {
      current.lines.push(line.slice(1));
    }
  }
  flush();
  return actions;
}

/**
 * The actions behind one tool call, or `null` when Airlock does not know the tool.
 *
 * @example
 * toolCallActions('Bash', { command: 'ls' }) // [{ kind: 'command', argv: ['/bin/sh', '-c', 'ls'] }]
 * toolCallActions('WebFetch', { url: 'https://x' }) // null
 */
export function toolCallActions(tool: string, rawInput: unknown): Action[] | null {
  const input: Input = typeof rawInput === 'object' && rawInput !== null ? (rawInput as Input) : {};
  switch (tool) {
    case 'Bash':
    case 'Shell':
    case 'shell':
    case 'local_shell':
    case 'exec_command':
    case 'container.exec': {
      const command = input.command ?? input.cmd;
      if (Array.isArray(command)) {
        // ["bash", "-lc", "script"] is the common Codex form: check the script itself.
        if (command.length === 3 && /(^|\/)(ba|z|da)?sh$/.test(String(command[0])) && /^-l?c$/.test(String(command[1]))) return [shellAction(String(command[2]))];
        return [shellAction(argvToLine(command))];
      }
      return [shellAction(need(tool, input, 'command', 'cmd'))];
    }
    case 'Write':
      return [{ kind: 'write_file', path: need(tool, input, 'file_path', 'path'), content: str(input, 'content', 'contents') ?? '' }];
    case 'Edit':
      return [{ kind: 'write_file', path: need(tool, input, 'file_path', 'path'), content: str(input, 'new_string') ?? '' }];
    case 'MultiEdit': {
      const edits = Array.isArray(input.edits) ? (input.edits as Input[]) : [];
      return [{ kind: 'write_file', path: need(tool, input, 'file_path', 'path'), content: edits.map((e) => (typeof e?.new_string === 'string' ? e.new_string : '')).join('\n') }];
    }
    case 'NotebookEdit':
      return [{ kind: 'write_file', path: need(tool, input, 'notebook_path', 'file_path'), content: str(input, 'new_source') ?? '' }];
    case 'Read':
      return [{ kind: 'read_file', path: need(tool, input, 'file_path', 'path', 'target_file') }];
    case 'Glob':
    case 'Grep':
    case 'LS': {
      const p = str(input, 'path');
      return [{ kind: 'list_files', ...(p !== undefined ? { path: p } : {}) }];
    }
    case 'apply_patch': {
      const patch = need(tool, input, 'command', 'patch', 'input');
      const actions = patchToActions(patch);
      if (actions.length === 0 && !/\*\*\* Delete File:/.test(patch)) throw new IntegrationError('apply_patch: no "*** Add File:" or "*** Update File:" section in the patch');
      return actions;
    }
    default:
      return null;
  }
}
