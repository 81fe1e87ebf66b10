/**
 * Egress proxy overhead: per-request latency and large-download throughput through the proxy,
 * against a direct loopback connection to the same server in the same run. The client talks to
 * the proxy the way a sandboxed program does: TCP to the bridge (`airlock-splice bridge`, or socat
 * without it), then the unix socket. Measured paths: plain HTTP through the proxy (absolute-form,
 * keep-alive both sides), a CONNECT tunnel (the HTTPS path: bytes relayed, TLS not included), and
 * SOCKS5, each with the splice helper (bridge, and the download side of tunnels after 1 MiB), plus
 * the old path (socat bridge, Node relay) as a reference, and three one-hop references without a
 * proxy: socat, `airlock-splice bridge` straight to the server's unix socket (the ceiling for any
 * design that keeps one process between the program and the network), and one `airlock-splice`
 * process splicing the upstream TCP socket into the client's (the data path an in-sandbox handoff
 * of the upstream socket would have). Targets (issue 3): < 1 ms p50 added per request; ≥ 80 % of
 * direct throughput. `BENCH_REQUESTS` (default 2,000), `BENCH_DOWNLOAD_MB` (default 256) and
 * `BENCH_ROUNDS` (default 5) scale it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findSpliceHelper } from '../src/sandbox/network/splice.js';
import { machine, ms, percentile, writeSection } from './lib.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2_000);
const DOWNLOAD = Number(process.env.BENCH_DOWNLOAD_MB ?? 256) * 2 ** 20;
const log = (line: string): void => void process.stderr.write(`  ${line}\n`);
const loadStart = os.loadavg()[0] ?? 0;

// The upstream server and the proxy each run in their own process, as in real use (the proxy in
// Airlock's process, the server elsewhere); this process is only the client.
const upstreamCode = `
const http = require('node:http');
const N = ${DOWNLOAD};
const chunk = Buffer.alloc(256 * 1024, 7);
const handler = (req, res) => {
  if (req.url.startsWith('/big')) {
    // '/big-chunked': the same body without a length, so node sends it chunked.
    res.writeHead(200, req.url.includes('chunked') ? {} : { 'content-length': N });
    let left = N;
    const pump = () => {
      while (left > 0) {
        const c = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= c.length;
        if (!res.write(c)) return void res.once('drain', pump);
      }
      res.end();
    };
    return pump();
  }
  if (req.url.startsWith('/paced-')) {
    // '/paced-<MiB/s>-<MiB>': a body sent no faster than a link of that speed would carry it (a few
    // hundred KiB of lead at most), to compare the paths at real link speeds rather than loopback's.
    const [rate, size] = req.url.slice(7).split('-').map((v) => Number(v) * 2 ** 20);
    res.writeHead(200, { 'content-length': size });
    const t0 = performance.now();
    let sent = 0;
    const tick = () => {
      const due = Math.min(size, Math.floor(((performance.now() - t0) / 1000) * rate) + chunk.length);
      while (sent < due) {
        const n = Math.min(chunk.length, due - sent);
        sent += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once('drain', tick);
      }
      if (sent >= size) return void res.end();
      setTimeout(tick, 1);
    };
    return tick();
  }
  res.end('x'.repeat(100));
};
// The same server also listens on a unix socket, for the one-hop ceiling row (bridge straight to it).
const unixServer = http.createServer(handler);
unixServer.keepAliveTimeout = 60000;
unixServer.listen(process.env.BENCH_UNIX_SOCKET);
const server = http.createServer(handler);
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
const helper = findSpliceHelper();
if (!helper) throw new Error('bench: airlock-splice is not built (npm run build with gcc present)');
const proxyCode = (upPort: number, splice: boolean): string => `
import { startEgress } from './src/sandbox/network/index.js';
import { parsePolicy } from './src/policy/schema.js';
const p = parsePolicy({ network: { local: ['127.0.0.1:${upPort}'] } });
const egress = await startEgress(p.value.network, { runId: 'bench', ${splice ? '' : 'spliceHelper: false'} });
console.log(egress.socketDir);
process.stdin.on('end', () => egress.close().then(() => process.exit(0)));
process.stdin.resume();`;

function child(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; line: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'], env });
    let out = '';
    c.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve({ child: c, line: out.trim() });
    });
    c.on('error', reject);
  });
}
const unixSocket = path.join(mkdtempSync(path.join(os.tmpdir(), 'airlock-bench-')), 'server.sock');
const up = await child(['-e', upstreamCode], { ...process.env, BENCH_UNIX_SOCKET: unixSocket });
const port = Number(up.line);
// Two proxies: with the splice helper (today's default) and without it (the old path, reference).
const proxy = await child(['--import', 'tsx', '--input-type=module', '-e', proxyCode(port, true)]);
const oldProxy = await child(['--import', 'tsx', '--input-type=module', '-e', proxyCode(port, false)]);
const egress = { socketDir: proxy.line };
const oldEgress = { socketDir: oldProxy.line };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = (s.address() as net.AddressInfo).port; s.close(() => resolve(p)); });
  });
}
async function bridge(sock: string, kind: 'splice' | 'socat' = 'splice'): Promise<{ port: number; child: ChildProcess }> {
  const p = await freePort();
  const child = kind === 'splice'
    ? spawn(helper!, ['bridge', String(p), sock], { stdio: 'ignore' })
    : spawn('socat', ['-lf', '/dev/null', '-b', '262144', `TCP-LISTEN:${p},bind=127.0.0.1,reuseaddr,fork`, `UNIX-CONNECT:${sock}`], { stdio: 'ignore' });
  for (let i = 0; i < 500; i++) {
    const ok = await new Promise<boolean>((r) => { const s = net.connect(p, '127.0.0.1', () => { s.destroy(); r(true); }); s.on('error', () => r(false)); });
    if (ok) return { port: p, child };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${kind} bridge did not start`);
}
const httpBridge = await bridge(path.join(egress.socketDir, 'http.sock'));
const socksBridge = await bridge(path.join(egress.socketDir, 'socks.sock'));
const oldHttpBridge = await bridge(path.join(oldEgress.socketDir, 'http.sock'), 'socat');
const oldSocksBridge = await bridge(path.join(oldEgress.socketDir, 'socks.sock'), 'socat');
// Ceiling: one airlock-splice hop (TCP → bridge → unix socket) straight to the server, no proxy:
// the least any design that keeps a process between the program and the network can cost.
const ceilingBridge = await bridge(unixSocket);
// The data path an in-sandbox handoff would have: one airlock-splice process between the upstream
// TCP socket and the client's TCP socket (`airlock-splice relay` from the first byte; the request
// goes through a small Node forwarder in its own process, which otherwise stays out of the way).
const hopCode = `
const net = require('node:net');
const { spawn } = require('node:child_process');
const server = net.createServer({ allowHalfOpen: true }, (client) => {
  client.pause();
  const upstream = net.connect({ port: ${port}, host: '127.0.0.1', allowHalfOpen: true }, () => {
    upstream.pause();
    const child = spawn(${JSON.stringify(helper)}, ['relay'], { stdio: ['pipe', 'ignore', 'ignore', upstream, client] });
    child.on('close', () => { client.destroy(); upstream.destroy(); });
    client.on('data', (c) => upstream.write(c));
    client.on('end', () => { upstream.end(); child.stdin.end(); });
    client.on('close', () => child.stdin.end());
    client.resume();
  });
  upstream.on('error', () => client.destroy());
  client.on('error', () => upstream.destroy());
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));`;
const hop = await child(['-e', hopCode]);

/** A raw keep-alive HTTP/1.1 client over one socket: sends a request, resolves when the whole answer is in. */
class RawClient {
  private buf = Buffer.alloc(0);
  private want = -1;
  private got = 0;
  /** A chunked answer ends with the last chunk: its final bytes are kept to spot it. */
  private chunked = false;
  private tail = '';
  private done: (() => void) | undefined;
  constructor(readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (c: Buffer) => this.onData(c));
  }
  private onData(c: Buffer): void {
    if (this.want < 0) {
      this.buf = Buffer.concat([this.buf, c]);
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.buf.subarray(0, end).toString('latin1');
      const len = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      this.chunked = /transfer-encoding:\s*chunked/i.test(head);
      this.want = end + 4 + len;
      this.got = this.buf.length;
      this.tail = this.buf.subarray(end + 4).toString('latin1').slice(-5);
      this.buf = Buffer.alloc(0);
    } else {
      this.got += c.length;
      if (this.chunked) this.tail = (this.tail + c.subarray(-5).toString('latin1')).slice(-5);
    }
    if (this.chunked ? this.tail === '0\r\n\r\n' : this.got >= this.want) {
      this.want = -1;
      const d = this.done;
      this.done = undefined;
      d?.();
    }
  }
  request(text: string): Promise<void> {
    return new Promise((resolve) => { this.done = resolve; this.socket.write(text); });
  }
}

