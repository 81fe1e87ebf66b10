/**
 * Helpers for the egress tests: loopback upstream servers (HTTP and HTTPS with a test CA), a client
 * runner that puts a program in fresh network and PID namespaces (`unshare -rn --pid`, only `lo`;
 * the bridges end with the program) behind the real bridge (airlock-splice, or socat), and raw
 * requests straight to the proxy's unix sockets.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createRunCa, type RunCa } from '../../src/sandbox/network/ca.js';
import { bridgePrelude, SANDBOX_NET_DIR, SANDBOX_SPLICE_PATH, type EgressSession } from '../../src/sandbox/network/index.js';
import { parsePolicy, type Policy } from '../../src/policy/schema.js';

/** What an upstream server saw. */
export interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: number;
}

/** A loopback server that answers `{ok, path}` JSON, `/big?n=BYTES` with zeros, `/echo` with the headers. */
export interface Upstream {
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

function handler(seen: Seen[]): http.RequestListener {
  return (req, res) => {
    let body = 0;
    req.on('data', (c: Buffer) => { body += c.length; });
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/big') {
        const n = Number(u.searchParams.get('n') ?? 1_000_000);
        res.writeHead(200, { 'content-length': n });
        const chunk = Buffer.alloc(64 * 1024);
        let left = n;
        const pump = (): void => {
          while (left > 0) {
            const c = left >= chunk.length ? chunk : chunk.subarray(0, left);
            left -= c.length;
            if (!res.write(c)) return void res.once('drain', pump);
          }
          res.end();
        };
        return pump();
      }
      if (u.pathname === '/echo') return void res.end(JSON.stringify(req.headers));
      if (u.pathname.startsWith('/simple')) return simpleIndex(u.pathname, res);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, path: u.pathname, body, auth: req.headers.authorization ? 'present' : 'absent' }));
    });
  };
}

/** A tiny PEP 503 index serving one wheel, so that real `pip download` can be pointed at it. */
function simpleIndex(p: string, res: http.ServerResponse): void {
  if (p === '/simple/airlock-demo/') {
    res.setHeader('content-type', 'text/html');
    return void res.end('<html><body><a href="/simple/files/airlock_demo-1.0-py3-none-any.whl">airlock_demo-1.0-py3-none-any.whl</a></body></html>');
  }
  if (p === '/simple/files/airlock_demo-1.0-py3-none-any.whl') return void res.end(demoWheel());
  res.statusCode = 404;
  res.end();
}

let wheel: Buffer | undefined;
function demoWheel(): Buffer {
  return (wheel ??= buildStoredZip({
    'airlock_demo/__init__.py': 'x = 1\n',
    'airlock_demo-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\nName: airlock-demo\nVersion: 1.0\n',
    'airlock_demo-1.0.dist-info/WHEEL': 'Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
    'airlock_demo-1.0.dist-info/RECORD': '',
  }));
}

/** A zip with stored (uncompressed) entries. */
function buildStoredZip(files: Record<string, string>): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const nameB = Buffer.from(name);
    const crc = crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0); lh.writeUInt16LE(20, 4); lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18); lh.writeUInt32LE(data.length, 22); lh.writeUInt16LE(nameB.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0); ch.writeUInt16LE(20, 4); ch.writeUInt16LE(20, 6); ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(data.length, 20); ch.writeUInt32LE(data.length, 24); ch.writeUInt16LE(nameB.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, nameB, data);
    centrals.push(ch, nameB);
    offset += 30 + nameB.length + data.length;
  }
  const central = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  const n = Object.keys(files).length;
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(n, 8); end.writeUInt16LE(n, 10);
  end.writeUInt32LE(central.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, central, end]);
}

/**
 * Starts a plain HTTP upstream on 127.0.0.1.
 */
export async function startUpstream(host = '127.0.0.1'): Promise<Upstream> {
  const seen: Seen[] = [];
  const server = http.createServer(handler(seen));
  await new Promise<void>((r) => server.listen(0, host, r));
  return { port: (server.address() as AddressInfo).port, seen, close: () => closeServer(server) };
}

/** An HTTPS upstream for `names`, with its own CA (PEM in `caPem`, file in `caFile`). */
export interface TlsUpstream extends Upstream {
  caPem: string;
  caFile: string;
}

