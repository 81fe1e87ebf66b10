/**
 * @module sandbox/network/rules
 * The egress decision for one (host, port): `network.deny` wins, then the host must match
 * `network.allow`, then every address the name resolves to must be an ordinary public address,
 * unless it is exactly one of the `network.local` endpoints (address and port). The name is resolved
 * once here and the caller connects to the returned address, so there is no DNS-rebinding window.
 * Any failure (resolver error, timeout, malformed host) refuses: it never allows.
 */
import { METADATA_NAMES, parseIpLiteral, refusedAddress } from './address.js';

/** One `network.allow` / `network.deny` entry, parsed. */
export interface HostRule {
  /** Lowercase host without the `*.` prefix. */
  host: string;
  /** `*.example.com`: any subdomain of `host`. */
  wildcard: boolean;
  port?: number;
  /** The entry as written, for reasons. */
  source: string;
}

/** One `network.local` endpoint: a canonical IP and a port. */
export interface LocalEndpoint {
  address: string;
  port: number;
  source: string;
}

/** Resolves a name to IP addresses (the default uses the system resolver). */
export type Resolver = (host: string) => Promise<string[]>;

/** What the decision needs. */
export interface RuleSet {
  allow: HostRule[];
  deny: HostRule[];
  local: LocalEndpoint[];
  /** The host's own addresses (canonical). */
  own: ReadonlySet<string>;
  resolve: Resolver;
  /** How long a resolution may take before the attempt is refused. Default 5 s. */
  resolveTimeoutMs?: number;
}

/** The decision: refused with a reason, or allowed with the vetted address to connect to. */
export type TargetDecision =
  | { allowed: true; reason: string; address: string; host: string }
  | { allowed: false; reason: string; host: string };

/**
 * Parses a host pattern from the policy (`pypi.org`, `*.github.com`, `api.example.com:443`).
 *
 * @example
 * parseHostRule('*.github.com:443') // { host: 'github.com', wildcard: true, port: 443, source: '*.github.com:443' }
 */
export function parseHostRule(pattern: string): HostRule {
  let rest = pattern.trim().toLowerCase();
  let port: number | undefined;
  const m = /^(.*):(\d{1,5})$/.exec(rest);
  if (m) {
    rest = m[1] ?? '';
    port = Number(m[2]);
  }
  const wildcard = rest.startsWith('*.');
  const host = (wildcard ? rest.slice(2) : rest).replace(/\.$/, '');
  return port === undefined ? { host, wildcard, source: pattern } : { host, wildcard, port, source: pattern };
}

/**
 * Parses a `network.local` endpoint (`127.0.0.1:5173`, `[::1]:8080`).
 *
 * @example
 * parseLocalEndpoint('[::1]:8080') // { address: '::1', port: 8080, source: '[::1]:8080' }
 */
export function parseLocalEndpoint(entry: string): LocalEndpoint {
  const m = /^\[?([0-9a-f:.]+)\]?:(\d{1,5})$/i.exec(entry.trim());
  const address = m ? parseIpLiteral(m[1] ?? '') : undefined;
  if (!m || !address) throw new Error(`network.local: "${entry}" is not an address and port like "127.0.0.1:5173"`);
  return { address, port: Number(m[2]), source: entry };
}

/**
 * True when `rule` covers `host:port`. `*.example.com` matches subdomains at any depth; with
 * `apex` (used for deny rules, so a deny is never narrower than it reads) it matches `example.com` too.
 *
 * @example
 * matchesHost(parseHostRule('*.github.com'), 'api.github.com', 443) // true
 * matchesHost(parseHostRule('*.github.com'), 'github.com', 443)     // false
 */
export function matchesHost(rule: HostRule, host: string, port: number, apex = false): boolean {
  if (rule.port !== undefined && rule.port !== port) return false;
  if (!rule.wildcard) return host === rule.host;
  return host.endsWith(`.${rule.host}`) || (apex && host === rule.host);
}

const NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/;

/**
 * Decides one connection attempt. Resolves names (once) and vets every resolved address.
 *
 * @example
 * await decideTarget('pypi.org', 443, rules) // { allowed: true, address: '151.101.0.223', … }
 */
export async function decideTarget(rawHost: string, port: number, rules: RuleSet): Promise<TargetDecision> {
  const host = rawHost.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { allowed: false, host, reason: `invalid port ${port}` };
  const literal = parseIpLiteral(host);
  if (literal) return decideAddress(literal, port, rules, host);
  if (!NAME.test(host)) return { allowed: false, host, reason: 'malformed host name' };
  if (METADATA_NAMES.includes(host)) return { allowed: false, host, reason: 'cloud metadata host' };
  const denied = rules.deny.find((r) => matchesHost(r, host, port, true));
  if (denied) return { allowed: false, host, reason: `network.deny: ${denied.source}` };
  const allowed = rules.allow.find((r) => matchesHost(r, host, port));
  if (!allowed) return { allowed: false, host, reason: 'not in network.allow' };
  let addresses: string[];
  try {
    addresses = await withTimeout(rules.resolve(host), rules.resolveTimeoutMs ?? 5000);
  } catch (err) {
    return { allowed: false, host, reason: `could not resolve: ${(err as Error).message}` };
  }
  if (addresses.length === 0) return { allowed: false, host, reason: 'could not resolve: no addresses' };
  let chosen: string | undefined;
  for (const raw of addresses) {
    const address = parseIpLiteral(raw);
    if (!address) return { allowed: false, host, reason: `resolver returned a non-address "${raw}"` };
    if (isLocal(address, port, rules)) {
      chosen ??= address;
      continue;
    }
    const why = refusedAddress(address, rules.own);
    if (why) return { allowed: false, host, reason: `resolves to ${address}: ${why}` };
    chosen ??= address;
  }
  // Prefer IPv4 among vetted answers: many hosts and containers have no IPv6 route.
  const v4 = addresses.map((a) => parseIpLiteral(a) ?? '').find((a) => a.includes('.') && (isLocal(a, port, rules) || !refusedAddress(a, rules.own)));
  return { allowed: true, host, address: v4 ?? chosen ?? '', reason: `network.allow: ${allowed.source}` };
}

function decideAddress(address: string, port: number, rules: RuleSet, host: string): TargetDecision {
  const local = rules.local.find((l) => l.address === address && l.port === port);
  if (local) return { allowed: true, host: address, address, reason: `network.local: ${local.source}` };
  const denied = rules.deny.find((r) => matchesHost(r, address, port, true));
  if (denied) return { allowed: false, host: address, reason: `network.deny: ${denied.source}` };
  const why = refusedAddress(address, rules.own);
  if (why) return { allowed: false, host: address, reason: host === address ? why : `${host} is ${address}: ${why}` };
  const allowed = rules.allow.find((r) => matchesHost(r, address, port));
  if (!allowed) return { allowed: false, host: address, reason: 'not in network.allow' };
  return { allowed: true, host: address, address, reason: `network.allow: ${allowed.source}` };
}

function isLocal(address: string, port: number, rules: RuleSet): boolean {
  return rules.local.some((l) => l.address === address && l.port === port);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e instanceof Error ? e : new Error(String(e))); });
  });
}