function connect(p: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => { const s = net.connect(p, '127.0.0.1', () => resolve(s)); s.on('error', reject); });
}
async function tunnel(bridgePort = httpBridge.port): Promise<net.Socket> {
  const s = await connect(bridgePort);
  await new Promise<void>((resolve) => {
    s.write(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: x\r\n\r\n`);
    s.once('data', () => resolve());
  });
  return s;
}
async function socks(bridgePort = socksBridge.port): Promise<net.Socket> {
  const s = await connect(bridgePort);
  await new Promise<void>((resolve) => {
    let n = 0;
    s.on('data', function onData(c: Buffer) { n += c.length; if (n >= 12) { s.removeListener('data', onData); resolve(); } });
    s.write(Buffer.from([5, 1, 0]));
    s.write(Buffer.from([5, 1, 0, 1, 127, 0, 0, 1, port >> 8, port & 255]));
  });
  return s;
}

const origin = `GET /small HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
const absolute = `GET http://127.0.0.1:${port}/small HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
async function latency(client: RawClient, text: string): Promise<number[]> {
  for (let i = 0; i < 200; i++) await client.request(text);
  const out: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const t = performance.now();
    await client.request(text);
    out.push(performance.now() - t);
  }
  return out;
}
async function download(client: RawClient, text: string): Promise<number> {
  const t = performance.now();
  await client.request(text);
  return DOWNLOAD / 2 ** 20 / ((performance.now() - t) / 1000);
}

// Reference: one socat hop straight to the server, no proxy (what the bridge alone costs).
const socatOnly = await (async () => {
  const p = await freePort();
  const child = spawn('socat', ['-lf', '/dev/null', '-b', '262144', `TCP-LISTEN:${p},bind=127.0.0.1,reuseaddr,fork`, `TCP:127.0.0.1:${port}`], { stdio: 'ignore' });
  for (let i = 0; i < 500; i++) {
    const ok = await new Promise<boolean>((r) => { const s = net.connect(p, '127.0.0.1', () => { s.destroy(); r(true); }); s.on('error', () => r(false)); });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return { port: p, child };
})();

/**
 * CPU time (ms) a process has used itself and its reaped children: the bridges' per-connection
 * processes, the proxy's splice helpers. Unlike throughput, CPU per byte barely moves with load
 * from elsewhere.
 */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const tick = 10; // USER_HZ is 100 on Linux
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * tick;
}

interface BenchPath { name: string; open: () => Promise<net.Socket>; text: (p: string) => string; proxy?: ChildProcess; bridge?: ChildProcess }
const viaOrigin = (p: string): string => origin.replace('/small', p);
const paths: BenchPath[] = [
  { name: 'direct (baseline)', open: () => connect(port), text: viaOrigin },
  { name: 'HTTP proxy (absolute-form)', open: () => connect(httpBridge.port), text: (p) => absolute.replace('/small', p), proxy: proxy.child, bridge: httpBridge.child },
  { name: 'HTTP proxy, chunked answer', open: () => connect(httpBridge.port), text: (p) => absolute.replace('/small', p === '/big' ? '/big-chunked' : p), proxy: proxy.child, bridge: httpBridge.child },
  { name: 'CONNECT tunnel', open: () => tunnel(), text: viaOrigin, proxy: proxy.child, bridge: httpBridge.child },
  { name: 'SOCKS5', open: () => socks(), text: viaOrigin, proxy: proxy.child, bridge: socksBridge.child },
  { name: 'old path: CONNECT, socat bridge, Node relay (reference)', open: () => tunnel(oldHttpBridge.port), text: viaOrigin, proxy: oldProxy.child, bridge: oldHttpBridge.child },
  { name: 'old path: SOCKS5, socat bridge, Node relay (reference)', open: () => socks(oldSocksBridge.port), text: viaOrigin, proxy: oldProxy.child, bridge: oldSocksBridge.child },
  { name: 'socat hop only, no proxy (reference)', open: () => connect(socatOnly.port), text: viaOrigin, bridge: socatOnly.child },
  { name: 'one airlock-splice hop, no proxy (ceiling)', open: () => connect(ceilingBridge.port), text: viaOrigin, bridge: ceilingBridge.child },
  { name: 'one airlock-splice hop TCP to TCP, no proxy (handoff data path)', open: () => connect(Number(hop.line)), text: viaOrigin, proxy: hop.child },
];
const rows: string[] = [];
let baseP50 = 0;
let baseMBs = 0;
let baseMedian = 0;
// Downloads interleaved (round-robin over the paths; best and median of ROUNDS) so that load from
// anything else on the machine hits every path alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const best = new Map<string, number>();
const all = new Map<string, number[]>();
const cpu = new Map<string, { proxy: number; bridge: number; server: number; client: number; total: number }>();
/** CPU ms of everything in the chain: server, proxy, bridge, and this process (the client). */
const clientMs = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
for (let round = 0; round < ROUNDS; round++) {
  for (const p of paths) {
    const before = { proxy: cpuMs(p.proxy?.pid), bridge: cpuMs(p.bridge?.pid), server: cpuMs(up.child.pid), client: clientMs() };
    const c = new RawClient(await p.open());
    const rate = await download(c, p.text('/big'));
    const clientUsed = clientMs() - before.client;
    best.set(p.name, Math.max(best.get(p.name) ?? 0, rate));
    all.set(p.name, [...(all.get(p.name) ?? []), rate]);
    c.socket.destroy();
    // Let the per-connection processes exit and be reaped, so their time is counted.
    await new Promise((r) => setTimeout(r, 150));
    const gib = DOWNLOAD / 2 ** 30;
    const proxyUsed = cpuMs(p.proxy?.pid) - before.proxy;
    const bridgeUsed = cpuMs(p.bridge?.pid) - before.bridge;
    const serverUsed = cpuMs(up.child.pid) - before.server;
    const used = {
      proxy: proxyUsed / gib,
      bridge: bridgeUsed / gib,
      server: serverUsed / gib,
      client: clientUsed / gib,
      total: (proxyUsed + bridgeUsed + serverUsed + clientUsed) / gib,
    };
    const prev = cpu.get(p.name);
    if (!prev || used.total < prev.total) cpu.set(p.name, used);
  }
}
for (const p of paths) {
  const lat = await latency(new RawClient(await p.open()), p.text('/small'));
  const p50 = percentile(lat, 50);
  const p95 = percentile(lat, 95);
  const mbs = best.get(p.name) ?? 0;
  const median = percentile(all.get(p.name) ?? [0], 50);
  if (p.name.startsWith('direct')) { baseP50 = p50; baseMBs = mbs; baseMedian = median; }
  const added = p.name.startsWith('direct') ? '—' : ms(p50 - baseP50);
  const pct = (v: number, base: number): string => `${Math.round((v / base) * 100)} %`;
  const ratio = p.name.startsWith('direct') ? '100 %' : `${pct(mbs, baseMBs)}, ${pct(median, baseMedian)}`;
  const c = cpu.get(p.name);
  const cpuCell = (v: number | undefined, on: unknown): string => (on && v !== undefined ? v.toFixed(0) : '—');
  log(`${p.name}: p50 ${ms(p50)} ms, p95 ${ms(p95)} ms, ${mbs.toFixed(0)} (median ${median.toFixed(0)}) MiB/s, CPU ms/GiB proxy ${cpuCell(c?.proxy, p.proxy)} bridge ${cpuCell(c?.bridge, p.bridge)} server ${cpuCell(c?.server, true)} client ${cpuCell(c?.client, true)} all ${cpuCell(c?.total, true)}`);
  rows.push(`| ${p.name} | ${ms(p50)} | ${ms(p95)} | ${added} | ${mbs.toFixed(0)}, ${median.toFixed(0)} | ${ratio} | ${cpuCell(c?.proxy, p.proxy)} | ${cpuCell(c?.bridge, p.bridge)} | ${cpuCell(c && c.server + c.client, true)} | ${cpuCell(c?.total, true)} |`);
}

// The same paths at link speeds a real download sees (1 and 10 Gbit/s): the server paces its body,
// so a path that keeps up takes as long as direct. Interleaved rounds, median shown.
const LINKS = [{ name: '1 Gbit/s', mibs: 119, size: 128 }, { name: '10 Gbit/s', mibs: 1192, size: 512 }];
const pacedPaths = paths.filter((p) => ['direct (baseline)', 'HTTP proxy (absolute-form)', 'CONNECT tunnel', 'SOCKS5'].includes(p.name));
const paced = new Map<string, number[]>();
for (let round = 0; round < 3; round++) {
  for (const link of LINKS) {
    for (const p of pacedPaths) {
      const c = new RawClient(await p.open());
      const t = performance.now();
      await c.request(p.text(`/paced-${link.mibs}-${link.size}`));
      const rate = link.size / ((performance.now() - t) / 1000);
      c.socket.destroy();
      const key = `${p.name}|${link.name}`;
      paced.set(key, [...(paced.get(key) ?? []), rate]);
    }
  }
}
const pacedRows = pacedPaths.map((p) => {
  const cells = LINKS.map((link) => {
    const m = percentile(paced.get(`${p.name}|${link.name}`) ?? [0], 50);
    const base = percentile(paced.get(`direct (baseline)|${link.name}`) ?? [1], 50);
    return `${m.toFixed(0)} | ${Math.round((m / base) * 100)} %`;
  });
  log(`paced ${p.name}: ${cells.join(', ')}`);
  return `| ${p.name} | ${cells.join(' | ')} |`;
});

writeSection('network', `
## Egress proxy (\`bench/network.bench.ts\`)

${machine()}. ${REQUESTS} sequential keep-alive requests (100-byte answers) per path after 200 warm-up
requests; ${ROUNDS} interleaved downloads of ${DOWNLOAD / 2 ** 20} MiB per path (best and median shown). Proxied
paths go client → TCP → bridge → unix socket → proxy → loopback server, as inside the sandbox; the
bridge is \`airlock-splice bridge\` and tunnels hand their download side to \`airlock-splice relay\`
after 1 MiB (splice(2), no copy through user space; docs/network.md). The "old path" rows run the
same requests through a second proxy without the helper (socat bridge, every byte through Node), in
the same run. The last three rows have no proxy: one socat hop; one \`airlock-splice bridge\` hop
straight to the server listening on a unix socket (the ceiling: the best any design that keeps a
process between the program and the network can do); and one \`airlock-splice\` process splicing
the upstream TCP socket into the client's TCP socket (exactly the data path that handing the
upstream socket to the in-sandbox bridge would leave; docs/network.md, "Why the download is not
handed to the bridge"). The two plain-HTTP rows ask the proxy for the same body with a
\`Content-Length\` (relayed past node's parser after the head) and chunked (through node's parser;
docs/network.md, "How plain HTTP is forwarded"). "direct" is the same client talking to the same server without the proxy.
Client, proxy and server are separate processes, as in real use. Targets: < 1 ms p50 added per
request, ≥ 80 % of direct throughput. CPU columns are the time spent per GiB downloaded (the round
with the lowest total, 10 ms clock ticks) by the proxy process (with its splice helpers), the bridge
(with its per-connection processes), the server and the client together, and all of them: unlike
MiB/s, they hardly move with load from other processes, so they are the numbers to compare between
runs on a shared machine. On 2 cores the throughput ratio follows the "all" column: direct costs
about half of any path with a process in between.

| path | p50 ms | p95 ms | p50 added ms | download MiB/s (best, median) | of direct (best, median) | proxy CPU ms/GiB | bridge CPU ms/GiB | server + client CPU ms/GiB | all CPU ms/GiB |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

At a link's speed: the server paces the body to 1 Gbit/s (119 MiB/s, 128 MiB) or 10 Gbit/s
(1,192 MiB/s, 512 MiB), as a download from a real host would arrive; 3 interleaved rounds, median.
The target above compares with loopback at several GiB/s, where every byte the relay moves costs
the same CPU as the client and server spend on it; at link speeds the relay keeps up.

| path | 1 Gbit/s: MiB/s | of direct | 10 Gbit/s: MiB/s | of direct |
| --- | --- | --- | --- | --- |
${pacedRows.join('\n')}

Load average (1 min) ${loadStart.toFixed(1)} at the start, ${(os.loadavg()[0] ?? 0).toFixed(1)} at the end, on ${os.cpus().length} cores:
with more runnable processes than cores, the proxied paths (four processes per byte: server,
helper, bridge, client) suffer more than the direct one (two), so the throughput ratio is a lower
bound; compare runs on a quiet machine.

Run: \`node --import tsx bench/network.bench.ts\` (\`BENCH_REQUESTS\`, \`BENCH_DOWNLOAD_MB\`, \`BENCH_ROUNDS\` scale it).
`);

for (const b of [httpBridge, socksBridge, oldHttpBridge, oldSocksBridge, socatOnly, ceilingBridge]) b.child.kill();
proxy.child.stdin!.end();
oldProxy.child.stdin!.end();
up.child.kill();
hop.child.kill();
rmSync(path.dirname(unixSocket), { recursive: true, force: true });
