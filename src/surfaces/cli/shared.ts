/**
 * @module surfaces/cli/shared
 * What every subcommand shares: argument parsing with clear errors, policy loading, error
 * formatting, and the rule that with `--json` stdout carries exactly one JSON object.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatIssues, isAirlockError, SandboxError } from '../../core/errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Config<O extends Options> = { args: string[]; options: O; allowPositionals: true; strict: true };
/** What `parseOptions` returns: typed `values` and the `positionals`. */
export type ParsedOptions<O extends Options> = ReturnType<typeof parseArgs<Config<O>>>;

/** Parses options with node's parser; unknown options are errors that name the option and the help. */
export function parseOptions<O extends Options>(command: string, argv: string[], options: O): ParsedOptions<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(command, (error as Error).message);
  }
}

/** A mistake in the command line: printed with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  constructor(readonly command: string, message: string) {
    super(message);
  }
}
UsageError.prototype.name = 'UsageError';

/** Formats any error for stderr: Airlock errors with their issues and hints, others with a debug hint. */
export function formatError(error: unknown, command: string): string {
  if (error instanceof UsageError) return `airlock ${command}: ${error.message}\nRun \`airlock ${command} --help\` for usage.\n`;
  if (isAirlockError(error)) {
    let text = `airlock ${command}: ${error.message}\n`;
    if (error.issues.length) text += `${formatIssues(error.issues)}\n`;
    if (error instanceof SandboxError && error.hint) text += `hint: ${error.hint}\n`;
    return text;
  }
  const detail = process.env.AIRLOCK_DEBUG ? `\n${(error as Error)?.stack ?? String(error)}` : ' (set AIRLOCK_DEBUG=1 for details)';
  return `airlock ${command}: internal error: ${(error as Error)?.message ?? String(error)}${detail}\n`;
}

/** Writes the one JSON object of `--json` mode to stdout. */
export function writeJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Reads all of stdin as text. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Debug logging, opt-in with AIRLOCK_DEBUG, always to stderr. */
export function debug(message: string): void {
  if (process.env.AIRLOCK_DEBUG) process.stderr.write(`[airlock] ${message}\n`);
}
