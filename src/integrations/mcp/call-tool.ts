/**
 * @module integrations/mcp/call-tool
 * One tool call, end to end: validate the arguments, translate them into an `Action`, run it
 * through the pipeline (`airlock.run`), and format the answer. Every surface that exposes
 * Airlock's tools (MCP, AI SDK, OpenAI Agents, LangChain) calls this, so none of them can forget
 * a step. Never throws: failures are answers with `isError: true`.
 */
import type { Airlock } from '../../airlock.js';
import type { Requester } from '../../core/contracts.js';
import { IntegrationError } from '../../core/errors.js';
import { describeCall, formatFailure, formatRunResult, type ToolAnswer } from './format.js';
import { toolCallToAction } from './tool-catalog.js';

/** Per-call options of `callAirlockTool`. */
export interface CallToolOptions {
  requester?: Requester | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * Runs one of Airlock's tools through the whole pipeline and returns the answer for the model.
 *
 * @example
 * const answer = await callAirlockTool(airlock, 'run_command', { command: 'echo hi' });
 * answer.text // 'hi'
 */
export async function callAirlockTool(airlock: Airlock, name: string, args: unknown, options: CallToolOptions = {}): Promise<ToolAnswer> {
  const record = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>;
  const what = describeCall(name, record);
  const translated = toolCallToAction(name, args);
  if (!translated.ok) return formatFailure(what, new IntegrationError(`invalid arguments: ${translated.issues.join('; ')}`));
  try {
    const result = await airlock.run(translated.action, {
      ...(options.requester ? { requester: options.requester } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return formatRunResult(what, result);
  } catch (error) {
    return formatFailure(what, error);
  }
}
