/**
 * @module integrations/hooks/types
 * The one shape every coding-agent hook is translated into (`HookRequest`), the answer Airlock
 * gives (`HookAnswer`), and the codec interface each agent implements (Claude Code, Codex,
 * Cursor): decode the agent's stdin JSON, encode the answer in the agent's dialect (stdout JSON
 * and exit code). Codecs are pure.
 */
import type { Action, Verdict } from '../../core/contracts.js';

/** Agents with a hook codec. */
export type HookAgent = 'claude-code' | 'codex' | 'cursor';

/** A hook event, translated. */
export interface HookRequest {
  agent: HookAgent;
  /** The agent's event name, e.g. `PreToolUse`, `beforeShellExecution`. */
  event: string;
  /** The agent's tool name (`Bash`, `Write`, `mcp__github__create_pr`, …) or the event's subject. */
  tool: string;
  /**
   * `gate`: the agent waits for allow/ask/deny before the tool runs.
   * `observe`: after the fact (PostToolUse, afterFileEdit, …): Airlock has no say.
   */
  mode: 'gate' | 'observe';
  /** What Airlock checks; empty when Airlock does not understand the tool (policy decides). */
  actions: Action[];
  /** The agent's working directory, used to find the policy and the workspace. */
  cwd?: string | undefined;
  session?: string | undefined;
}

/** Airlock's answer to a hook. `none` means "no opinion": the agent's own permission flow goes on. */
export interface HookAnswer {
  verdict: Verdict | 'none';
  /** One or more sentences for the agent/user: what and why (with rule ids). */
  reason: string;
}

/** What the hook process writes and how it exits. */
export interface HookOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** One agent's hook dialect. */
export interface HookCodec {
  agent: HookAgent;
  /** Translates the agent's stdin JSON; throws `IntegrationError` on input it cannot read. */
  decode(input: unknown): HookRequest;
  /** Writes the answer in the agent's dialect. `request` is null when decoding failed. */
  encode(answer: HookAnswer, request: HookRequest | null): HookOutput;
}
