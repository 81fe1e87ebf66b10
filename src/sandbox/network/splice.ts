/**
 * @module sandbox/network/splice
 * Airlock's own zero-copy helper, `airlock-splice` (native/airlock-splice.c, built into
 * `dist/native/` by `npm run build` / scripts/setup.sh when gcc is present). Two uses:
 *
 * - the in-sandbox bridge (`airlock-splice bridge PORT SOCKET`) instead of socat;
 * - the download direction of an opaque tunnel (`airlock-splice relay`): once Node has relayed
 *   `SPLICE_AFTER_BYTES` down, the upstream's bytes go upstream → pipe → client in the kernel,
 *   and the helper reports the byte count for the ledger. The upload direction (canary scan,
 *   bytes-out limit) stays in Node.
 *
 * When the helper is absent (no gcc, a fresh clone not built), both fall back to what ran before:
 * socat and the Node relay. `AIRLOCK_SPLICE=off` turns it off; `AIRLOCK_SPLICE=/path` picks a binary.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import type net from 'node:net';
import path from 'node:path';
import { findPackageFile } from '../../package-files.js';

/** Where the helper is mounted (read-only) inside the sandbox. */
export const SANDBOX_SPLICE_PATH = '/run/airlock-splice';
/** Download bytes a tunnel relays in Node before the helper takes over (small requests stay in Node). */
export const SPLICE_AFTER_BYTES = 1024 * 1024;
/** The helper's place relative to the package root. */
export const SPLICE_RELATIVE_PATH = path.join('dist', 'native', 'airlock-splice');

let found: { path: string | undefined } | undefined;
let relaysStarted = 0;

/** How many helper relays this process has started (tests check which path a tunnel took). */
export function spliceRelayCount(): number {
  return relaysStarted;
}

/** Executable, and runs here: a binary built for another machine (a packed `dist/`) fails `check`. */
function isUsable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    return false;
  }
  return spawnSync(file, ['check'], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

/**
 * The helper binary, or undefined when it is not built, does not run here (`airlock-splice check`
 * fails), or `AIRLOCK_SPLICE=off`. Looked up once per process: `$AIRLOCK_SPLICE`, else
 * `dist/native/airlock-splice` in the package this module belongs to.
 *
 * @example
 * findSpliceHelper() // '/usr/lib/node_modules/airlock/dist/native/airlock-splice'
 */
export function findSpliceHelper(): string | undefined {
  if (found) return found.path;
  const env = process.env.AIRLOCK_SPLICE;
  if (env === 'off' || env === '0') return (found = { path: undefined }).path;
  if (env) return (found = { path: isUsable(env) ? env : undefined }).path;
  return (found = { path: findPackageFile(SPLICE_RELATIVE_PATH, isUsable) }).path;
}

/** How a helper relay ended. */
export type SpliceEnd =
  /** The upstream said EOF and every byte reached the client (the client's write side is shut). */
  | { kind: 'eof' }
  /** Stopped on request (`stop()`); bytes still in its pipe were dropped with the connection. */
  | { kind: 'stopped' }
  /** A socket error (reset, broken pipe): the connection is broken. */
  | { kind: 'error'; message: string }
  /** The helper could not start, or failed before reading a byte: Node can carry on relaying. */
  | { kind: 'unavailable'; message: string }
  /** It died without its final report (killed, crashed): the count may be short. */
  | { kind: 'failed'; message: string };

/** A running helper relay. */
export interface SpliceRelay {
  /** Asks the helper to stop (it reports its final count, then exits). */
  stop(): void;
}

/** Parses one report line of the helper: `n TOTAL` or `end TOTAL HOW`. */
export function parseReport(line: string): { total: number; end?: string } | undefined {
  const m = /^(n|end) (\d+)(?: (\S+))?$/.exec(line);
  if (!m) return undefined;
  return m[1] === 'end' ? { total: Number(m[2]), end: m[3] ?? '' } : { total: Number(m[2]) };
}

/**
 * Hands the download direction `upstream` → `client` to the helper. Node must already have stopped
 * reading `upstream`, and its writes to `client` must have reached the kernel. `onBytes` gets each
 * increment of the count (exact at the end); `onEnd` is called once, after the helper exited.
 *
 * @example
 * startSpliceRelay(helper, upstream, client, { onBytes: (n) => handle.down(n), onEnd: (e) => … });
 */
export function startSpliceRelay(
  helper: string,
  upstream: net.Socket,
  client: net.Socket,
  on: { onBytes(n: number): void; onEnd(end: SpliceEnd): void },
): SpliceRelay {
  let counted = 0;
  let last: string | undefined;
  let ended = false;
  let started = false;
  let pending = '';
  const end = (e: SpliceEnd): void => {
    if (ended) return;
    ended = true;
    on.onEnd(e);
  };
  const take = (line: string): void => {
    const r = parseReport(line);
    if (!r) return;
    if (r.total > counted) {
      on.onBytes(r.total - counted);
      counted = r.total;
    }
    if (r.end !== undefined) last = r.end;
  };
  let child: ChildProcess;
  try {
    // fd 3 = upstream, fd 4 = client (duplicates of Node's descriptors); fd 0 closing means "stop".
    // An empty environment: the helper needs none, and Airlock's may hold brokered secrets.
    child = spawn(helper, ['relay'], { stdio: ['pipe', 'pipe', 'ignore', upstream, client], env: {} });
  } catch (err) {
    queueMicrotask(() => end({ kind: 'unavailable', message: (err as Error).message }));
    return { stop: () => undefined };
  }
  child.once('spawn', () => {
    started = true;
    relaysStarted += 1;
  });
  child.stdout!.setEncoding('latin1');
  child.stdout!.on('data', (text: string) => {
    pending += text;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      take(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
    }
  });
  child.stdin!.on('error', () => { /* the helper is gone; 'close' reports it */ });
  child.once('error', (err) => {
    if (!started) end({ kind: 'unavailable', message: err.message });
  });
  child.once('close', (code, signal) => {
    if (!started) return end({ kind: 'unavailable', message: `airlock-splice did not start (${signal ?? code})` });
    if (last === 'eof') return end({ kind: 'eof' });
    if (last === 'stop') return end({ kind: 'stopped' });
    if (last?.startsWith('error:')) {
      const message = last.slice(6).replace(/_/g, ' ');
      // Nothing read means nothing in flight: Node can go on (and meets the same error if it is real).
      return end(counted === 0 ? { kind: 'unavailable', message } : { kind: 'error', message });
    }
    end({ kind: 'failed', message: `airlock-splice exited without its final count (${signal ?? `status ${code}`})` });
  });
  let stopping = false;
  return {
    stop: () => {
      if (stopping || ended) return;
      stopping = true;
      child.stdin!.end();
      child.kill('SIGTERM');
      // A helper that does not answer is killed; its last bytes then go uncounted (reported as failed).
      setTimeout(() => { if (!ended) child.kill('SIGKILL'); }, 2000).unref();
    },
  };
}
