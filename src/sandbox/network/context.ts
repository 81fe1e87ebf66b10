/**
 * @module sandbox/network/context
 * What the HTTP and SOCKS front ends of one run share: the rules, the ledger, the brokered
 * credentials and the per-run CA, timeouts, upstream agents, and the set of live sockets that
 * `close()` tears down.
 */
import type http from 'node:http';
import type https from 'node:https';
import type { Duplex } from 'node:stream';
import type { RunCa } from './ca.js';
import type { EgressLedger } from './ledger.js';
import { matchesHost, type HostRule, type RuleSet } from './rules.js';

/** A brokered credential, with its secret read from Airlock's environment. */
export interface Credential {
  rule: HostRule;
  /** The header name, lowercase. */
  header: string;
  /** `prefix + secret`: the header's value. Never logged, never shown to the sandbox. */
  value: string;
  /** The bare secret, masked out of brokered responses. */
  secret: string;
}

/** Time limits of the front ends. */
export interface Timeouts {
  /** Until a request's headers / a SOCKS handshake are complete. */
  handshakeMs: number;
  /** A connection with no traffic either way for this long is closed. */
  idleMs: number;
}

/** The shared state of one egress session. */
export interface EgressContext {
  rules: RuleSet;
  ledger: EgressLedger;
  credentials: Credential[];
  ca: RunCa | undefined;
  timeouts: Timeouts;
  maxHeaderBytes: number;
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
  /** Extra CAs trusted for upstream TLS of brokered hosts (tests' own servers). */
  upstreamCa: string[] | undefined;
  live: Set<Duplex>;
  closed: boolean;
  /** The `airlock-splice` helper for the download direction of opaque tunnels; undefined: Node relays. */
  spliceHelper?: string | undefined;
}

/**
 * The credential brokered for `host:port`, if any.
 *
 * @example
 * credentialFor(ctx, 'api.github.com', 443)?.header // 'authorization'
 */
export function credentialFor(ctx: EgressContext, host: string, port: number): Credential | undefined {
  return ctx.credentials.find((c) => matchesHost(c.rule, host, port));
}

/** Adds a socket to the live set until it closes. */
export function track(ctx: EgressContext, socket: Duplex): void {
  if (ctx.closed) {
    socket.destroy();
    return;
  }
  ctx.live.add(socket);
  socket.once('close', () => ctx.live.delete(socket));
}
