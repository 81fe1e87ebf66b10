/**
 * @module sandbox/network/ledger
 * The per-run record of egress: every attempt (allowed or refused) as a `NetworkAttempt`, the
 * run's counters, and the per-run limits (`network.maxRequests`, `network.maxBytesOut`). Bytes that
 * leave through an attempt are also checked for canary tokens, raw or encoded (`canaryForms`: hex,
 * base64, percent-encoding, reversed); a hit cuts the connection.
 */
import type { NetworkAttempt } from '../../core/contracts.js';
import { canaryForms } from '../../verify/canary/canary.js';

/** At most this many attempts are kept in memory; later ones are counted, not stored. */
export const MAX_RECORDED_ATTEMPTS = 10_000;

/** The limits and watchers of one run. */
export interface LedgerOptions {
  maxRequests?: number | undefined;
  maxBytesOut?: number | undefined;
  canaryTokens?: string[] | undefined;
  onAttempt?: ((a: NetworkAttempt) => void) | undefined;
}

/** A live, admitted attempt: meter its bytes and finish it once. */
export interface AttemptHandle {
  readonly attempt: NetworkAttempt;
  /** Counts bytes going out; returns why the connection must be cut, or undefined. */
  up(chunk: Buffer): string | undefined;
  down(bytes: number): void;
  /** Marks the attempt done (with a reason if it was cut); calls `onAttempt` once. */
  finish(cut?: string): void;
}

/**
 * The per-run ledger.
 *
 * @example
 * const ledger = new EgressLedger({ maxRequests: 10 });
 * const h = ledger.admit('pypi.org', 443, 'connect', 'network.allow: pypi.org');
 * if ('attempt' in h) h.finish();
 * ledger.list() // [{ host: 'pypi.org', port: 443, allowed: true, … }]
 */
export class EgressLedger {
  private readonly attempts: NetworkAttempt[] = [];
  private readonly canaries: Buffer[];
  private readonly maxCanary: number;
  private requests = 0;
  private bytesOut = 0;
  /** Attempts not stored because of `MAX_RECORDED_ATTEMPTS`. */
  dropped = 0;

  constructor(private readonly options: LedgerOptions) {
    const forms = new Set((options.canaryTokens ?? []).filter((t) => t.length > 0).flatMap(canaryForms));
    this.canaries = [...forms].map((t) => Buffer.from(t));
    this.maxCanary = Math.max(0, ...this.canaries.map((c) => c.length));
  }

  /** A copy of every recorded attempt so far, in order. */
  list(): NetworkAttempt[] {
    return this.attempts.map((a) => ({ ...a }));
  }

  /** Records a refused attempt. */
  refuse(host: string, port: number, protocol: NetworkAttempt['protocol'], reason: string): NetworkAttempt {
    const attempt: NetworkAttempt = { host, port, allowed: false, reason, protocol, bytesUp: 0, bytesDown: 0 };
    this.store(attempt);
    this.emit(attempt);
    return attempt;
  }

  /**
   * Admits an allowed attempt unless a per-run limit says no (then records it refused), and
   * checks `text` (a request line, a URL) for canary tokens.
   */
  admit(host: string, port: number, protocol: NetworkAttempt['protocol'], reason: string, text = ''): AttemptHandle | { refused: NetworkAttempt } {
    const { maxRequests, maxBytesOut } = this.options;
    if (maxRequests !== undefined && this.requests >= maxRequests) {
      return { refused: this.refuse(host, port, protocol, `network.maxRequests (${maxRequests}) reached`) };
    }
    if (maxBytesOut !== undefined && this.bytesOut >= maxBytesOut) {
      return { refused: this.refuse(host, port, protocol, `network.maxBytesOut (${maxBytesOut} bytes) reached`) };
    }
    if (text && this.hasCanary(Buffer.from(text))) {
      return { refused: this.refuse(host, port, protocol, 'canary token in outbound request') };
    }
    this.requests += 1;
    const attempt: NetworkAttempt = { host, port, allowed: true, reason, protocol, bytesUp: 0, bytesDown: 0 };
    this.store(attempt);
    let tail = Buffer.alloc(0);
    let done = false;
    return {
      attempt,
      up: (chunk) => {
        attempt.bytesUp = (attempt.bytesUp ?? 0) + chunk.length;
        this.bytesOut += chunk.length;
        if (this.canaries.length > 0) {
          // A token split across chunks lies in the seam: the last maxCanary-1 bytes sent before and
          // the first maxCanary-1 of this chunk. Scanning the seam and the chunk apart spares copying
          // every chunk into one window.
          const keep = this.maxCanary - 1;
          const seam = tail.length ? Buffer.concat([tail, chunk.subarray(0, keep)]) : undefined;
          if ((seam && this.hasCanary(seam)) || this.hasCanary(chunk)) return 'cut: canary token in outbound traffic';
          const last = chunk.length >= keep || !seam ? chunk : Buffer.concat([tail, chunk]);
          tail = Buffer.from(last.subarray(Math.max(0, last.length - keep)));
        }
        if (maxBytesOut !== undefined && this.bytesOut > maxBytesOut) return `cut: network.maxBytesOut (${maxBytesOut} bytes) exceeded`;
        return undefined;
      },
      down: (bytes) => {
        attempt.bytesDown = (attempt.bytesDown ?? 0) + bytes;
      },
      finish: (cut) => {
        if (done) return;
        done = true;
        if (cut) attempt.reason = `${attempt.reason}; ${cut}`;
        this.emit(attempt);
      },
    };
  }

  private hasCanary(buf: Buffer): boolean {
    return this.canaries.some((c) => buf.includes(c));
  }

  private store(a: NetworkAttempt): void {
    if (this.attempts.length < MAX_RECORDED_ATTEMPTS) this.attempts.push(a);
    else this.dropped += 1;
  }

  private emit(a: NetworkAttempt): void {
    try {
      this.options.onAttempt?.({ ...a });
    } catch {
      /* an observer's failure must not break the proxy; the attempt stays in the ledger */
    }
  }
}
