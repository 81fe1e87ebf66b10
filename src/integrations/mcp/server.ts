/**
 * @module integrations/mcp/server
 * The MCP server (official SDK v2): registers Airlock's five tools on an `McpServer` and answers
 * each call through the pipeline. A factory, because the SDK builds one server per stdio
 * connection and one per HTTP request. Denials and asks are tool results with `isError: true`,
 * never protocol errors; every result carries the verdict as `structuredContent`.
 */
import { McpServer, type ServerContext } from '@modelcontextprotocol/server';
import type { Airlock } from '../../airlock.js';
import type { Requester } from '../../core/contracts.js';
import { callAirlockTool } from './call-tool.js';
import { toolOutcomeSchema } from './format.js';
import { AIRLOCK_TOOLS } from './tool-catalog.js';

/** Options for `createMcpServerFactory`. */
export interface McpServerOptions {
  /** The pipeline every call goes through. */
  airlock: Airlock;
  /** Who is calling, recorded with each run (default `{ agent: 'mcp' }`). */
  requester?: Requester | undefined;
  /** The server name announced to clients (default `airlock`). */
  name?: string | undefined;
  /** The version announced to clients. */
  version?: string | undefined;
  /**
   * While a call runs (or waits for a human approval), send a progress notification this often,
   * when the client asked for progress (default 10 s; 0 = never). Clients that reset their
   * request timeout on progress then wait as long as the approval takes.
   */
  progressIntervalMs?: number | undefined;
}

/** Sends periodic progress for one call until stopped; failures to notify are ignored. */
function keepAlive(ctx: ServerContext, everyMs: number): () => void {
  const token = ctx?.mcpReq?._meta?.progressToken;
  if (token === undefined || everyMs <= 0) return () => {};
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
    const message = `Airlock: still working (running in the sandbox, or waiting for a human approval: airlock approvals list) — ${Math.round((ticks * everyMs) / 1000)} s`;
    ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: ticks, message } }).catch(() => {});
  }, everyMs);
  timer.unref?.();
  return () => clearInterval(timer);
}

const INSTRUCTIONS = 'Airlock runs commands and code in a sandbox after checking them against a policy. '
  + 'Paths are relative to the workspace. A refused call returns an error result that says which rule refused it and why: '
  + 'do not retry it unchanged; find another way or ask the user.';

/**
 * Returns a factory of MCP servers exposing `run_command`, `execute_code`, `read_file`,
 * `write_file` and `list_files`, all bound to one pipeline.
 *
 * @example
 * import { serveStdio } from '@modelcontextprotocol/server/stdio';
 * serveStdio(createMcpServerFactory({ airlock }));
 */
export function createMcpServerFactory(options: McpServerOptions): () => McpServer {
  const requester: Requester = { agent: 'mcp', ...options.requester };
  return () => {
    const server = new McpServer(
      { name: options.name ?? 'airlock', version: options.version ?? '0.1.0' },
      { capabilities: { tools: {} }, instructions: INSTRUCTIONS },
    );
    for (const tool of AIRLOCK_TOOLS) {
      server.registerTool(tool.name, {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: toolOutcomeSchema,
        annotations: { title: tool.title, ...tool.annotations },
      }, async (args: unknown, ctx: ServerContext) => {
        const stop = keepAlive(ctx, options.progressIntervalMs ?? 10_000);
        const answer = await callAirlockTool(options.airlock, tool.name, args, { requester, signal: ctx?.mcpReq?.signal }).finally(stop);
        return {
          content: [{ type: 'text' as const, text: answer.text }],
          structuredContent: { ...answer.outcome },
          isError: answer.isError,
        };
      });
    }
    return server;
  };
}
