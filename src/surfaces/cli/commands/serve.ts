/**
 * @module surfaces/cli/commands/serve
 * `airlock serve`: the HTTP API, MCP over Streamable HTTP at /mcp and the dashboard at /, on
 * loopback by default, until SIGINT/SIGTERM. Also manages API keys (`--add-key`), which are
 * stored hashed in the keys file and shown once.
 */
import os from 'node:os';
import path from 'node:path';
import { loadPolicy } from '../../../load-policy.js';
import { addKeyToFile, type Role } from '../../http/keys.js';
import { startGatewayServer } from '../../http/server.js';
import { parseOptions, UsageError } from '../shared.js';

const HELP = `Usage: airlock serve [--policy F] [--port N] [--host 127.0.0.1] [--data-dir D] [--keys FILE]
       airlock serve --add-key TENANT:ROLE[:NAME] [--data-dir D] [--keys FILE]

Starts the gateway: the HTTP API (/v1, described at /openapi.json), MCP over Streamable HTTP
(/mcp) and the dashboard (/), bound to loopback. Every /v1 and /mcp request needs
"Authorization: Bearer <API key>"; each key has a tenant and a role:
  agent     creates sessions and runs actions (cannot approve)
  reviewer  answers approvals, reads runs and the audit trail (cannot run)
  admin     both
Keys come from the keys file (hashed; default <data-dir>/keys.json) and AIRLOCK_API_KEYS
("tenant:role:key" or "tenant:role:name:key", comma-separated). With no key at all, the first
start creates an admin key for tenant "default" and prints it once.

Options:
  --policy F          policy file (default: airlock.policy.yaml found upward, else built-in)
  --port N            port (default 8787; 0 = any free port)
  --host H            bind address (default 127.0.0.1); anything but loopback needs --allowed-host
  --allowed-host NAME accept this Host header too (repeatable; e.g. behind a reverse proxy)
  --data-dir D        sessions' workspaces, the audit store, keys (default ~/.local/state/airlock)
  --keys FILE         the keys file (default <data-dir>/keys.json)
  --rate-limit N      requests per minute per key (default 600, burst 120)
  --add-key T:R[:N]   create a key for tenant T with role R, print it once, and exit

Docs: docs/http-api.md, docs/dashboard.md.

Examples:
  airlock serve
  airlock serve --add-key acme:reviewer:alice
  AIRLOCK_API_KEYS=acme:agent:ci:$(openssl rand -hex 24) airlock serve --port 9000
`;

/** Entry point of `airlock serve`. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('serve', argv, {
    policy: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    'allowed-host': { type: 'string', multiple: true },
    'data-dir': { type: 'string' },
    keys: { type: 'string' },
    'rate-limit': { type: 'string' },
    'add-key': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError('serve', `unexpected argument "${positionals[0]}"`);
  const dataDir = path.resolve(values['data-dir'] ?? path.join(process.env.XDG_STATE_HOME ?? path.join(os.homedir(), '.local', 'state'), 'airlock'));
  const keysFile = path.resolve(values.keys ?? path.join(dataDir, 'keys.json'));

  if (values['add-key'] !== undefined) {
    const [tenant, role, name] = values['add-key'].split(':');
    if (!tenant || !role) throw new UsageError('serve', `--add-key expects TENANT:ROLE[:NAME], e.g. acme:reviewer:alice; got "${values['add-key']}"`);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(keysFile), { recursive: true, mode: 0o700 });
    const key = addKeyToFile(keysFile, { tenant, role: role as Role, name: name || `${role}-${Date.now().toString(36)}` });
    process.stderr.write(`airlock serve: created a ${role} key for tenant ${tenant} in ${keysFile} (stored hashed; shown only now):\n`);
    process.stdout.write(`${key}\n`);
    return 0;
  }

  const port = values.port === undefined ? 8787 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('serve', `--port expects 0-65535, got "${values.port}"`);
  const perMinute = values['rate-limit'] === undefined ? 600 : Number(values['rate-limit']);
  if (!Number.isFinite(perMinute) || perMinute <= 0) throw new UsageError('serve', `--rate-limit expects a positive number of requests per minute, got "${values['rate-limit']}"`);

  const loaded = loadPolicy({ file: values.policy });
  const server = await startGatewayServer({
    policy: loaded.policy, policySource: loaded.source, policyHash: loaded.hash, dataDir, keysFile,
    host: values.host ?? '127.0.0.1', port, allowedHosts: values['allowed-host'] ?? [],
    rateLimit: { perMinute, burst: Math.max(1, Math.round(perMinute / 5)) },
  });
  process.stderr.write(`airlock serve: listening on ${server.url} (dashboard ${server.url}/, API ${server.url}/v1, MCP ${server.url}/mcp)\n`);
  process.stderr.write(`airlock serve: policy ${loaded.source ?? 'built-in default'} (${loaded.policy.mode}); data in ${dataDir}\n`);
  if (server.createdAdminKey) {
    process.stderr.write(`airlock serve: no API keys yet, so an admin key for tenant "default" was created (stored hashed in ${server.keysFile}; shown only now):\n`);
    process.stdout.write(`${server.createdAdminKey}\n`);
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write('airlock serve: shutting down\n');
  await server.close();
  return 0;
}