/** Starts an HTTPS upstream on 127.0.0.1 whose certificate names `name`. */
export async function startTlsUpstream(name: string): Promise<TlsUpstream> {
  const ca: RunCa = await createRunCa('upstream', [name]);
  const leaf = await ca.leaf(name);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-upca-'));
  const caFile = path.join(dir, 'ca.pem');
  writeFileSync(caFile, ca.certPem);
  ca.dispose();
  const seen: Seen[] = [];
  const server = https.createServer({ cert: leaf.cert, key: leaf.key }, handler(seen));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port, seen, caPem: ca.certPem, caFile,
    close: async () => { await closeServer(server); rmSync(dir, { recursive: true, force: true }); },
  };
}

function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

/** A network policy from partial fields. */
export function netPolicy(network: Record<string, unknown>): Policy['network'] {
  const r = parsePolicy({ network });
  if (!r.ok) throw new Error(`bad test policy: ${JSON.stringify(r)}`);
  return r.value.network;
}

/** A resolver mapping test names to addresses. */
export function mapResolver(map: Record<string, string[]>): (h: string) => Promise<string[]> {
  return async (h) => {
    const a = map[h];
    if (!a) throw new Error(`ENOTFOUND ${h}`);
    return a;
  };
}

/** The result of a client program. */
export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `argv` in a new user+network namespace (only `lo`, no route to the host's loopback servers)
 * behind the bridge to `egress`'s sockets (the session's splice helper when it has one, else socat),
 * with its proxy variables.
 */
export function runInNetns(egress: EgressSession, argv: string[], extraEnv: Record<string, string> = {}, timeoutMs = 30_000): Promise<Ran> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), LANG: 'C.UTF-8', PIP_DISABLE_PIP_VERSION_CHECK: '1',
    PIP_NO_CACHE_DIR: '1', PYTHONDONTWRITEBYTECODE: '1',
  };
  for (const [k, v] of Object.entries(egress.env)) env[k] = v.replaceAll(SANDBOX_NET_DIR, egress.socketDir);
  Object.assign(env, extraEnv);
  const splice = egress.binds?.find((b) => b.sandbox === SANDBOX_SPLICE_PATH)?.host;
  const prelude = bridgePrelude({ dir: egress.socketDir, ...(splice ? { splice } : {}) });
  return new Promise((resolve) => {
    const child = spawn('unshare', ['-rn', '--pid', '--fork', '--kill-child', '/bin/sh', '-c', 'ip link set lo up && exec "$@"', 'netns', ...prelude, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
}

/** Sends raw bytes to a unix socket and collects the answer until the peer closes (or `waitMs`). */
export function rawExchange(socketPath: string, data: string | Buffer, waitMs = 3000, end = false): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const s = net.connect(socketPath);
    let text = '';
    let closed = false;
    s.on('connect', () => { s.write(data); if (end) s.end(); });
    s.on('data', (c: Buffer) => { text += c.toString('latin1'); });
    s.on('error', () => undefined);
    const t = setTimeout(() => { s.destroy(); resolve({ text, closed }); }, waitMs);
    s.on('close', () => { closed = true; clearTimeout(t); resolve({ text, closed }); });
  });
}

/** A plain proxy request through the HTTP socket; resolves status and body. */
export function proxyGet(egress: EgressSession, url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: path.join(egress.socketDir, 'http.sock'), path: url, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => { body += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Opens a SOCKS5 tunnel (no auth, IPv4 127.0.0.1:`port`) through the session's socks socket;
 * resolves once the greeting and the CONNECT reply (12 bytes) have arrived.
 */
export function socksTunnel(egress: EgressSession, port: number, options: { allowHalfOpen?: boolean } = {}): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ path: path.join(egress.socketDir, 'socks.sock'), allowHalfOpen: options.allowHalfOpen ?? false });
    s.on('error', reject);
    let n = 0;
    s.on('data', function onData(c: Buffer) {
      n += c.length;
      if (n >= 12) { s.removeListener('data', onData); resolve(s); }
    });
    s.once('connect', () => s.write(Buffer.from([5, 1, 0, 5, 1, 0, 1, 127, 0, 0, 1, port >> 8, port & 255])));
  });
}
