/**
 * @module integrations/hooks/run-hook
 * One hook invocation: parse the agent's stdin, decode it with the agent's codec, get a checker
 * (the pipeline for the policy of the agent's working directory), decide, encode. Catches
 * everything: any failure becomes a block that says what went wrong, never a crash (a crashing
 * hook exits 1, which every supported agent reads as "go ahead").
 */
import { formatIssues, isAirlockError } from '../../core/errors.js';
import { decideHook, type HookChecker } from './decide.js';
import type { HookAnswer, HookCodec, HookOutput, HookRequest } from './types.js';

/** Options for `runHook`. */
export interface RunHookOptions {
  /** Returns the pipeline to check with, for the request's working directory. Called for gates only. */
  checker(request: HookRequest): HookChecker | Promise<HookChecker>;
  /** Answer "no opinion" instead of `allow` when nothing is wrong. */
  passthroughAllow?: boolean | undefined;
}

const describe = (error: unknown): string => {
  if (isAirlockError(error)) return error.issues.length ? `${error.message} ${formatIssues(error.issues).replace(/\s*\n\s*/g, '; ')}` : error.message;
  return (error as Error)?.message ?? String(error);
};

const failure = (stage: string, error: unknown): HookAnswer => ({
  verdict: 'deny',
  reason: `Airlock blocked this call because it could not ${stage}: ${describe(error)}. `
    + 'Fix the hook set-up (see docs/hooks.md) or the policy; Airlock does not let unchecked calls through.',
});

function safeEncode(codec: HookCodec, answer: HookAnswer, request: HookRequest | null): HookOutput {
  try {
    return codec.encode(answer, request);
  } catch (error) {
    return { stdout: '', stderr: `${answer.reason}\nAirlock: could not encode the answer: ${(error as Error).message}\n`, exitCode: 2 };
  }
}

/**
 * Runs one hook: stdin text in, what to print and the exit code out. Never throws.
 *
 * @example
 * const out = await runHook(claudeCodeCodec, stdinText, { checker: () => airlock });
 * process.stdout.write(out.stdout); process.stderr.write(out.stderr); process.exitCode = out.exitCode;
 */
export async function runHook(codec: HookCodec, stdinText: string, options: RunHookOptions): Promise<HookOutput> {
  let request: HookRequest;
  try {
    request = codec.decode(JSON.parse(stdinText));
  } catch (error) {
    const why = error instanceof SyntaxError ? new Error(`stdin is not JSON (${error.message})`) : error;
    return safeEncode(codec, failure(`read the ${codec.agent} hook input`, why), null);
  }
  if (request.mode === 'observe') return safeEncode(codec, { verdict: 'none', reason: '' }, request);
  let checker: HookChecker;
  try {
    checker = await options.checker(request);
  } catch (error) {
    return safeEncode(codec, failure('load the policy', error), request);
  }
  let answer: HookAnswer;
  try {
    answer = await decideHook(request, checker, { passthroughAllow: options.passthroughAllow });
  } catch (error) {
    answer = failure('decide', error);
  }
  return safeEncode(codec, answer, request);
}
