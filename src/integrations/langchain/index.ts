/**
 * @module integrations/langchain
 * Airlock's tools for LangChain.js (`@langchain/core` 1.x): `tool()` structured tools whose
 * function runs the call through the pipeline. Each returns `[text, outcome]`
 * (`responseFormat: 'content_and_artifact'`): the text goes to the model, the structured verdict
 * travels as the ToolMessage artifact. `@langchain/core` is an optional peer dependency.
 */
import { tool, type DynamicStructuredTool } from '@langchain/core/tools';
import type { Airlock } from '../../airlock.js';
import type { Requester } from '../../core/contracts.js';
import { callAirlockTool } from '../mcp/call-tool.js';
import type { ToolOutcome } from '../mcp/format.js';
import { AIRLOCK_TOOLS, type AirlockToolName } from '../mcp/tool-catalog.js';

/** Options for `createAirlockLangChainTools`. */
export interface AirlockLangChainOptions {
  airlock: Airlock;
  requester?: Requester | undefined;
  /** Which tools to create (default: all five). */
  include?: readonly AirlockToolName[] | undefined;
}

/** The artifact of each tool message: the verdict and whether the call failed. */
export type AirlockArtifact = ToolOutcome & { isError: boolean };

/**
 * Creates LangChain tools for Airlock's tools.
 *
 * @example
 * const tools = createAirlockLangChainTools({ airlock });
 * const model = chatModel.bindTools(tools);
 */
export function createAirlockLangChainTools(options: AirlockLangChainOptions): DynamicStructuredTool[] {
  const requester: Requester = { agent: 'langchain', ...options.requester };
  return AIRLOCK_TOOLS.filter((spec) => !options.include || options.include.includes(spec.name)).map((spec) => tool(
    async (input: unknown): Promise<[string, AirlockArtifact]> => {
      const answer = await callAirlockTool(options.airlock, spec.name, input, { requester });
      return [answer.text, { ...answer.outcome, isError: answer.isError }];
    },
    { name: spec.name, description: spec.description, schema: spec.inputSchema as never, responseFormat: 'content_and_artifact' },
  ) as unknown as DynamicStructuredTool);
}
