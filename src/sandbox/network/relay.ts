/**
 * @module sandbox/network/relay
 * Byte relay between the sandbox's connection and the upstream one, metering both directions in
 * the ledger. Back-pressure is kept (a slow reader pauses the writer), half-closes are passed on
 * (one side's end ends the other's write side), an idle connection is closed after `idleMs`, and
 * any error on either side tears both down. A cut from the ledger (limit, canary) destroys both.
 * An optional gate sees the client's first bytes before any leave (the TLS server-name check).
 *
 * The download direction is the bulk of most tunnels and only needs counting, so the upstream is
 * read into one reused buffer (`connectUpstream`) of `DOWN_BUFFER_BYTES` instead of a fresh 64 KiB
 * buffer per read, and each chunk is written straight to the client; the next read into that buffer
 * waits until the client's socket holds none of it.
 *
 * With `handoff` (opaque tunnels only, see `tunnel.ts`), a download that passes `afterBytes` goes on
 * in the `airlock-splice` helper (`splice.ts`): Node stops reading the upstream, waits until its
 * writes to the client have reached the kernel (so bytes stay in order), then the helper moves the
 * rest in the kernel and reports the count, which goes to the ledger as before. The upload
 * direction stays here. If the helper cannot start, Node carries on as if nothing happened.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { AttemptHandle } from './ledger.js';
import { startSpliceRelay, type SpliceEnd, type SpliceRelay } from './splice.js';
import { MAX_HELLO_BYTES } from './tls-sni.js';

/** Bytes already read from the client, and a check on the first bytes it sends. */
export interface RelayOptions {
  initial?: Buffer;
  /** Sees the client's first bytes (accumulated): 'more' to wait, a reason to cut, undefined to pass. */
  gate?: (buf: Buffer) => 'more' | string | undefined;
  /** Hand the download direction to the splice helper after this many bytes (opaque tunnels only). */
  handoff?: { helper: string; afterBytes: number };
}

/** Sockets (or TLS sockets) that can be relayed. */
export type Conn = Duplex & { setTimeout?: (ms: number, cb?: () => void) => unknown };

/**
 * Largest read from an upstream (one such buffer per open tunnel): fewer, larger reads and writes
 * cost less CPU per byte than libuv's 64 KiB ones (measured: 256 KiB and 512 KiB gain less).
 */
export const DOWN_BUFFER_BYTES = 1024 * 1024;

/** An upstream socket whose bytes go to `onBytes` (set by `relay`), read into one reused buffer. */
export interface Upstream {
  socket: net.Socket;
  /** Gets `n` bytes at the start of the shared buffer; returns false to stop reading until resumed. */
  onBytes: ((n: number, buf: Buffer) => boolean) | undefined;
  /** Copies of bytes that arrived before `onBytes` was set (not expected: reads start after 'connect'). */
  early: Buffer[];
}

/**
 * Connects to a vetted address for `relay`, reading into one buffer instead of a stream.
 *
 * @example
 * const up = connectUpstream('151.101.0.223', 443);
 * up.socket.once('connect', () => relay(client, up, handle, 300_000));
 */
export function connectUpstream(address: string, port: number): Upstream {
  const up: Upstream = { socket: undefined as unknown as net.Socket, onBytes: undefined, early: [] };
  up.socket = net.connect({
    host: address, port, allowHalfOpen: true,
    onread: {
      buffer: Buffer.allocUnsafe(DOWN_BUFFER_BYTES),
      callback: (n: number, buf: Buffer): boolean => {
        if (up.onBytes) return up.onBytes(n, buf);
        up.early.push(Buffer.from(buf.subarray(0, n)));
        return true;
      },
    },
  });
  return up;
}

/**
 * Relays `client` ⇄ `upstream` until both are done, then finishes the attempt.
 *
 * @example
 * const up = connectUpstream(address, 443);
 * up.socket.once('connect', () => relay(clientSocket, up, handle, 300_000));
 */
