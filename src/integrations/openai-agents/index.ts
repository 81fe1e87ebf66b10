/**
 * @module integrations/openai-agents
 * Airlock for the OpenAI Agents SDK (`@openai/agents` 0.14): function tools that run through the
 * pipeline, and a tool input guardrail that checks any tool's call with `airlock.check` before it
 * runs (deny or ask → `rejectContent` with the reasons, so the model can recover; a check that
 * fails also rejects — never a silent allow). `@openai/agents` is an optional peer dependency.
 */
import { defineToolInputGuardrail, tool, ToolGuardrailFunctionOutputFactory, type FunctionTool, type ToolInputGuardrailDefinition } from '@openai/agents';
import type { Airlock } from '../../airlock.js';
import type { Action, Requester } from '../../core/contracts.js';
import { callAirlockTool } from '../mcp/call-tool.js';
import { AIRLOCK_TOOLS, toolCallToAction, type AirlockToolName } from '../mcp/tool-catalog.js';
import { toolCallActions } from '../hooks/tool-actions.js';

/** Options for `createAirlockAgentTools`. */
export interface AirlockAgentToolsOptions {
  airlock: Airlock;
  requester?: Requester | undefined;
  /** Which tools to create (default: all five). */
  include?: readonly AirlockToolName[] | undefined;
}

/**
 * Creates Agents SDK function tools for Airlock's tools.
 *
 * @example
 * import { Agent } from '@openai/agents';
 * const agent = new Agent({ name: 'coder', tools: createAirlockAgentTools({ airlock }) });
 */
export function createAirlockAgentTools(options: AirlockAgentToolsOptions): FunctionTool[] {
  const requester: Requester = { agent: 'openai-agents', ...options.requester };
  return AIRLOCK_TOOLS.filter((spec) => !options.include || options.include.includes(spec.name)).map((spec) => tool({
    name: spec.name,
    description: spec.description,
    parameters: spec.inputSchema as never,
    execute: async (input: unknown) => (await callAirlockTool(options.airlock, spec.name, input, { requester })).text,
  }) as unknown as FunctionTool);
}

/** Options for `airlockToolInputGuardrail`. */
export interface AirlockGuardrailOptions {
  airlock: Pick<Airlock, 'check'>;
  /**
   * The actions behind a call of one of your tools; `null` = Airlock has no say (allowed).
   * Default: Airlock's own tool names, and Claude-style names (`Bash`/`shell` with `command`,
   * `Write`, `Read`, …).
   */
  toActions?: ((toolName: string, args: unknown) => Action[] | null) | undefined;
  name?: string | undefined;
}

function defaultActions(name: string, args: unknown): Action[] | null {
  const own = toolCallToAction(name, args);
  if (own.ok) return [own.action];
  return toolCallActions(name, args);
}

/**
 * A tool input guardrail: checks each call of the tools it is attached to with `airlock.check`.
 *
 * @example
 * const shell = tool({ name: 'shell', description: 'Run a command', parameters: z.object({ command: z.string() }),
 *   inputGuardrails: [airlockToolInputGuardrail({ airlock })], execute: ({ command }) => myRun(command) });
 */
export function airlockToolInputGuardrail(options: AirlockGuardrailOptions): ToolInputGuardrailDefinition {
  const toActions = options.toActions ?? defaultActions;
  return defineToolInputGuardrail({
    name: options.name ?? 'airlock',
    run: async ({ toolCall }) => {
      try {
        const args: unknown = toolCall.arguments ? JSON.parse(toolCall.arguments) : {};
        const actions = toActions(toolCall.name, args);
        if (!actions || actions.length === 0) return ToolGuardrailFunctionOutputFactory.allow({ checked: false });
        const decisions = await Promise.all(actions.map((a) => options.airlock.check(a)));
        const refused = decisions.filter((d) => d.verdict !== 'allow');
        if (refused.length === 0) return ToolGuardrailFunctionOutputFactory.allow({ checked: true, verdict: 'allow' });
        const verdict = refused.some((d) => d.verdict === 'deny') ? 'deny' : 'ask';
        const why = refused.flatMap((d) => [...d.reasons, ...d.findings.map((f) => `[${f.severity}] ${f.rule}: ${f.message}`)]);
        const head = verdict === 'deny' ? `Airlock refused this ${toolCall.name} call` : `Airlock wants a human to approve this ${toolCall.name} call, and none can here`;
        return ToolGuardrailFunctionOutputFactory.rejectContent(`${head}: ${why.join(' ')} Do not retry it unchanged.`, { checked: true, verdict, decisions });
      } catch (error) {
        return ToolGuardrailFunctionOutputFactory.rejectContent(`Airlock could not check this ${toolCall.name} call (${(error as Error).message}); it was not run.`, { checked: false, error: true });
      }
    },
  });
}
