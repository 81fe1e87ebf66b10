/**
 * @module surfaces/cli/commands/mcp
 * `airlock mcp [--policy F] [--workspace D]`: Airlock's tools as an MCP server over stdio. stdout
 * is the JSON-RPC channel and carries nothing else; diagnostics go to stderr. Runs until the
 * client closes stdin (or SIGINT/SIGTERM).
 */
import { serveMcpStdio } from '../../../integrations/mcp/index.js';
import { debug, parseOptions, UsageError } from '../shared.js';
import { openAirlock } from '../open-airlock.js';

const HELP = `Usage: airlock mcp [--policy F] [--workspace D]

Serves Airlock's MCP tools over stdio: run_command, execute_code, read_file, write_file,
list_files. Every call goes through the whole pipeline (inspect, decide, approve, sandbox,
verify, audit); a refusal is a tool result with isError: true that says why.

Options:
  --policy F       policy file (default: airlock.policy.yaml found upward, else the built-in default)
  --workspace D    the workspace the tools' paths are relative to (default: the policy's)

Register it with a client, e.g. Claude Code:
  claude mcp add airlock -- npx airlock mcp --workspace "$PWD"
See docs/mcp.md for Codex, Cursor and .mcp.json.
`;

/** Entry point of `airlock mcp`. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('mcp', argv, {
    policy: { type: 'string' },
    workspace: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    // Only on request: a client never passes --help, so stdout stays JSON-RPC in normal use.
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError('mcp', `unexpected argument "${positionals[0]}"`);
  const airlock = openAirlock({
    policy: values.policy,
    workspace: values.workspace,
    requester: { agent: 'mcp' },
    // An ask waits in the approvals queue (up to the policy's approvals.timeout); say so on stderr,
    // which MCP clients show in their server logs.
    approvals: {
      onPending: (a) => process.stderr.write(`airlock mcp: approval needed (${a.id}): ${a.summary}\n  answer: airlock approvals approve ${a.id}  |  airlock approvals deny ${a.id}\n`),
    },
  });
  debug(`mcp: serving stdio, workspace ${airlock.policy.workspace}`);
  const handle = serveMcpStdio({ airlock, requester: { agent: 'mcp', user: process.env.USER ?? 'unknown' } });
  await new Promise<void>((resolve) => {
    process.stdin.once('close', resolve);
    process.stdin.once('end', resolve);
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await handle.close();
  await airlock.close();
  return 0;
}
