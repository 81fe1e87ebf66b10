/**
 * @module integrations/ai-sdk
 * Airlock's tools for the Vercel AI SDK (`ai` ≥ 5; tested with 6): `tool({ description,
 * inputSchema, execute })` definitions whose `execute` runs the call through the pipeline. A
 * refusal is a normal tool result (`isError: true` with the reasons), so the model can recover;
 * nothing here decides anything. `ai` is an optional peer dependency: import this subpath only
 * when you use the AI SDK.
 */
import { tool, type Tool } from 'ai';
import type { Airlock } from '../../airlock.js';
import type { Requester } from '../../core/contracts.js';
import { callAirlockTool } from '../mcp/call-tool.js';
import type { ToolOutcome } from '../mcp/format.js';
import { AIRLOCK_TOOLS, type AirlockToolName } from '../mcp/tool-catalog.js';

/** What an Airlock tool returns to the model: the text, whether it failed, and the verdict. */
export interface AirlockToolResult extends ToolOutcome {
  /** The answer as text (program output, or what was refused and why). */
  text: string;
  isError: boolean;
}

/** Options for `createAirlockTools`. */
export interface AirlockToolsOptions {
  airlock: Airlock;
  requester?: Requester | undefined;
  /** Which tools to create (default: all five). */
  include?: readonly AirlockToolName[] | undefined;
}

/**
 * Creates AI SDK tools for Airlock's tools, keyed by name, ready for `generateText({ tools })`.
 *
 * @example
 * import { generateText } from 'ai';
 * const tools = createAirlockTools({ airlock, include: ['run_command', 'execute_code'] });
 * await generateText({ model, tools, prompt: 'How many lines in README.md?' });
 */
export function createAirlockTools(options: AirlockToolsOptions): Partial<Record<AirlockToolName, Tool<unknown, AirlockToolResult>>> {
  const requester: Requester = { agent: 'ai-sdk', ...options.requester };
  const tools: Partial<Record<AirlockToolName, Tool<unknown, AirlockToolResult>>> = {};
  for (const spec of AIRLOCK_TOOLS) {
    if (options.include && !options.include.includes(spec.name)) continue;
    tools[spec.name] = tool<unknown, AirlockToolResult>({
      title: spec.title,
      description: spec.description,
      inputSchema: spec.inputSchema as never,
      execute: async (input, { abortSignal }) => {
        const answer = await callAirlockTool(options.airlock, spec.name, input, { requester, signal: abortSignal });
        return { text: answer.text, isError: answer.isError, ...answer.outcome };
      },
    });
  }
  return tools;
}
