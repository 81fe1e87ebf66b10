/**
 * @module surfaces/cli/run-action
 * What `airlock run` and `airlock exec` share: load the policy, run the action through the
 * pipeline, stream or print the result, and map it to the exit codes of design.md (the
 * program's own; 126 when denied; 125 when Airlock failed).
 */
import type { Action, RunResult } from '../../core/contracts.js';
import { openAirlock } from './open-airlock.js';
import { formatError, writeJson } from './shared.js';

/** Exit code for a denied action. */
export const EXIT_DENIED = 126;
/** Exit code when Airlock itself failed. */
export const EXIT_AIRLOCK_FAILED = 125;

/** The command-line options `run` and `exec` share (parseArgs form). */
export const RUN_OPTIONS = {
  policy: { type: 'string' },
  workspace: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Options common to `run` and `exec`. */
export interface CliRunOptions {
  command: 'run' | 'exec';
  policy?: string | undefined;
  workspace?: string | undefined;
  json?: boolean | undefined;
  stdin: 'inherit' | 'ignore';
}

/** Runs an action for the CLI and returns the exit code. */
export async function runForCli(action: Action, options: CliRunOptions): Promise<number> {
  let result: RunResult;
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const airlock = openAirlock({
      policy: options.policy,
      workspace: options.workspace,
      requester: { agent: 'cli' },
      oneShot: true,
      approvals: {
        prompt: 'auto',
        onPending: (p) => {
          if (process.stdin.isTTY && process.stderr.isTTY) return;
          process.stderr.write(`airlock: approval needed for: ${p.summary}\n  ${p.verdictReasons.join('\n  ')}\n` +
            `  waiting until ${p.expiresAt}; answer from another terminal with:\n    airlock approvals approve ${p.id}   (or: airlock approvals deny ${p.id})\n`);
        },
      },
    });
    result = await airlock.run(action, {
      stdin: options.stdin,
      signal: controller.signal,
      ...(options.json ? {} : { onStdout: (c: Buffer) => process.stdout.write(c), onStderr: (c: Buffer) => process.stderr.write(c) }),
    });
    await airlock.close();
  } catch (error) {
    if (options.json) writeJson({ verdict: 'deny', error: { code: (error as { code?: string }).code ?? 'internal', message: (error as Error).message } });
    process.stderr.write(formatError(error, options.command));
    return EXIT_AIRLOCK_FAILED;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if (options.json) writeJson(result);
  else reportToStderr(result);
  if (!result.ran) return EXIT_DENIED;
  return result.exitCode ?? EXIT_AIRLOCK_FAILED;
}

function reportToStderr(r: RunResult): void {
  const lines: string[] = [];
  if (!r.ran) {
    lines.push(`airlock: ${r.verdict === 'deny' ? 'denied' : r.verdict}: ${r.reasons.join(' ') || 'refused by policy'}`);
    for (const f of r.findings) lines.push(`  - [${f.severity}] ${f.rule}: ${f.message}`);
  } else {
    if (r.limits.timedOut) lines.push(`airlock: stopped after the ${r.limits.enforced.timeout?.value ?? '?'} ms time limit`);
    if (r.limits.memoryExceeded) lines.push('airlock: the program hit the memory limit');
    if (r.limits.processesExceeded) lines.push('airlock: the program hit the process limit');
    if (r.limits.cpuExceeded) lines.push('airlock: the program hit the CPU time limit');
    if (r.limits.fileSizeExceeded) lines.push('airlock: the program hit the file size limit');
    if (r.limits.outputTruncated) lines.push(`airlock: output cut at ${r.limits.enforced.output?.value ?? '?'} bytes per stream`);
    if (r.redacted) {
      // Say what happened to the output: withheld (and why), or which matches were masked.
      for (const reason of r.reasons) lines.push(`airlock: ${reason}`);
      lines.push('airlock: output was redacted (see `--json` for findings)');
    }
    for (const n of r.network.filter((a) => !a.allowed)) lines.push(`airlock: network: refused ${n.host}:${n.port}${n.reason ? ` (${n.reason})` : ''}`);
  }
  if (lines.length) process.stderr.write(`${lines.join('\n')}\n`);
}
