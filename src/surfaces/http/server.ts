/**
 * @module surfaces/http/server
 * Starts the gateway on a socket: the gateway core, the key ring (keys file plus
 * `AIRLOCK_API_KEYS`, and a freshly created admin key on first start), the Hono app, and
 * `@hono/node-server` bound to loopback by default. `startGatewayServer` is what `airlock serve`,
 * `airlock demo`, the tests and the benchmark all call.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { ConfigError } from '../../core/errors.js';
import { createApp } from './app.js';
import { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
import { isLoopbackName } from './guards.js';
import { addKeyToFile, createKeyRing, parseKeysEnv, readKeysFile, type KeyRecord } from './keys.js';

/** Options for `startGatewayServer`. */
export interface ServerOptions extends GatewayOptions {
  /** Bind address (default 127.0.0.1). */
  host?: string;
  /** Port (default 8787; 0 picks a free one). */
  port?: number;
  /** The keys file (default `<dataDir>/keys.json`). */
  keysFile?: string;
  /** `AIRLOCK_API_KEYS`-style text (default: the environment variable). */
  keysEnv?: string | undefined;
  /** Extra records (already hashed), e.g. created in memory by tests or the demo. */
  extraKeys?: KeyRecord[];
  /** Create an admin key in the keys file when no key exists at all (default true). */
  bootstrapAdmin?: boolean;
  /** Host names accepted besides loopback names (needed for a non-loopback bind). */
  allowedHosts?: string[];
  maxBodyBytes?: number;
  rateLimit?: { perMinute: number; burst: number };
}

/** A running server. */
export interface GatewayServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly gateway: Gateway;
  /** The admin key created on this start (first start only), shown once. */
  readonly createdAdminKey: string | null;
  readonly keysFile: string;
  close(): Promise<void>;
}

/**
 * Starts the gateway.
 *
 * @example
 * const server = await startGatewayServer({ policy, dataDir: '/tmp/gw', port: 0 });
 * console.log(server.url, server.createdAdminKey);
 * await server.close();
 */
export async function startGatewayServer(options: ServerOptions): Promise<GatewayServer> {
  const host = options.host ?? '127.0.0.1';
  const loopback = isLoopbackName(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);
  if (!loopback && !(options.allowedHosts ?? []).length) {
    throw new ConfigError(`binding to ${host} exposes the gateway beyond this machine; pass --allowed-host NAME (the host name clients use) to accept it, or bind 127.0.0.1.`);
  }
  mkdirSync(path.resolve(options.dataDir), { recursive: true, mode: 0o700 });
  const keysFile = path.resolve(options.keysFile ?? path.join(options.dataDir, 'keys.json'));
  let records = [...readKeysFile(keysFile).keys, ...parseKeysEnv(options.keysEnv ?? process.env.AIRLOCK_API_KEYS ?? ''), ...(options.extraKeys ?? [])];
  let createdAdminKey: string | null = null;
  if (records.length === 0 && options.bootstrapAdmin !== false) {
    createdAdminKey = addKeyToFile(keysFile, { tenant: 'default', role: 'admin', name: 'admin' });
    records = readKeysFile(keysFile).keys;
  }
  const gateway = createGateway(options);
  const { app, close: closeApp } = createApp({
    gateway,
    keys: createKeyRing(records),
    host: { allowedHosts: options.allowedHosts ?? [], loopbackOnly: loopback },
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 8787 }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shown}:${port}`,
    port,
    gateway,
    createdAdminKey,
    keysFile,
    async close() {
      await closeApp();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open event streams and waiting runs must not hold shutdown forever.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await gateway.close();
    },
  };
}
