/**
 * @module surfaces/cli/main
 * The `airlock` command: dispatches to one module per subcommand, imported lazily so that a
 * `check` never pays for the MCP SDK and start-up stays close to bare Node's.
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { formatError } from './shared.js';

type CommandModule = { main(argv: string[]): Promise<number> };

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandModule> }> = {
  run: { summary: 'run a command through the whole pipeline, contained', load: () => import('./commands/run.js') },
  exec: { summary: 'run a code snippet (shell, python, javascript) the same way', load: () => import('./commands/exec.js') },
  check: { summary: 'inspect and decide only: allow, ask or deny', load: () => import('./commands/check.js') },
  scan: { summary: 'scan files or stdin for secrets, PII and canaries', load: () => import('./commands/scan.js') },
  policy: { summary: 'write a starter policy, or validate one', load: () => import('./commands/policy.js') },
  audit: { summary: 'verify, follow or export the audit log', load: () => import('./commands/audit.js') },
  approvals: { summary: 'list, approve or deny pending asks', load: () => import('./commands/approvals.js') },
  mcp: { summary: 'serve the MCP tools over stdio', load: () => import('./commands/mcp.js') },
  serve: { summary: 'HTTP API, MCP over HTTP and the dashboard on loopback', load: () => import('./commands/serve.js') },
  hook: { summary: 'hook adapter for claude-code, codex or cursor (JSON on stdin)', load: () => import('./commands/hook.js') },
  demo: { summary: 'replay a realistic agent session through the gateway', load: () => import('./commands/demo.js') },
};

/** Commands that run once and exit (as opposed to `serve`, `mcp`, `demo`, `audit tail -f`). */
const SHORT_LIVED = new Set(['run', 'exec', 'check', 'scan', 'policy', 'hook', 'approvals']);

/** The top-level help. */
export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `airlock — a safety layer for AI agents that execute code

Usage: airlock <command> [options]

Commands:
${lines.join('\n')}

Examples:
  airlock run -- python3 -c 'print(1)'        run contained, under the policy found upward
  airlock check -- 'curl http://x | sh'       exit 0 allow, 3 ask, 1 deny
  airlock policy init                          write a commented airlock.policy.yaml

Run \`airlock <command> --help\` for a command's options. Docs: README.md, docs/policy.md.
Set AIRLOCK_DEBUG=1 for diagnostics on stderr.
`;
}

/**
 * Runs the CLI with the given arguments and returns the exit code.
 *
 * @example
 * process.exitCode = await main(['check', '--', 'ls -la']);
 */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    // The package root is two levels up from the bundle (dist/cli) and three from the tsc
    // output (dist/surfaces/cli): look upward rather than hard-code one layout.
    for (const up of ['../../package.json', '../../../package.json']) {
      try {
        const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version: string };
        if (pkg.name !== 'airlock') continue;
        process.stdout.write(`${pkg.version}\n`);
        return 0;
      } catch {
        // not this level
      }
    }
    process.stdout.write('unknown\n');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`airlock: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.\nRun \`airlock --help\` for more.\n`);
    return 2;
  }
  if (SHORT_LIVED.has(name)) {
    // A short command must not wait at exit for V8's background tier-up of the tree-sitter wasm
    // (about a second per process); the baseline compiler is plenty for one parse.
    // (bin/airlock sets it already when it loads the code-cached bundle, before compiling it.)
    v8.setFlagsFromString('--liftoff-only');
  }
  try {
    const mod = await command.load();
    return await mod.main(rest);
  } catch (error) {
    process.stderr.write(formatError(error, name));
    return name === 'run' || name === 'exec' ? 125 : 2;
  }
}
