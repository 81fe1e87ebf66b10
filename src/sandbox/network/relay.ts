/**
 * @module sandbox/network/relay
 * Byte relay between the sandbox's connection and the upstream one, metering both directions in
 * the ledger. Back-pressure is kept (a slow reader pauses the writer), half-closes are passed on
 * (one side's end ends the other's write side), an idle connection is closed after `idleMs`, and
 * any error on either side tears both down. A cut from the ledger (limit, canary) destroys both.
 */
import type { Duplex } from 'node:stream';
import type { AttemptHandle } from './ledger.js';

/** Sockets (or TLS sockets) that can be relayed. */
export type Conn = Duplex & { setTimeout?: (ms: number, cb?: () => void) => unknown };

/**
 * Relays `client` ⇄ `upstream` until both are done, then finishes the attempt.
 *
 * @example
 * relay(clientSocket, net.connect(port, address), handle, 300_000);
 */
export function relay(client: Conn, upstream: Conn, handle: AttemptHandle, idleMs: number): void {
  let cut: string | undefined;
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
  client.on('data', (chunk: Buffer) => {
    const why = handle.up(chunk);
    if (why) return teardown(why);
    if (!upstream.write(chunk)) client.pause();
  });
  upstream.on('data', (chunk: Buffer) => {
    handle.down(chunk.length);
    if (!client.write(chunk)) upstream.pause();
  });
  upstream.on('drain', () => client.resume());
  client.on('drain', () => upstream.resume());
  client.on('end', () => upstream.end());
  upstream.on('end', () => client.end());
  client.on('error', () => teardown());
  upstream.on('error', () => teardown());
  client.on('close', onClose);
  upstream.on('close', onClose);
  client.setTimeout?.(idleMs, () => teardown('cut: idle timeout'));
  upstream.setTimeout?.(idleMs, () => teardown('cut: idle timeout'));
}
