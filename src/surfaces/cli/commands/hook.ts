/**
 * @module surfaces/cli/commands/hook
 * `airlock hook claude-code|codex|cursor [--policy F] [--workspace D] [--passthrough-allow]`:
 * reads the agent's hook JSON on stdin, decides with the policy of the agent's working directory
 * (`airlock.check` only — nothing is run), and answers in the agent's dialect on stdout with its
 * exit codes. Every failure, including a bad command line, is answered as a block: a hook that
 * crashes (exit 1) would let the call through.
 */
import v8 from 'node:v8';
import type { Airlock } from '../../../airlock.js';
import { getHookCodec, HOOK_CODECS, runHook, type HookOutput } from '../../../integrations/hooks/index.js';
import { parseOptions, readStdin } from '../shared.js';
import { openAirlock } from '../open-airlock.js';

const HELP = `Usage: airlock hook claude-code|codex|cursor [--policy F] [--workspace D] [--passthrough-allow]

Reads a coding agent's hook JSON on stdin and answers allow, ask or deny in the agent's own
protocol, after inspecting the tool call against the policy (found upward from the agent's cwd).
Nothing is run. Anything Airlock cannot read or decide is blocked, with the reason.

  claude-code   PreToolUse (Bash, Write, Edit, MultiEdit, Read, Glob, Grep, …), PermissionRequest
  codex         PreToolUse (shell commands, apply_patch); "ask" becomes a block (Codex cannot ask)
  cursor        beforeShellExecution, beforeReadFile, beforeMCPExecution, preToolUse

Options:
  --policy F            policy file (default: airlock.policy.yaml found upward from the agent's cwd)
  --workspace D         workspace (default: the policy's)
  --passthrough-allow   when nothing is wrong, give no opinion instead of "allow" (keeps the agent's prompts)

Configuration for each agent: docs/hooks.md.
`;

function write(out: HookOutput): number {
  if (out.stdout) process.stdout.write(out.stdout);
  if (out.stderr) process.stderr.write(out.stderr);
  return out.exitCode;
}

/** Entry point of `airlock hook`. */
export async function main(argv: string[]): Promise<number> {
  // A hook process decides once and exits; the agent waits for it on every tool call. V8's
  // optimizing tier compiles the tree-sitter WASM parsers in background threads that process
  // exit then waits for (~1 s here); the baseline compiler alone is plenty for one short input.
  v8.setFlagsFromString('--liftoff-only');
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  const agent = argv[0] ?? '';
  let codec;
  let values: { policy?: string | undefined; workspace?: string | undefined; 'passthrough-allow'?: boolean | undefined };
  try {
    codec = getHookCodec(agent);
    const parsed = parseOptions('hook', argv.slice(1), {
      policy: { type: 'string' },
      workspace: { type: 'string' },
      'passthrough-allow': { type: 'boolean' },
    });
    if (parsed.positionals.length) throw new Error(`unexpected argument "${parsed.positionals[0]}"`);
    values = parsed.values;
  } catch (error) {
    // A broken hook command line must block, not crash: exit 2 is "block" for every agent.
    process.stderr.write(`airlock hook: ${(error as Error).message}\nBlocked (exit 2). Usage: airlock hook ${Object.keys(HOOK_CODECS).join('|')} [--policy F] [--workspace D] [--passthrough-allow]\n`);
    return 2;
  }
  let input: string;
  try {
    input = await readStdin();
  } catch (error) {
    input = `<${(error as Error).message}>`;
  }
  let airlock: Airlock | undefined;
  const out = await runHook(codec, input, {
    passthroughAllow: values['passthrough-allow'],
    checker: (request) => {
      airlock = openAirlock({
        policy: values.policy,
        workspace: values.workspace,
        cwd: request.cwd,
        requester: { agent: codec.agent, ...(request.session ? { session: request.session } : {}) },
      });
      return airlock;
    },
  });
  const code = write(out);
  await airlock?.close().catch(() => undefined);
  return code;
}
