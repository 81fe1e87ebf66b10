/**
 * @module sandbox/network/tls-sni
 * Reads the server name (SNI) from the first TLS record a client sends, so that a tunnel opened to
 * one allowed name cannot carry a TLS session for another name served from the same address
 * (domain fronting). Only what is needed is parsed, with bounds checks at every step.
 */

/** What the first bytes of a tunnel say. */
export type HelloInfo =
  | { state: 'incomplete' }
  | { state: 'not-tls' }
  | { state: 'malformed' }
  | { state: 'tls'; sni: string | undefined };

/** Largest first record waited for (a TLS record is at most 16 KiB + header). */
export const MAX_HELLO_BYTES = 16 * 1024 + 5 + 256;

/**
 * Parses the SNI of a TLS ClientHello at the start of `buf`.
 *
 * @example
 * parseClientHello(Buffer.from('GET / HTTP/1.1\r\n')) // { state: 'not-tls' }
 */
export function parseClientHello(buf: Buffer): HelloInfo {
  if (buf.length < 1) return { state: 'incomplete' };
  if (buf[0] !== 0x16) return { state: 'not-tls' };
  if (buf.length < 5) return { state: 'incomplete' };
  const recordLen = buf.readUInt16BE(3);
  if (buf.length < 5 + recordLen) return buf.length >= MAX_HELLO_BYTES ? { state: 'malformed' } : { state: 'incomplete' };
  const rec = buf.subarray(5, 5 + recordLen);
  if (rec.length < 4 || rec[0] !== 0x01) return { state: 'malformed' };
  const helloLen = (rec[1]! << 16) | (rec[2]! << 8) | rec[3]!;
  // A ClientHello split over several records: refuse rather than guess (no real client does this).
  if (helloLen > rec.length - 4) return { state: 'malformed' };
  let p = 4 + 2 + 32;
  if (p + 1 > rec.length) return { state: 'malformed' };
  p += 1 + rec[p]!;
  if (p + 2 > rec.length) return { state: 'malformed' };
  p += 2 + rec.readUInt16BE(p);
  if (p + 1 > rec.length) return { state: 'malformed' };
  p += 1 + rec[p]!;
  if (p === 4 + helloLen) return { state: 'tls', sni: undefined };
  if (p + 2 > rec.length) return { state: 'malformed' };
  const extEnd = p + 2 + rec.readUInt16BE(p);
  p += 2;
  if (extEnd > rec.length) return { state: 'malformed' };
  while (p + 4 <= extEnd) {
    const type = rec.readUInt16BE(p);
    const len = rec.readUInt16BE(p + 2);
    p += 4;
    if (p + len > extEnd) return { state: 'malformed' };
    if (type === 0) {
      if (len < 5) return { state: 'malformed' };
      const nameType = rec[p + 2];
      const nameLen = rec.readUInt16BE(p + 3);
      if (nameType !== 0 || p + 5 + nameLen > p + len) return { state: 'malformed' };
      return { state: 'tls', sni: rec.subarray(p + 5, p + 5 + nameLen).toString('latin1').toLowerCase() };
    }
    p += len;
  }
  return { state: 'tls', sni: undefined };
}

/**
 * The gate for a tunnel opened to `host`: undefined to let the bytes through, 'more' to wait,
 * or the reason to cut. Tunnels to IP literals are not gated.
 *
 * @example
 * sniGate('api.github.com')(helloFor('evil.example')) // 'cut: TLS server name "evil.example" is not the tunnel's host "api.github.com"'
 */
export function sniGate(host: string): (buf: Buffer) => 'more' | string | undefined {
  return (buf) => {
    const info = parseClientHello(buf);
    if (info.state === 'incomplete') return 'more';
    if (info.state === 'not-tls') return undefined;
    if (info.state === 'malformed') return 'cut: malformed TLS ClientHello';
    if (info.sni !== undefined && info.sni.replace(/\.$/, '') !== host) {
      return `cut: TLS server name "${info.sni.slice(0, 100)}" is not the tunnel's host "${host}"`;
    }
    return undefined;
  };
}
