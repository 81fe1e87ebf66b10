/**
 * @module sandbox/network
 * Egress control for one run: `startEgress()` starts an HTTP/CONNECT proxy and a SOCKS5 proxy on
 * unix sockets in a fresh host directory, and returns what the runner needs to reach them from
 * inside the sandbox (the directory to bind at `/run/airlock-net`, proxy variables, and an argv
 * prelude that bridges loopback ports to the sockets with `airlock-splice`, or socat without it).
 * Every attempt is decided against the policy (`rules.ts`), metered and limited (`ledger.ts`), and
 * listed by `attempts()`.
 */
import { promises as dns } from 'node:dns';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { NetworkAttempt } from '../../core/contracts.js';
import { ConfigError, SandboxError } from '../../core/errors.js';
import type { Policy } from '../../policy/schema.js';
import { hostAddresses } from './address.js';
import {
  bridgePrelude, CA_BUNDLE, CA_CERT, HTTP_SOCKET, proxyEnv, SANDBOX_NET_DIR, SOCKS_SOCKET,
} from './bridge.js';
import { createRunCa, type RunCa } from './ca.js';
import type { Credential, EgressContext } from './context.js';
import { plainHttpAgent } from './forward.js';
import { createHttpProxy } from './http-proxy.js';
import { EgressLedger } from './ledger.js';
import { parseHostRule, parseLocalEndpoint, type Resolver } from './rules.js';
import { createSocksProxy } from './socks5.js';
import { findSpliceHelper, SANDBOX_SPLICE_PATH } from './splice.js';

export { bridgePrelude, proxyEnv, SANDBOX_NET_DIR, HTTP_PORT, SOCKS_PORT, BRIDGE_FAILED_STATUS } from './bridge.js';
export { decideTarget, parseHostRule, parseLocalEndpoint, matchesHost, type Resolver, type RuleSet, type TargetDecision } from './rules.js';
export { findSpliceHelper, SANDBOX_SPLICE_PATH, SPLICE_AFTER_BYTES } from './splice.js';
export { refusedAddress, parseIpLiteral, hostAddresses, METADATA_NAMES } from './address.js';

/** Options of one egress session. */
export interface EgressOptions {
  runId: string;
  /** Called once per attempt: at once when refused, when the connection ends when allowed. */
  onAttempt?: (a: NetworkAttempt) => void;
  /** Tokens that must never leave; a request or stream carrying one is refused or cut. */
  canaryTokens?: string[];
  /** Name resolution (default: the system resolver). Loopback/private answers are still refused. */
  resolve?: Resolver;
  /** Extra CA certificates (PEM) trusted for upstream TLS of brokered hosts; default: the system store. */
  upstreamCa?: string[];
  /** Until request headers / a SOCKS handshake are complete. Default 10 s. */
  handshakeTimeoutMs?: number;
  /** A connection idle both ways this long is closed. Default 5 min. */
  idleTimeoutMs?: number;
  /** Largest request header block accepted. Default 32 KiB. */
  maxHeaderBytes?: number;
  /** socat as seen inside the sandbox (the host's `/usr` is mounted there). Default `/usr/bin/socat`. */
  socatPath?: string;
  /**
   * The `airlock-splice` helper (host path), or false for none. Default: the one built into
   * `dist/native/` when present (see `splice.ts`). It becomes the in-sandbox bridge (mounted
   * read-only at `/run/airlock-splice`) and moves the download side of large opaque tunnels.
   * Without it: socat and the Node relay.
   */
  spliceHelper?: string | false;
  /** Environment the brokered secrets are read from. Default `process.env`. */
  secretsEnv?: NodeJS.ProcessEnv;
}

/** A running egress session; see `startEgress`. */
export interface EgressSession {
  /** Host directory holding the unix sockets (and the CA bundle); bind it at `/run/airlock-net`. */
  socketDir: string;
  /** Proxy variables (and CA variables when credentials are brokered) for the sandbox. */
  env: Record<string, string>;
  /** argv prefix run inside the sandbox: starts the bridges, waits, execs the rest. */
  prelude: string[];
  /** Extra read-only files to bind: the splice helper when there is one (the CA bundle is inside `socketDir`). */
  binds?: { host: string; sandbox: string }[];
  /** Every attempt so far (allowed and refused), with bytes up and down. */
  attempts(): NetworkAttempt[];
  /** Stops both proxies, cuts live connections, deletes the sockets and the CA key. */
  close(): Promise<void>;
}

const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

