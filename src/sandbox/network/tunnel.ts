/**
 * @module sandbox/network/tunnel
 * The end both proxies share once a target is admitted: connect to the vetted address, answer the
 * client in its own protocol (HTTP 200 / SOCKS reply) only when the upstream is there, then relay
 * bytes with the SNI gate for named hosts. A failed connect is answered and recorded. These tunnels
 * are opaque (brokered hosts go through `broker.ts` instead), so a large download may move on to the
 * splice helper when the session has one.
 */
import type net from 'node:net';
import { parseIpLiteral } from './address.js';
import { track, type EgressContext } from './context.js';
import type { AttemptHandle } from './ledger.js';
import { connectUpstream, relay } from './relay.js';
import { SPLICE_AFTER_BYTES } from './splice.js';
import { sniGate } from './tls-sni.js';

/** How the calling proxy answers its client. */
export interface TunnelAnswer {
  /** The upstream is connected: tell the client it may start sending. */
  ok(): void;
  /** The upstream could not be reached: tell the client why. */
  failed(error: NodeJS.ErrnoException): void;
}

/**
 * Connects to an admitted target and relays the client's bytes both ways.
 *
 * @example
 * openTunnel(ctx, socket, { host: 'pypi.org', address: '151.101.0.223', port: 443 }, handle, head,
 *   { ok: () => socket.write('HTTP/1.1 200 Connection Established\r\n\r\n'), failed: () => socket.end() });
 */
export function openTunnel(
  ctx: EgressContext,
  socket: net.Socket,
  target: { host: string; address: string; port: number },
  handle: AttemptHandle,
  initial: Buffer,
  answer: TunnelAnswer,
): void {
  const up = connectUpstream(target.address, target.port);
  const upstream = up.socket;
  track(ctx, upstream);
  let connected = false;
  upstream.once('connect', () => {
    connected = true;
    if (socket.destroyed) {
      upstream.destroy();
      handle.finish('client went away before the upstream connected');
      return;
    }
    answer.ok();
    relay(socket, up, handle, ctx.timeouts.idleMs, {
      initial,
      ...(parseIpLiteral(target.host) ? {} : { gate: sniGate(target.host) }),
      ...(ctx.spliceHelper ? { handoff: { helper: ctx.spliceHelper, afterBytes: SPLICE_AFTER_BYTES } } : {}),
    });
    socket.resume();
  });
  upstream.once('error', (err: NodeJS.ErrnoException) => {
    if (connected) return;
    answer.failed(err);
    handle.finish(`upstream connect failed: ${err.message}`);
  });
}
