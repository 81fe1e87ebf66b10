/**
 * @module sandbox/network/forward
 * Forwards one parsed HTTP request upstream to a vetted address: plain HTTP requests from the proxy
 * front end, and requests inside a TLS-terminated tunnel of a brokered host. Hop-by-hop and
 * `Proxy-*` headers are dropped, `Host` is set from the target, and for a brokered host any copy of
 * the credential's header sent by the sandbox is removed before the real one is attached. In a
 * brokered response, the secret itself is masked if the upstream echoes it, also across chunks.
 * Heads and framing are always parsed by node:http; a large `Content-Length` body from a plain-HTTP
 * host without a credential is then copied straight from a reused read buffer (`plainHttpAgent`).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { EgressContext, Credential } from './context.js';
import type { AttemptHandle } from './ledger.js';

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'expect',
]);

/**
 * A plain-HTTP response body with a `Content-Length` of at least this many bytes (to a host without
 * a brokered credential) is relayed past node's parser once node has parsed the head: see
 * `plainHttpAgent`.
 */
export const RELAY_BODY_AFTER = 1024 * 1024;
/** The reused read buffer of an upstream socket while it relays a body (allocated on first use). */
const RELAY_BUFFER_BYTES = 1024 * 1024;
/**
 * What upstream sockets read into while node's parser gets the bytes: the parser consumes them
 * synchronously (body bytes are copied out by node, header text is saved before `execute` returns),
 * so one buffer serves every socket.
 */
const parserBuffer = Buffer.allocUnsafe(64 * 1024);

/** A reused read buffer and the number of writes to the client that still hold a view of it. */
interface RelayBuffer {
  buf: Buffer;
  pending: number;
}
interface UpstreamReader {
  /** Set while a body is relayed raw: takes every chunk read; false stops reading. */
  relay: ((chunk: Buffer, owner: RelayBuffer | undefined) => boolean) | undefined;
  /** Normally one buffer; another is added only if a read is due while every one is still held. */
  pool: RelayBuffer[];
}
const readers = new WeakMap<net.Socket, UpstreamReader>();

/**
 * The keep-alive agent for plain-HTTP upstreams. Its sockets read into reused buffers (`onread`)
 * instead of a fresh 64 KiB buffer per read: node's HTTP client gets every byte as usual (request
 * and response heads, chunked framing, short bodies, all parsed by node), except the rest of a
 * large `Content-Length` body once node has parsed the head, which `forwardRequest` then writes
 * straight from the reused buffer to the client, counting it down to exactly the length node
 * parsed, and closes the upstream connection after it. Through node's parser every body chunk is
 * copied into a new buffer, and each read allocates another: ~2.6 s of CPU per GiB, mostly page
 * faults and garbage collection (docs/network.md).
 *
 * @example
 * const agent = plainHttpAgent();
 * http.request({ host: '93.184.215.14', port: 80, path: '/', agent });
 */
export function plainHttpAgent(): http.Agent {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  agent.createConnection = ((options: net.NetConnectOpts): net.Socket => {
    const reader: UpstreamReader = { relay: undefined, pool: [] };
    // Called after every read for the buffer of the next one: while a body is relayed, one that
    // no pending write still holds (the relay stops reading until they are done, so this is
    // normally the same buffer again).
    const nextBuffer = (): Buffer => {
      if (!reader.relay) return parserBuffer;
      let free = reader.pool.find((b) => b.pending === 0);
      if (!free) {
        free = { buf: Buffer.allocUnsafe(RELAY_BUFFER_BYTES), pending: 0 };
        reader.pool.push(free);
      }
      return free.buf;
    };
    const socket = net.createConnection({
      ...options,
      onread: {
        buffer: nextBuffer,
        callback: (n: number, buf: Buffer): boolean => {
          const chunk = buf.subarray(0, n);
          if (reader.relay) return reader.relay(chunk, reader.pool.find((b) => b.buf === buf));
          socket.emit('data', chunk);
          return true;
        },
      },
    });
    readers.set(socket, reader);
    return socket;
  }) as unknown as typeof agent.createConnection;
  return agent;
}

/**
 * The body length of `up` if node parsed exactly one `Content-Length` of at least
 * `RELAY_BODY_AFTER`, no `Transfer-Encoding`, and the response has a body; else undefined.
 */