const systemResolver: Resolver = async (host) => (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Starts the egress proxies of one run.
 *
 * @example
 * const egress = await startEgress(policy.network, { runId: 'r1', onAttempt: (a) => log(a) });
 * // runner: bind egress.socketDir at /run/airlock-net, add egress.env, argv = [...egress.prelude, ...argv]
 * const result = { network: egress.attempts() };
 * await egress.close();
 */
export async function startEgress(network: Policy['network'], options: EgressOptions): Promise<EgressSession> {
  const secretsEnv = options.secretsEnv ?? process.env;
  const issues: string[] = [];
  const local = network.local.flatMap((entry, i) => {
    try {
      return [parseLocalEndpoint(entry)];
    } catch {
      issues.push(`network.local[${i}]: "${entry}" is not an address and port like "127.0.0.1:5173"`);
      return [];
    }
  });
  const credentials: Credential[] = [];
  network.credentials.forEach((c, i) => {
    const secret = secretsEnv[c.env];
    if (secret === undefined || secret === '') {
      issues.push(`network.credentials[${i}].env: ${c.env} is not set in Airlock's environment (set it, or remove the entry)`);
      return;
    }
    if (/[\r\n\0]/.test(secret)) {
      issues.push(`network.credentials[${i}].env: ${c.env} contains a line break or NUL, which cannot go in a header`);
      return;
    }
    const rule = parseHostRule(c.host);
    credentials.push({ rule, header: c.header.toLowerCase(), value: `${c.prefix}${secret}`, secret });
  });
  if (issues.length) throw new ConfigError(issues.join('; '));
  const splice = options.spliceHelper === false ? undefined : options.spliceHelper ?? findSpliceHelper();
  const socat = options.socatPath ?? ['/usr/bin/socat', '/bin/socat'].find((f) => existsSync(f));
  if (!socat && !splice) {
    throw new SandboxError('unsupported', 'network: socat is not installed, so the sandbox cannot reach the egress proxy.', {
      hint: 'Install it (`apt-get install -y socat`), or remove network.allow / network.local from the policy.',
    });
  }

  const socketDir = mkdtempSync(path.join(os.tmpdir(), 'airlock-net-'));
  // Only our uid (which the sandbox maps to) may reach the proxies: another local user must not be
  // able to borrow this run's allow list or brokered credentials.
  chmodSync(socketDir, 0o700);
  let ca: RunCa | undefined;
  const servers: (http.Server | net.Server)[] = [];
  const ledger = new EgressLedger({
    maxRequests: network.maxRequests, maxBytesOut: network.maxBytesOut, canaryTokens: options.canaryTokens, onAttempt: options.onAttempt,
  });
  const ctx: EgressContext = {
    rules: {
      allow: network.allow.map(parseHostRule), deny: network.deny.map(parseHostRule), local,
      own: hostAddresses(), resolve: options.resolve ?? systemResolver,
    },
    ledger,
    credentials,
    ca: undefined,
    timeouts: { handshakeMs: options.handshakeTimeoutMs ?? 10_000, idleMs: options.idleTimeoutMs ?? 300_000 },
    maxHeaderBytes: options.maxHeaderBytes ?? 32 * 1024,
    httpAgent: plainHttpAgent(),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 32 }),
    upstreamCa: options.upstreamCa,
    live: new Set(),
    closed: false,
    spliceHelper: splice,
  };
  const cleanup = (): void => {
    ctx.closed = true;
    for (const s of ctx.live) s.destroy();
    for (const s of servers) s.close();
    ctx.httpAgent.destroy();
    ctx.httpsAgent.destroy();
    ca?.dispose();
    rmSync(socketDir, { recursive: true, force: true });
  };
  try {
    let env = proxyEnv();
    if (credentials.length > 0) {
      ca = await createRunCa(options.runId, credentials.map((c) => c.rule.host));
      ctx.ca = ca;
      const system = SYSTEM_BUNDLES.find((f) => existsSync(f));
      writeFileSync(path.join(socketDir, CA_CERT), ca.certPem, { mode: 0o444 });
      writeFileSync(path.join(socketDir, CA_BUNDLE), `${system ? readFileSync(system, 'utf8') : ''}\n${ca.certPem}`, { mode: 0o444 });
      env = proxyEnv(`${SANDBOX_NET_DIR}/${CA_BUNDLE}`, `${SANDBOX_NET_DIR}/${CA_CERT}`);
    }
    const httpServer = createHttpProxy(ctx);
    const socksServer = createSocksProxy(ctx);
    servers.push(httpServer, socksServer);
    await Promise.all([
      listen(httpServer, path.join(socketDir, HTTP_SOCKET)),
      listen(socksServer, path.join(socketDir, SOCKS_SOCKET)),
    ]);
    let closing: Promise<void> | undefined;
    return {
      socketDir,
      env,
      prelude: splice ? bridgePrelude({ splice: SANDBOX_SPLICE_PATH }) : bridgePrelude({ ...(socat ? { socat } : {}) }),
      binds: splice ? [{ host: splice, sandbox: SANDBOX_SPLICE_PATH }] : [],
      attempts: () => ledger.list(),
      close: () => (closing ??= Promise.resolve().then(cleanup)),
    };
  } catch (err) {
    cleanup();
    if (err instanceof ConfigError || err instanceof SandboxError) throw err;
    throw new SandboxError('spawn', `network: could not start the egress proxy: ${(err as Error).message}`, { cause: err });
  }
}

function listen(server: http.Server | net.Server, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(file, () => {
      server.removeListener('error', reject);
      chmodSync(file, 0o600);
      resolve();
    });
  });
}
