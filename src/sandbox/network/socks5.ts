/**
 * @module sandbox/network/socks5
 * The SOCKS5 front end (RFC 1928): no authentication, CONNECT only, by domain name, IPv4 or IPv6.
 * The greeting and request are parsed from a bounded buffer under a handshake timeout; anything
 * malformed gets the protocol's error reply (or is closed) and is recorded. Names are resolved by the
 * proxy (so clients should use `socks5h://`), then decided and connected like CONNECT tunnels.
 */
import net from 'node:net';
import { brokerTunnel } from './broker.js';
import { credentialFor, track, type EgressContext } from './context.js';
import { decideTarget } from './rules.js';
import { openTunnel } from './tunnel.js';

const REPLY = { ok: 0, failure: 1, notAllowed: 2, unreachable: 4, refused: 5, badCommand: 7, badAddress: 8 } as const;

/**
 * Creates the SOCKS5 server of one session (not yet listening).
 *
 * @example
 * createSocksProxy(ctx).listen('/tmp/airlock-net-x/socks.sock');
 */
export function createSocksProxy(ctx: EgressContext): net.Server {
  const server = net.createServer({ allowHalfOpen: true });
  server.on('connection', (socket) => {
    track(ctx, socket);
    handshake(ctx, socket);
  });
  return server;
}

function reply(code: number): Buffer {
  return Buffer.from([5, code, 0, 1, 0, 0, 0, 0, 0, 0]);
}

function handshake(ctx: EgressContext, socket: net.Socket): void {
  let buf: Buffer = Buffer.alloc(0);
  let stage: 'greeting' | 'request' | 'done' = 'greeting';
  const timer = setTimeout(() => {
    ctx.ledger.refuse('(malformed)', 0, 'socks5', 'SOCKS handshake timed out');
    socket.destroy();
  }, ctx.timeouts.handshakeMs);
  const fail = (reason: string, code?: number): void => {
    clearTimeout(timer);
    stage = 'done';
    socket.removeListener('data', onData);
    ctx.ledger.refuse('(malformed)', 0, 'socks5', reason);
    if (code !== undefined && socket.writable) socket.end(reply(code));
    else socket.destroy();
  };
  const onData = (chunk: Buffer): void => {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    if (buf.length > 600) return fail('SOCKS handshake too long');
    if (stage === 'greeting') {
      if (buf.length < 2) return;
      if (buf[0] !== 5) return fail(`not SOCKS5 (version byte ${buf[0]})`);
      const n = buf[1] ?? 0;
      if (buf.length < 2 + n) return;
      const methods = buf.subarray(2, 2 + n);
      buf = buf.subarray(2 + n);
      if (!methods.includes(0)) {
        clearTimeout(timer);
        stage = 'done';
        socket.removeListener('data', onData);
        ctx.ledger.refuse('(malformed)', 0, 'socks5', 'SOCKS client offered no "no authentication" method');
        socket.end(Buffer.from([5, 0xff]));
        return;
      }
      socket.write(Buffer.from([5, 0]));
      stage = 'request';
    }
    if (stage === 'request') {
      if (buf.length < 4) return;
      if (buf[0] !== 5) return fail('malformed SOCKS request');
      if (buf[1] !== 1) return fail(`SOCKS command ${buf[1]} is not supported (CONNECT only)`, REPLY.badCommand);
      const atyp = buf[3];
      let host: string;
      let end: number;
      if (atyp === 1) {
        end = 4 + 4;
        if (buf.length < end + 2) return;
        host = [...buf.subarray(4, 8)].join('.');
      } else if (atyp === 3) {
        const len = buf[4] ?? 0;
        end = 5 + len;
        if (buf.length < end + 2) return;
        host = buf.subarray(5, end).toString('latin1');
      } else if (atyp === 4) {
        end = 4 + 16;
        if (buf.length < end + 2) return;
        const b = buf.subarray(4, 20);
        const parts: string[] = [];
        for (let i = 0; i < 16; i += 2) parts.push(((b[i] ?? 0) * 256 + (b[i + 1] ?? 0)).toString(16));
        host = parts.join(':');
      } else {
        return fail(`SOCKS address type ${atyp} is not supported`, REPLY.badAddress);
      }
      const port = buf.readUInt16BE(end);
      const rest = Buffer.from(buf.subarray(end + 2));
      clearTimeout(timer);
      stage = 'done';
      socket.removeListener('data', onData);
      socket.pause();
      connect(ctx, socket, host, port, rest).catch(() => socket.destroy());
    }
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
  socket.on('close', () => clearTimeout(timer));
}

async function connect(ctx: EgressContext, socket: net.Socket, rawHost: string, port: number, rest: Buffer): Promise<void> {
  const decision = await decideTarget(rawHost, port, ctx.rules);
  if (!decision.allowed) {
    ctx.ledger.refuse(decision.host, port, 'socks5', decision.reason);
    socket.end(reply(REPLY.notAllowed));
    return;
  }
  const handle = ctx.ledger.admit(decision.host, port, 'socks5', decision.reason);
  if ('refused' in handle) {
    socket.end(reply(REPLY.notAllowed));
    return;
  }
  const credential = credentialFor(ctx, decision.host, port);
  if (credential) {
    socket.write(reply(REPLY.ok));
    socket.resume();
    brokerTunnel(ctx, socket, rest, { host: decision.host, port, address: decision.address, credential }, handle);
    return;
  }
  openTunnel(ctx, socket, { host: decision.host, address: decision.address, port }, handle, rest, {
    ok: () => socket.write(reply(REPLY.ok)),
    failed: (err) => socket.end(reply(err.code === 'ECONNREFUSED' ? REPLY.refused : REPLY.unreachable)),
  });
}
