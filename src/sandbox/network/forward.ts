/**
 * @module sandbox/network/forward
 * Forwards one parsed HTTP request upstream to a vetted address: plain HTTP requests from the proxy
 * front end, and requests inside a TLS-terminated tunnel of a brokered host. Hop-by-hop and
 * `Proxy-*` headers are dropped, `Host` is set from the target, and for a brokered host any copy of
 * the credential's header sent by the sandbox is removed before the real one is attached. In a
 * brokered response, the secret itself is masked if the upstream echoes it, also across chunks.
 */
import http from 'node:http';
import https from 'node:https';
import type { EgressContext, Credential } from './context.js';
import type { AttemptHandle } from './ledger.js';

const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'expect',
]);

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
      respondError(res, 502, `airlock egress: upstream ${target.host}:${target.port} failed: ${err.message}`);
      done(cut ?? `upstream error: ${err.message}`);
    });
    upstream.on('response', (up) => {
      const secretText = cred?.secret;
      const rh = filterHeaders(up.rawHeaders, new Set()).map((v, i) => (secretText && i % 2 === 1 ? v.replaceAll(secretText, '*'.repeat(secretText.length)) : v));
      if (!res.headersSent) res.writeHead(up.statusCode ?? 502, up.statusMessage, rh as unknown as http.OutgoingHttpHeaders);
      const masker = cred && cred.secret.length > 0 ? secretMasker(Buffer.from(cred.secret)) : undefined;
      up.on('data', (chunk: Buffer) => {
        handle.down(chunk.length);
        const out = masker ? masker.push(chunk) : chunk;
        if (out.length && !res.write(out)) up.pause();
      });
      res.on('drain', () => up.resume());
      up.on('end', () => { res.end(masker?.end()); done(); });
      up.on('error', () => { res.destroy(); done('upstream response aborted'); });
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