function relayableLength(method: string | undefined, up: http.IncomingMessage): number | undefined {
  const status = up.statusCode ?? 0;
  if (method === 'HEAD' || status < 200 || status === 204 || status === 304) return undefined;
  let lengths = 0;
  for (let i = 0; i < up.rawHeaders.length; i += 2) {
    const name = up.rawHeaders[i]?.toLowerCase();
    if (name === 'transfer-encoding') return undefined;
    if (name === 'content-length') lengths += 1;
  }
  const text = up.headers['content-length'];
  if (lengths !== 1 || typeof text !== 'string' || !/^\d{1,15}$/.test(text)) return undefined;
  const length = Number(text);
  return length >= RELAY_BODY_AFTER ? length : undefined;
}

/** Where a request goes. */
export interface ForwardTarget {
  scheme: 'http' | 'https';
  host: string;
  port: number;
  address: string;
  /** Origin-form path with query. */
  path: string;
  credential: Credential | undefined;
}

/**
 * Copies raw headers, dropping hop-by-hop ones (and those named in `Connection`) and `drop`.
 *
 * @example
 * filterHeaders(['Connection', 'close', 'Accept', '*\/*'], new Set()) // ['Accept', '*\/*']
 */
export function filterHeaders(raw: string[], drop: ReadonlySet<string>): string[] {
  const named = new Set<string>();
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'connection') for (const t of (raw[i + 1] ?? '').split(',')) named.add(t.trim().toLowerCase());
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name) || drop.has(name)) continue;
    out.push(raw[i] ?? '', raw[i + 1] ?? '');
  }
  return out;
}

/**
 * Sends `req` to the target and streams the answer into `res`, metering bytes in `handle`.
 * Resolves when the exchange is over; `finishHandle` says whether to finish the attempt then.
 *
 * @example
 * await forwardRequest(ctx, req, res, target, handle, true);
 */
