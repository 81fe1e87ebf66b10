/**
 * @module integrations/mcp
 * Airlock as an MCP server (SDK v2): the five tools over stdio (`airlock mcp`) and Streamable
 * HTTP (mounted by `airlock serve` at `/mcp`), plus the tool catalog and answer formatting that
 * the framework adapters share. See docs/mcp.md.
 */
export { createMcpServerFactory, type McpServerOptions } from './server.js';
export { createMcpHttpHandler, type McpHttpHandler, type McpHttpHandlerOptions } from './http.js';
export { serveMcpStdio, type McpStdioHandle } from './stdio.js';
export { callAirlockTool, type CallToolOptions } from './call-tool.js';
export { formatRunResult, formatFailure, describeCall, toolOutcomeSchema, type ToolAnswer, type ToolOutcome } from './format.js';
export { AIRLOCK_TOOLS, getToolSpec, toolCallToAction, type AirlockToolName, type AirlockToolSpec, type ToolHints } from './tool-catalog.js';
