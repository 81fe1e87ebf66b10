/**
 * @module integrations/mcp/tool-catalog
 * The five Airlock tools as data: name, description, zod input schema, honest annotations and the
 * translation of a tool call into an `Action`. The MCP server and the framework adapters (AI SDK,
 * OpenAI Agents, LangChain) all register these, so a tool means the same thing on every surface.
 * Translation only: no policy here — the pipeline decides.
 */
import { z } from 'zod';
import type { Action } from '../../core/contracts.js';

/** The names of Airlock's tools, as in design.md ("MCP tools"). */
export type AirlockToolName = 'run_command' | 'execute_code' | 'read_file' | 'write_file' | 'list_files';

/** MCP tool annotations: hints clients use for their own approval prompts. */
export interface ToolHints {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** One tool: what it is called, what it takes, and which action a call becomes. */
export interface AirlockToolSpec<S extends z.ZodObject = z.ZodObject> {
  name: AirlockToolName;
  title: string;
  description: string;
  inputSchema: S;
  annotations: ToolHints;
  /** The action a validated call becomes. */
  toAction(input: z.output<S>): Action;
}

const timeoutMs = z.number().int().positive().max(24 * 3600_000)
  .describe('Wall-time limit in milliseconds; the policy\'s limits.timeout applies when absent.').optional();
const workspacePath = z.string().min(1).max(4096);

const runCommand = z.object({
  command: z.string().min(1).max(256 * 1024).describe('A shell command line, run with /bin/sh -c inside the sandbox, in the workspace.'),
  timeoutMs,
});
const executeCode = z.object({
  language: z.enum(['shell', 'python', 'javascript']).describe('shell (bash), python (python3) or javascript (node).'),
  code: z.string().max(1024 * 1024).describe('The program text.'),
  timeoutMs,
});
const readFile = z.object({ path: workspacePath.describe('A path relative to the workspace.') });
const writeFile = z.object({
  path: workspacePath.describe('A path relative to the workspace; parent folders are created.'),
  content: z.string().describe('The whole new content of the file.'),
});
const listFiles = z.object({ path: workspacePath.describe('A folder relative to the workspace (default: the workspace).').optional() });

const spec = <S extends z.ZodObject>(s: AirlockToolSpec<S>): AirlockToolSpec<S> => s;

/**
 * The tool catalog, in the order tools are listed.
 *
 * @example
 * const run = AIRLOCK_TOOLS.find((t) => t.name === 'run_command')!;
 * run.toAction({ command: 'ls -la' }) // { kind: 'command', argv: ['/bin/sh', '-c', 'ls -la'] }
 */
export const AIRLOCK_TOOLS = [
  spec({
    name: 'run_command',
    title: 'Run a shell command (sandboxed)',
    description: 'Runs a shell command line with /bin/sh -c in Airlock\'s sandbox, in the workspace, after the command is inspected and checked against the policy. '
      + 'No network unless the policy allows a host. A refused command comes back as an error result that says which rule refused it and why.',
    inputSchema: runCommand,
    // It can change files in the workspace, and (only when the policy allows hosts) reach the network.
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    toAction: ({ command, timeoutMs: t }) => ({ kind: 'command', argv: ['/bin/sh', '-c', command], ...(t ? { timeoutMs: t } : {}) }),
  }),
  spec({
    name: 'execute_code',
    title: 'Execute code (sandboxed)',
    description: 'Runs a shell, Python or JavaScript snippet in Airlock\'s sandbox, in the workspace, after the code is inspected and checked against the policy. '
      + 'Returns stdout, stderr and the exit code; a refusal comes back as an error result with the reasons.',
    inputSchema: executeCode,
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    toAction: ({ language, code, timeoutMs: t }) => ({ kind: 'code', language, code, ...(t ? { timeoutMs: t } : {}) }),
  }),
  spec({
    name: 'read_file',
    title: 'Read a workspace file',
    description: 'Reads a text file inside the workspace (paths outside it, and paths the policy hides, are refused). Secrets in the content are redacted per the policy.',
    inputSchema: readFile,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    toAction: ({ path }) => ({ kind: 'read_file', path }),
  }),
  spec({
    name: 'write_file',
    title: 'Write a workspace file',
    description: 'Creates or replaces a file inside the workspace with the given content. The content is checked before it is written; paths outside the workspace are refused.',
    inputSchema: writeFile,
    // Replacing a file loses its old content; writing the same content twice has the same effect.
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    toAction: ({ path, content }) => ({ kind: 'write_file', path, content }),
  }),
  spec({
    name: 'list_files',
    title: 'List workspace files',
    description: 'Lists files and folders (two levels deep, without .git) under a folder of the workspace: one line per entry with its type (f file, d folder), size and path.',
    inputSchema: listFiles,
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    toAction: ({ path }) => ({ kind: 'list_files', ...(path !== undefined ? { path } : {}) }),
  }),
] as const;

/**
 * Finds a tool by name.
 *
 * @example
 * getToolSpec('read_file')?.annotations.readOnlyHint // true
 */
export function getToolSpec(name: string): AirlockToolSpec | undefined {
  return (AIRLOCK_TOOLS as readonly AirlockToolSpec[]).find((t) => t.name === name);
}

/**
 * Validates raw tool arguments and turns them into an action; problems come back as values.
 *
 * @example
 * toolCallToAction('run_command', { command: 'ls' }) // { ok: true, action: { kind: 'command', … } }
 */
export function toolCallToAction(name: string, args: unknown): { ok: true; action: Action } | { ok: false; issues: string[] } {
  const tool = getToolSpec(name);
  if (!tool) return { ok: false, issues: [`unknown tool "${name}" (Airlock's tools: ${AIRLOCK_TOOLS.map((t) => t.name).join(', ')})`] };
  // Strict function calling (OpenAI) turns optional fields into required nullable ones: null means absent.
  const cleaned = typeof args === 'object' && args !== null && !Array.isArray(args)
    ? Object.fromEntries(Object.entries(args).filter(([, v]) => v !== null))
    : args;
  const parsed = tool.inputSchema.safeParse(cleaned);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(arguments)'}: ${i.message}`) };
  return { ok: true, action: tool.toAction(parsed.data) };
}
