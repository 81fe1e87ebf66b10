/**
 * @module surfaces/http/guards
 * The checks in front of every route: the `Host` and `Origin` headers against DNS rebinding (a
 * page on evil.example that resolves to 127.0.0.1 sends `Host: evil.example`, which a loopback
 * server refuses), and a token bucket per API key. Pure functions over header values; the
 * middleware that applies them lives in `app.ts`.
 */

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Splits `host[:port]` (with IPv6 in brackets) into a lower-case name and a port. */
export function splitHost(value: string): { name: string; port: string | null } | null {
  const v = value.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/.exec(v);
  return m ? { name: m[1]!, port: m[2] ?? null } : null;
}

/** True for names that always mean this machine: localhost, *.localhost, 127.x.y.z, [::1]. */
export function isLoopbackName(name: string): boolean {
  return LOOPBACK_NAMES.has(name) || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name);
}

/** What the host check accepts. */
export interface HostPolicy {
  /** Extra host names accepted besides loopback names (for a non-loopback bind, e.g. behind a proxy). */
  allowedHosts: string[];
  /** When false (a non-loopback bind), loopback names are not implied. */
  loopbackOnly: boolean;
}

/**
 * Checks a `Host` header. Loopback names (any port) are accepted for a loopback bind; anything
 * else must be listed in `allowedHosts`.
 *
 * @example
 * checkHost('localhost:8787', { allowedHosts: [], loopbackOnly: true }) // null (accepted)
 * checkHost('evil.example', { allowedHosts: [], loopbackOnly: true })   // 'Host "evil.example" …'
 */
export function checkHost(host: string | undefined, policy: HostPolicy): string | null {
  if (!host) return 'the Host header is missing.';
  const parsed = splitHost(host);
  if (!parsed) return `Host "${host.slice(0, 80)}" is not a valid host name.`;
  if (policy.allowedHosts.map((h) => h.toLowerCase()).includes(parsed.name)) return null;
  if (policy.loopbackOnly && isLoopbackName(parsed.name)) return null;
  return `Host "${parsed.name}" is not accepted by this server (DNS-rebinding protection); use http://127.0.0.1 or http://localhost, or start airlock serve with --allowed-host ${parsed.name}.`;
}

/**
 * Checks an `Origin` header (sent by browsers on cross-origin and unsafe requests). Absent is
 * fine (non-browser clients); present, it must be http(s) on an accepted host name.
 *
 * @example
 * checkOrigin('http://localhost:8787', policy) // null
 * checkOrigin('https://evil.example', policy)  // 'Origin …'
 */
export function checkOrigin(origin: string | undefined, policy: HostPolicy): string | null {
  if (origin === undefined) return null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `Origin "${origin.slice(0, 80)}" is not accepted (opaque or invalid origin).`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Origin "${origin.slice(0, 80)}" is not accepted (scheme ${url.protocol}).`;
  return checkHost(url.host, policy) === null ? null : `Origin "${url.origin}" is not accepted by this server (cross-site request).`;
}

/** A token bucket per key: `capacity` requests at once, refilled at `perMinute` a minute. */
export interface RateLimiter {
  /** Takes one token for `key`; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, now?: number): number;
}

/**
 * Creates a rate limiter.
 *
 * @example
 * const limiter = createRateLimiter({ perMinute: 600, burst: 60 });
 * limiter.take('key-name') // 0 → go ahead
 */
export function createRateLimiter(options: { perMinute: number; burst: number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = options.perMinute / 60_000;
  return {
    take(key, now = Date.now()) {
      const b = buckets.get(key) ?? { tokens: options.burst, at: now };
      b.tokens = Math.min(options.burst, b.tokens + (now - b.at) * rate);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
    },
  };
}
