/**
 * @module sandbox/network/broker
 * Credential brokering over HTTPS. For a CONNECT (or SOCKS) tunnel to a host that has a
 * `network.credentials` entry, the proxy itself answers the TLS handshake with a leaf certificate
 * from the per-run CA (which only the sandbox trusts), reads each HTTP request, removes any copy of
 * the credential's header the sandbox sent, attaches the real one from Airlock's environment, and
 * sends the request upstream over a new, fully verified TLS connection. The program never holds the
 * secret; the CA's private key never leaves the host.
 */
import http from 'node:http';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { track, type Credential, type EgressContext } from './context.js';
import { forwardRequest, respondError } from './forward.js';
import type { AttemptHandle } from './ledger.js';

/** A brokered tunnel's destination. */
export interface BrokerTarget {
  host: string;
  port: number;
  address: string;
  credential: Credential;
}

interface TunnelState {
  target: BrokerTarget;
  handle: AttemptHandle;
}

const tunnels = new WeakMap<object, TunnelState>();
const servers = new WeakMap<EgressContext, http.Server>();

function brokerServer(ctx: EgressContext): http.Server {
  let server = servers.get(ctx);
  if (server) return server;
  server = http.createServer({ maxHeaderSize: ctx.maxHeaderBytes, requestTimeout: 0, headersTimeout: ctx.timeouts.handshakeMs, requireHostHeader: false });
  server.timeout = ctx.timeouts.idleMs;
  // A client that half-closes after its request still gets the answer (node:http's own switch).
  (server as http.Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const state = tunnels.get(req.socket);
    if (!state) return respondError(res, 500, 'airlock egress: internal error (unknown tunnel)');
    const { target, handle } = state;
    const raw = req.url ?? '/';
    let path = raw;
    if (!raw.startsWith('/')) {
      // An absolute-form URL inside the tunnel must name the tunnel's own host.
      try {
        const u = new URL(raw);
        if (u.hostname.toLowerCase() !== target.host) return respondError(res, 421, `airlock egress: request for ${u.hostname} inside the tunnel to ${target.host}`);
        path = `${u.pathname}${u.search}`;
      } catch {
        return respondError(res, 400, 'airlock egress: malformed request target');
      }
    }
    void forwardRequest(ctx, req, res, { scheme: 'https', host: target.host, port: target.port, address: target.address, path, credential: target.credential }, handle, false);
  });
  server.on('clientError', (_err: Error, socket: Duplex) => socket.destroy());
  servers.set(ctx, server);
  return server;
}

/**
 * Terminates TLS on `client` with a leaf for `target.host` and serves its requests with the
 * credential attached. Finishes `handle` when the tunnel closes.
 *
 * @example
 * brokerTunnel(ctx, socket, head, { host: 'api.github.com', port: 443, address, credential }, handle);
 */
export function brokerTunnel(ctx: EgressContext, client: Duplex, head: Buffer, target: BrokerTarget, handle: AttemptHandle): void {
  client.on('error', () => client.destroy());
  client.once('close', () => handle.finish());
  if (!ctx.ca) {
    client.destroy();
    handle.finish('no per-run CA for a brokered host');
    return;
  }
  if (head.length) client.unshift(head);
  // Pause until the certificate is ready, so the ClientHello is not lost.
  client.pause();
  ctx.ca.leaf(target.host).then(({ cert, key }) => {
    const secure = new tls.TLSSocket(client, { isServer: true, cert, key, ALPNProtocols: ['http/1.1'] });
    track(ctx, secure);
    secure.on('error', () => { secure.destroy(); client.destroy(); });
    tunnels.set(secure, { target, handle });
    brokerServer(ctx).emit('connection', secure);
    client.resume();
  }, () => {
    handle.finish('could not issue a certificate for the brokered host');
    client.destroy();
  });
}
