/**
 * @module sandbox/network/relay
 * Byte relay between the sandbox's connection and the upstream one, metering both directions in
 * the ledger. Back-pressure is kept (a slow reader pauses the writer), half-closes are passed on
 * (one side's end ends the other's write side), an idle connection is closed after `idleMs`, and
 * any error on either side tears both down. A cut from the ledger (limit, canary) destroys both.
 * An optional gate sees the client's first bytes before any leave (the TLS server-name check).
 */
import type { Duplex } from 'node:stream';
import type { AttemptHandle } from './ledger.js';
import { MAX_HELLO_BYTES } from './tls-sni.js';

/** Bytes already read from the client, and a check on the first bytes it sends. */
export interface RelayOptions {
  initial?: Buffer;
  /** Sees the client's first bytes (accumulated): 'more' to wait, a reason to cut, undefined to pass. */
  gate?: (buf: Buffer) => 'more' | string | undefined;
}

/** Sockets (or TLS sockets) that can be relayed. */
export type Conn = Duplex & { setTimeout?: (ms: number, cb?: () => void) => unknown };

/**
 * Relays `client` ⇄ `upstream` until both are done, then finishes the attempt.
 *
 * @example
 * relay(clientSocket, net.connect(port, address), handle, 300_000);
 */
export function relay(client: Conn, upstream: Conn, handle: AttemptHandle, idleMs: number, options: RelayOptions = {}): void {
  let cut: string | undefined;
  let gate = options.gate;
  let held: Buffer = Buffer.alloc(0);
  let closed = 0;
  const teardown = (why?: string): void => {
    cut ??= why;
    client.destroy();
    upstream.destroy();
  };
  const onClose = (): void => {
    closed += 1;
    if (closed === 1) {
      // When one side is gone for good, the other has nothing left to do.
      setImmediate(() => { if (!client.destroyed || !upstream.destroyed) teardown(); });
    }
    if (closed === 2) handle.finish(cut);
  };
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
    if (!upstream.write(chunk)) client.pause();
  };
  client.on('data', fromClient);
  upstream.on('data', (chunk: Buffer) => {
    handle.down(chunk.length);
    if (!client.write(chunk)) upstream.pause();
  });
  upstream.on('drain', () => client.resume());
  client.on('drain', () => upstream.resume());
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
  upstream.setTimeout?.(idleMs, () => teardown('cut: idle timeout'));
  if (options.initial?.length) fromClient(options.initial);
}
