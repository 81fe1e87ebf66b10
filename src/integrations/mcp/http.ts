/**
 * @module integrations/mcp/http
 * MCP over Streamable HTTP: a web-standard `fetch(Request) → Response` handler built with the
 * SDK's `createMcpHandler`, for `airlock serve` to mount at `/mcp` (behind its own API-key,
 * Host and Origin checks — this handler verifies no token and validates no Host header itself).
 */
import { createMcpHandler } from '@modelcontextprotocol/server';
import { createMcpServerFactory, type McpServerOptions } from './server.js';

/** The handler `airlock serve` mounts. */
export interface McpHttpHandler {
  /** Serves one HTTP request (POST/GET/DELETE on the MCP endpoint). */
  fetch(request: Request): Promise<Response>;
  /** Aborts in-flight exchanges and closes their server instances. */
  close(): Promise<void>;
}

/** Options for `createMcpHttpHandler`. */
export interface McpHttpHandlerOptions extends McpServerOptions {
  /** Largest request body accepted, in bytes (default 4 MiB); larger bodies get 413. */
  maxRequestBodySize?: number | undefined;
  /** Called with errors that happen outside a request's answer (reporting only). */
  onError?: ((error: Error) => void) | undefined;
}

/**
 * Creates the MCP Streamable HTTP handler for one pipeline (one session).
 *
 * @example
 * const mcp = createMcpHttpHandler({ airlock, requester: { tenant: 't1', session: 's1' } });
 * app.all('/mcp', (c) => mcp.fetch(c.req.raw));
 */
export function createMcpHttpHandler(options: McpHttpHandlerOptions): McpHttpHandler {
  const handler = createMcpHandler(createMcpServerFactory(options), {
    ...(options.maxRequestBodySize ? { maxRequestBodySize: options.maxRequestBodySize } : {}),
    ...(options.onError ? { onerror: options.onError } : {}),
  });
  return {
    fetch: (request) => handler.fetch(request),
    close: () => handler.close(),
  };
}
