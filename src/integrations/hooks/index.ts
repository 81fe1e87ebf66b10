/**
 * @module integrations/hooks
 * Hook adapters for coding agents (`airlock hook claude-code|codex|cursor`): one codec per agent
 * translating its stdin JSON into a `HookRequest` and Airlock's answer back into its dialect.
 * Hooks only decide (`airlock.check`); they never run anything. See docs/hooks.md.
 */
import { IntegrationError } from '../../core/errors.js';
import { claudeCodeCodec } from './claude-code.js';
import { codexCodec } from './codex.js';
import { cursorCodec } from './cursor.js';
import type { HookCodec } from './types.js';

export { claudeCodeCodec, codexCodec, cursorCodec };
export { decideHook, type DecideHookOptions, type HookChecker } from './decide.js';
export { runHook, type RunHookOptions } from './run-hook.js';
export { toolCallActions, patchToActions, shellAction } from './tool-actions.js';
export type { HookAgent, HookAnswer, HookCodec, HookOutput, HookRequest } from './types.js';

/** The codecs by agent name. */
export const HOOK_CODECS: Readonly<Record<string, HookCodec>> = {
  'claude-code': claudeCodeCodec,
  codex: codexCodec,
  cursor: cursorCodec,
};

/**
 * The codec for an agent name; throws `IntegrationError` naming the choices.
 *
 * @example
 * getHookCodec('codex').agent // 'codex'
 */
export function getHookCodec(agent: string): HookCodec {
  const codec = HOOK_CODECS[agent];
  if (!codec) throw new IntegrationError(`unknown agent "${agent}" (expected one of: ${Object.keys(HOOK_CODECS).join(', ')})`);
  return codec;
}
