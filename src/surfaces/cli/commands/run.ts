/**
 * @module surfaces/cli/commands/run
 * `airlock run [--policy F] [--workspace D] [--json] -- CMD ARG…`: the whole pipeline for one
 * command, then the program's output and exit code.
 */
import { parseOptions, UsageError } from '../shared.js';
import { RUN_OPTIONS, runForCli } from '../run-action.js';

const HELP = `Usage: airlock run [--policy F] [--workspace D] [--json] -- CMD ARG…

Runs CMD through Airlock: inspect, decide, (approve), contain in the sandbox, verify, audit.
Everything after \`--\` is the command, never Airlock's options.

Options:
  --policy F       policy file (default: airlock.policy.yaml found upward, else the built-in default)
  --workspace D    the writable tree (default: the policy's \`workspace\`, i.e. its directory or .)
  --json           print one JSON object (verdict, exitCode, stdout, stderr, findings, limits, …)

Exit codes: the program's own; 126 denied; 125 Airlock failed (e.g. no sandbox available).

Examples:
  airlock run -- python3 -c 'print(1 + 1)'
  airlock run --json -- sh -c 'cat ~/.ssh/id_rsa'     # the file is not there inside
  echo hello | airlock run -- tr a-z A-Z              # stdin is passed through
`;

/** Entry point of `airlock run`. */
export async function main(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const firstWord = own.findIndex((a, i) => !a.startsWith('-') && !['--policy', '--workspace'].includes(own[i - 1] ?? ''));
  if (dash === -1 && firstWord !== -1) {
    throw new UsageError('run', `put \`--\` before the command, so its options are never read as Airlock's: airlock run -- ${own.slice(firstWord).join(' ')}`);
  }
  const { values, positionals } = parseOptions('run', own, RUN_OPTIONS);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError('run', `unexpected argument "${positionals[0]}" before \`--\``);
  const command = dash === -1 ? [] : argv.slice(dash + 1);
  if (command.length === 0) throw new UsageError('run', 'no command given: airlock run -- CMD ARG…');
  return runForCli({ kind: 'command', argv: command }, {
    command: 'run', policy: values.policy, workspace: values.workspace, json: values.json, stdin: 'inherit',
  });
}
