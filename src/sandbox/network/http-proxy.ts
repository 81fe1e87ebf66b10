/**
 * @module sandbox/network/http-proxy
 * The HTTP proxy front end: absolute-form requests (`GET http://host/path`) are decided and
 * forwarded one by one; `CONNECT host:port` opens a byte tunnel to the vetted address, or, for a
 * host with a brokered credential, a TLS-terminated tunnel (see `broker.ts`). Built on node:http,
 * whose parser refuses malformed request lines and oversized headers (`maxHeaderSize`) and whose
 * `headersTimeout` drops slow clients; such errors answer 400/431/408 and never affect other
 * connections.
 */
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { brokerTunnel } from './broker.js';
import { credentialFor, track, type EgressContext } from './context.js';
import { forwardRequest, respondError } from './forward.js';
import { decideTarget } from './rules.js';
import { openTunnel } from './tunnel.js';

/**
 * Creates the HTTP/CONNECT proxy server of one session (not yet listening).
 *
 * @example
 * const server = createHttpProxy(ctx);
 * server.listen('/tmp/airlock-net-x/http.sock');
 */
export function createHttpProxy(ctx: EgressContext): http.Server {
  const server = http.createServer({
    maxHeaderSize: ctx.maxHeaderBytes,
    requestTimeout: 0,
    headersTimeout: ctx.timeouts.handshakeMs,
    keepAliveTimeout: 5000,
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(ctx.timeouts.handshakeMs / 2))),
    requireHostHeader: false,
  });
  server.timeout = ctx.timeouts.idleMs;
  // A client that half-closes after its request still gets the answer (node:http's own switch).
  (server as http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.on('connection', (socket: net.Socket) => track(ctx, socket));
  server.on('request', (req, res) => {
    handleRequest(ctx, req, res).catch((err: unknown) => respondError(res, 500, `airlock egress: internal error: ${(err as Error).message}`));
  });
  server.on('connect', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    handleConnect(ctx, req, socket as net.Socket, head).catch(() => socket.destroy());
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const code = err.code ?? '';
    if (code.startsWith('HPE_')) {
      ctx.ledger.refuse('(malformed)', 0, 'http', `malformed request: ${code === 'HPE_HEADER_OVERFLOW' ? `headers over ${ctx.maxHeaderBytes} bytes` : code}`);
    }
    const status = code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large'
      : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
    if (socket.writable && !(socket as net.Socket).destroyed) {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    }
    setTimeout(() => socket.destroy(), 100).unref();
  });
  return server;
}

async function handleRequest(ctx: EgressContext, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '');
  } catch {
    ctx.ledger.refuse('(malformed)', 0, 'http', 'not an absolute-form proxy request');
    return respondError(res, 400, 'airlock egress: send absolute-form requests (GET http://host/path) or CONNECT');
  }
  if (url.protocol !== 'http:') {
    ctx.ledger.refuse(url.hostname, Number(url.port) || 0, 'http', `scheme ${url.protocol} is not proxied (use CONNECT for https)`);
    return respondError(res, 400, `airlock egress: ${url.protocol} URLs are not proxied as plain requests; use CONNECT`);
  }
  const port = url.port ? Number(url.port) : 80;
  const decision = await decideTarget(url.hostname, port, ctx.rules);
  if (!decision.allowed) {
    ctx.ledger.refuse(decision.host, port, 'http', decision.reason);
    return respondError(res, 403, `airlock egress: ${decision.host}:${port} refused: ${decision.reason}`);
  }
  const handle = ctx.ledger.admit(decision.host, port, 'http', decision.reason, req.url ?? '');
  if ('refused' in handle) return respondError(res, 403, `airlock egress: ${decision.host}:${port} refused: ${handle.refused.reason}`);
  await forwardRequest(ctx, req, res, {
    scheme: 'http', host: decision.host, port, address: decision.address, path: `${url.pathname}${url.search}`,
    credential: credentialFor(ctx, decision.host, port),
  }, handle, true);
}

/** Splits `host:port` / `[v6]:port` from a CONNECT line; undefined when malformed. */
export function parseAuthority(authority: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.%a-zA-Z]+\]|[^:[\]\s/@]+):(\d{1,5})$/.exec(authority);
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (m[1] ?? '').replace(/^\[(.*)\]$/, '$1'), port };
}

async function handleConnect(ctx: EgressContext, req: http.IncomingMessage, socket: net.Socket, head: Buffer): Promise<void> {
  socket.on('error', () => socket.destroy());
  const target = parseAuthority(req.url ?? '');
  if (!target) {
    ctx.ledger.refuse('(malformed)', 0, 'connect', `malformed CONNECT target "${(req.url ?? '').slice(0, 100)}"`);
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const decision = await decideTarget(target.host, target.port, ctx.rules);
  if (!decision.allowed) {
    ctx.ledger.refuse(decision.host, target.port, 'connect', decision.reason);
    socket.end(refusal(`${decision.host}:${target.port} refused: ${decision.reason}`));
    return;
  }
  const handle = ctx.ledger.admit(decision.host, target.port, 'connect', decision.reason, req.url ?? '');
  if ('refused' in handle) {
    socket.end(refusal(`${decision.host}:${target.port} refused: ${handle.refused.reason}`));
    return;
  }
  const credential = credentialFor(ctx, decision.host, target.port);
  if (credential) {
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    brokerTunnel(ctx, socket, head, { host: decision.host, port: target.port, address: decision.address, credential }, handle);
    return;
  }
  openTunnel(ctx, socket, { host: decision.host, address: decision.address, port: target.port }, handle, head, {
    ok: () => socket.write('HTTP/1.1 200 Connection Established\r\n\r\n'),
    failed: (err) => socket.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nX-Airlock-Error: ${err.message.replace(/[\r\n]/g, ' ')}\r\n\r\n`),
  });
}

function refusal(message: string): string {
  const body = `airlock egress: ${message}\n`;
  return `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}