export function forwardRequest(
  ctx: EgressContext, req: http.IncomingMessage, res: http.ServerResponse, target: ForwardTarget,
  handle: AttemptHandle, finishHandle: boolean,
): Promise<void> {
  return new Promise((resolve) => {
    let cut: string | undefined;
    let settled = false;
    const done = (why?: string): void => {
      cut ??= why;
      if (settled) return;
      settled = true;
      if (finishHandle) handle.finish(cut);
      resolve();
    };
    const cred = target.credential;
    const headers = filterHeaders(req.rawHeaders, new Set(['host', ...(cred ? [cred.header] : [])]));
    const defaultPort = target.scheme === 'https' ? 443 : 80;
    const hostHeader = (target.host.includes(':') ? `[${target.host}]` : target.host) + (target.port === defaultPort ? '' : `:${target.port}`);
    headers.unshift('Host', hostHeader);
    // What the sandbox sent (counted and scanned for canaries); the brokered header is ours.
    const headText = `${req.method ?? 'GET'} ${target.path} HTTP/1.1\r\n${rawText(headers)}`;
    if (cred) headers.push(cred.header, cred.value);
    const early = handle.up(Buffer.from(headText));
    if (early) {
      respondError(res, 403, `airlock egress: ${early}`);
      return done(early);
    }
    const options: https.RequestOptions = {
      host: target.address, port: target.port, method: req.method, path: target.path, headers: headers as unknown as http.OutgoingHttpHeaders,
      setHost: false, timeout: ctx.timeouts.idleMs,
    };
    const upstream = target.scheme === 'https'
      ? https.request({ ...options, servername: target.host, agent: ctx.httpsAgent, ...(ctx.upstreamCa ? { ca: ctx.upstreamCa } : {}) })
      : http.request({ ...options, agent: ctx.httpAgent });
    upstream.on('timeout', () => upstream.destroy(new Error('upstream idle timeout')));
    upstream.on('error', (err) => {
      if (relayed) return;
      respondError(res, 502, `airlock egress: upstream ${target.host}:${target.port} failed: ${err.message}`);
      done(cut ?? `upstream error: ${err.message}`);
    });
    let relayed = false;
    upstream.on('response', (up) => {
      const secretText = cred?.secret;
      const rh = filterHeaders(up.rawHeaders, new Set()).map((v, i) => (secretText && i % 2 === 1 ? v.replaceAll(secretText, '*'.repeat(secretText.length)) : v));
      if (!res.headersSent) res.writeHead(up.statusCode ?? 502, up.statusMessage, rh as unknown as http.OutgoingHttpHeaders);
      const masker = cred && cred.secret.length > 0 ? secretMasker(Buffer.from(cred.secret)) : undefined;
      const reader = masker ? undefined : readers.get(up.socket as net.Socket);
      const length = reader ? relayableLength(req.method, up) : undefined;
      // Chunks from node's parser are new buffers of their own: written as they come, reading
      // paused while the client is behind.
      let parsed = 0;
      up.on('data', (chunk: Buffer) => {
        handle.down(chunk.length);
        parsed += chunk.length;
        const out = masker ? masker.push(chunk) : chunk;
        if (out.length && !res.write(out) && res.writableLength > 0) up.pause();
      });
      res.on('drain', () => up.resume());
      up.on('end', () => {
        if (reader) reader.relay = undefined;
        if (relayed) return;
        res.end(masker?.end());
        done();
      });
      up.on('error', () => {
        if (relayed) return;
        res.destroy();
        done('upstream response aborted');
      });
      if (!reader || length === undefined) return;
      // The rest of the body is relayed from the upstream's reused buffer: what node's parser
      // already took from the read that ended the head comes first (the 'data' events above), then
      // raw reads, cut at exactly `length` bytes in all; bytes past it are dropped and the upstream
      // connection closed (node's client still expects the body, so it cannot be reused).
      const socket = up.socket as net.Socket;
      let sent = 0;
      let waiting = false;
      reader.relay = (chunk, owner) => {
        if (res.destroyed || settled) return false;
        // Anything node's parser delivered that the stream still holds goes out first.
        while (up.read() !== null) { /* written by the 'data' listener */ }
        const left = length - parsed - sent;
        let part = chunk.length > left ? chunk.subarray(0, left) : chunk;
        sent += part.length;
        if (part.length) {
          handle.down(part.length);
          if (!owner) part = Buffer.from(part);
          if (owner) owner.pending += 1;
          res.write(part, () => {
            if (owner) owner.pending -= 1;
            // Reading starts again once the client's side holds nothing more.
            if (waiting && res.writableLength === 0) {
              waiting = false;
              if (!socket.destroyed) socket.resume();
            }
          });
        }
        if (parsed + sent < length) {
          // The next read would reuse the buffer: wait while the client's side still holds any of it.
          if (res.writableLength === 0) return true;
          waiting = true;
          return false;
        }
        reader.relay = undefined;
        relayed = true;
        // From here on, the upstream's close ('aborted' to node's client) is expected.
        socket.destroy();
        res.end();
        done();
        return false;
      };
    });
    req.on('data', (chunk: Buffer) => {
      const why = handle.up(chunk);
      if (why) {
        upstream.destroy();
        respondError(res, 413, `airlock egress: ${why}`);
        return done(why);
      }
      if (!upstream.write(chunk)) req.pause();
    });
    upstream.on('drain', () => req.resume());
    req.on('end', () => upstream.end());
    req.on('aborted', () => { upstream.destroy(); done('client aborted'); });
    res.on('close', () => { if (!res.writableFinished) { upstream.destroy(); done('client went away'); } });
  });
}

function rawText(headers: string[]): string {
  let s = '';
  for (let i = 0; i < headers.length; i += 2) s += `${headers[i]}: ${headers[i + 1]}\r\n`;
  return `${s}\r\n`;
}

/**
 * Masks every occurrence of `secret` in a byte stream with asterisks of the same length, also one
 * split across chunks: the last `secret.length - 1` bytes of what has arrived are held back until the
 * next chunk (or the end) shows they are not the start of the secret.
 *
 * @example
 * const m = secretMasker(Buffer.from('tok123'));
 * Buffer.concat([m.push(Buffer.from('a tok')), m.push(Buffer.from('123 b')), m.end()]).toString() // 'a ****** b'
 */
export function secretMasker(secret: Buffer): { push(chunk: Buffer): Buffer; end(): Buffer } {
  const keep = secret.length - 1;
  let held: Buffer = Buffer.alloc(0);
  return {
    push(chunk) {
      const buf = held.length ? Buffer.concat([held, chunk]) : Buffer.from(chunk);
      let at = buf.indexOf(secret);
      while (at >= 0) {
        buf.fill(0x2a, at, at + secret.length);
        at = buf.indexOf(secret, at + secret.length);
      }
      const cut = Math.max(0, buf.length - keep);
      held = buf.subarray(cut);
      return buf.subarray(0, cut);
    },
    end() {
      const rest = held;
      held = Buffer.alloc(0);
      return rest;
    },
  };
}

/** Answers with a short plain-text error unless the response has started; then cuts it. */
export function respondError(res: http.ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
  res.end(`${message}\n`);
}
