/**
 * @module integrations/mcp/stdio
 * MCP over stdio with the SDK's `serveStdio`. stdout is the JSON-RPC channel: nothing else may
 * ever be written there, so diagnostics go to stderr.
 */
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { createMcpServerFactory, type McpServerOptions } from './server.js';

/** A running stdio server. */
export interface McpStdioHandle {
  close(): Promise<void>;
}

/**
 * Serves Airlock's tools on the process's stdin/stdout until stdin closes.
 *
 * @example
 * const handle = serveMcpStdio({ airlock });
 * process.once('SIGTERM', () => void handle.close());
 */
export function serveMcpStdio(options: McpServerOptions & { onError?: (error: Error) => void }): McpStdioHandle {
  return serveStdio(createMcpServerFactory(options), {
    onerror: options.onError ?? ((error) => process.stderr.write(`airlock mcp: ${error.message}\n`)),
  });
}
