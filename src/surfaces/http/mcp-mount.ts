/**
 * @module surfaces/http/mcp-mount
 * Finds the MCP-over-HTTP handler factory (`createMcpHttpHandler` from `src/integrations/mcp`)
 * at run time, so `airlock serve` works with or without it: `/mcp` answers 501 with a clear
 * message until the integration is present. Looked up next to this module both in the source
 * tree / tsc output (`../../integrations/mcp/index.js`) and in the bundled CLI
 * (`../integrations/mcp/index.js` from `dist/cli/`).
 */
import type { Airlock } from '../../airlock.js';
import type { Requester } from '../../core/contracts.js';

/** What the MCP integration exports for HTTP. */
export interface McpHttpHandler {
  fetch(request: Request): Promise<Response>;
  close(): Promise<void> | void;
}
/** The factory's shape. */
export type McpHttpHandlerFactory = (options: { airlock: Airlock; requester?: Requester }) => McpHttpHandler;

let cached: Promise<McpHttpHandlerFactory | null> | null = null;

/**
 * Loads `createMcpHttpHandler`, or `null` when the MCP integration is not in this build.
 *
 * @example
 * const factory = await loadMcpHandlerFactory();
 */
export function loadMcpHandlerFactory(): Promise<McpHttpHandlerFactory | null> {
  cached ??= (async () => {
    const candidates = ['../../integrations/mcp/index.js', '../../integrations/mcp/index.ts', '../integrations/mcp/index.js'];
    for (const candidate of candidates) {
      try {
        const mod = (await import(new URL(candidate, import.meta.url).href)) as { createMcpHttpHandler?: McpHttpHandlerFactory };
        if (typeof mod.createMcpHttpHandler === 'function') return mod.createMcpHttpHandler;
      } catch {
        // Not at this location; try the next.
      }
    }
    return null;
  })();
  return cached;
}