export function relay(client: Conn, up: Upstream, handle: AttemptHandle, idleMs: number, options: RelayOptions = {}): void {
  const upstream = up.socket;
  let cut: string | undefined;
  let gate = options.gate;
  let held: Buffer = Buffer.alloc(0);
  let closed = 0;
  let spliced: SpliceRelay | undefined;
  const teardown = (why?: string): void => {
    cut ??= why;
    spliced?.stop();
    client.destroy();
    upstream.destroy();
  };
  // The attempt is finished once both sockets are closed and no helper is still counting.
  const finishIfDone = (): void => {
    if (closed === 2 && !spliced) handle.finish(cut);
  };
  const onClose = (): void => {
    closed += 1;
    // The helper holds its own copies of both sockets: whatever closed ours (a cut, an error, the
    // session closing) must stop it too, or the connection would live on without Node.
    spliced?.stop();
    if (closed === 1) {
      // When one side is gone for good, the other has nothing left to do.
      setImmediate(() => { if (!client.destroyed || !upstream.destroyed) teardown(); });
    }
    finishIfDone();
  };
  let uploadPaused = false;
  const fromClient = (chunk: Buffer): void => {
    if (gate) {
      held = held.length ? Buffer.concat([held, chunk]) : chunk;
      const verdict = held.length > MAX_HELLO_BYTES ? undefined : gate(held);
      if (verdict === 'more') return;
      if (verdict) return teardown(verdict);
      gate = undefined;
      chunk = held;
      held = Buffer.alloc(0);
    }
    if (chunk.length === 0) return;
    const why = handle.up(chunk);
    if (why) return teardown(why);
    // write() answers false for any chunk over the high-water mark even when the kernel took it
    // all at once; pause only when bytes are really left waiting ('drain' follows then).
    if (!upstream.write(chunk) && upstream.writableLength > 0) {
      uploadPaused = true;
      client.pause();
    }
  };
  client.on('data', fromClient);
  upstream.on('drain', () => {
    uploadPaused = false;
    client.resume();
  });

  // Download direction: the chunk lives in the upstream's reused buffer, so while the client's
  // socket still holds any of it, reading stops; the write callback that leaves nothing pending
  // starts it again.
  let waiting = false;
  let downInNode = 0;
  let handing = false;
  const handoff = options.handoff;
  const written = (): void => {
    if (handing && client.writableLength === 0) {
      handing = false;
      if (!client.destroyed && !upstream.destroyed) startHelper();
      return;
    }
    if (waiting && client.writableLength === 0) {
      waiting = false;
      if (!upstream.destroyed) upstream.resume();
    }
  };
  const toClient = (n: number, buf: Buffer): boolean => {
    if (client.destroyed) return false;
    handle.down(n);
    client.write(buf.subarray(0, n), written);
    downInNode += n;
    if (handoff && !gate && downInNode >= handoff.afterBytes && client instanceof net.Socket) {
      // Stop reading for good; `written` starts the helper once this chunk is in the kernel.
      handing = true;
      return false;
    }
    if (client.writableLength === 0) return true;
    waiting = true;
    return false;
  };
  const helperEnded = (e: SpliceEnd): void => {
    spliced = undefined;
    if (e.kind === 'eof') {
      // Everything is delivered and the client's write side is shut; reading the upstream again
      // meets its EOF, and the usual 'end' handling takes over.
      if (!upstream.destroyed) upstream.resume();
    } else if (e.kind === 'unavailable') {
      if (!upstream.destroyed) upstream.resume();
    } else if (e.kind === 'error' || e.kind === 'stopped') {
      // 'stopped' is normally our own teardown; a helper stopped by anything else ends the tunnel too.
      teardown();
    } else if (e.kind === 'failed') {
      teardown(`cut: ${e.message}`);
    }
    if (!uploadPaused && !client.destroyed) client.resume();
    finishIfDone();
  };
  const startHelper = (): void => {
    const sockets = { upstream, client: client as net.Socket };
    spliced = startSpliceRelay(handoff!.helper, sockets.upstream, sockets.client, {
      onBytes: (n) => {
        handle.down(n);
        // Bytes moving are activity: the idle timers restart.
        sockets.client.setTimeout(idleMs);
        upstream.setTimeout(idleMs);
      },
      onEnd: helperEnded,
    });
    // Passing a socket to a child stops Node reading it; the upload direction goes on here.
    if (!uploadPaused) client.resume();
  };
  for (const chunk of up.early.splice(0)) {
    handle.down(chunk.length);
    client.write(chunk);
  }
  up.onBytes = toClient;

  client.on('end', () => {
    if (gate && held.length) return teardown('cut: tunnel closed before its first TLS record was complete');
    upstream.end();
  });
  upstream.on('end', () => client.end());
  client.on('error', () => teardown());
  upstream.on('error', () => teardown());
  client.on('close', onClose);
  upstream.on('close', onClose);
  client.setTimeout?.(idleMs, () => teardown('cut: idle timeout'));
  upstream.setTimeout(idleMs, () => teardown('cut: idle timeout'));
  if (options.initial?.length) fromClient(options.initial);
}
