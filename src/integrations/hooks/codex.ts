/**
 * @module integrations/hooks/codex
 * Codex CLI's hook dialect: Claude-compatible input (`hook_event_name`, `tool_name`,
 * `tool_input`, `cwd`), but Codex does not honour "ask" (it would run the call), so an ask is a
 * block that says a human must approve it. Blocks are exit 2 with the reason on stderr; allows
 * print `{}` so Codex's own sandbox and approval policy still apply.
 */
import { blockWithExit2, decodeClaudeStyle } from './claude-code.js';
import type { HookCodec } from './types.js';

/**
 * The Codex codec.
 *
 * @example
 * const req = codexCodec.decode({ hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'git push' } });
 * codexCodec.encode({ verdict: 'ask', reason: 'pushing needs a human' }, req).exitCode // 2
 */
export const codexCodec: HookCodec = {
  agent: 'codex',
  decode: (input) => decodeClaudeStyle('codex', input),
  encode(answer, request) {
    if (answer.verdict === 'deny') return blockWithExit2(answer);
    if (answer.verdict === 'ask' && (!request || request.mode === 'gate')) {
      return blockWithExit2({
        verdict: 'deny',
        reason: `${answer.reason}\nBlocked: Codex hooks cannot ask a human. If the user approves, they can run it themselves, or allow it in airlock.policy.yaml.`,
      });
    }
    return { stdout: '{}\n', stderr: '', exitCode: 0 };
  },
};
