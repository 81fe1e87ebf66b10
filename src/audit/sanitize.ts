/**
 * @module audit/sanitize
 * What makes an event safe to keep forever: well-known token shapes in any text are masked
 * (`maskSecret` keeps a 4-character prefix), fields whose name says "secret" are masked whole,
 * binary data becomes its length and hash, and very long text is cut. The pipeline may hand the
 * log raw command text; this is the last line before disk, so it errs towards masking.
 */
import { createHash } from 'node:crypto';
import { maskSecret } from '../core/mask.js';

/**
 * Token shapes masked wherever they appear. Each pattern's first group, when present, is kept
 * (e.g. `password=`), and the rest of the match is masked.
 */
const TOKEN_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g,
  /\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
  /\bxox[abposre]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\bsk-(?:ant-|proj-|live_|test_)?[A-Za-z0-9_-]{20,}\b/g, // OpenAI / Anthropic / Stripe-like
  /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g, // Stripe
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google API key
  /\bnpm_[A-Za-z0-9]{36}\b/g,
  /\bhf_[A-Za-z0-9]{30,}\b/g, // Hugging Face
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
  /(\b(?:Bearer|Basic|Token)\s+)[A-Za-z0-9._~+/=-]{12,}/gi, // Authorization values
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+(?=@)/gi, // user:PASSWORD@ in URLs
  /((?:^|\s)(?:-u|--user|--proxy-user)\s+["']?[^\s:"']+:)([^\s"']+)/g, // curl -u user:PASSWORD
  // key=value / key: value with a secret-sounding key, and --secret-flag value
  /((?:^|[\s"'&?;,{(])[A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|authorization)[A-Za-z0-9_.-]*["']?\s*[=:]\s*["']?)(?!(?:Bearer|Basic|Token)\s)([^\s"'&;,)}]{6,})/gi,
  /((?:^|\s)--?[A-Za-z0-9_.-]*(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential)[A-Za-z0-9_.-]*\s+["']?)([^\s"'-][^\s"']{5,})/gi,
];

/** Field names whose string values are masked whole. */
const SECRET_KEY = /(?:password|passwd|secret|token|api[_-]?key|apikey|authorization|cookie|credential|private[_-]?key|signature_key)/i;
/** Strings longer than this are cut (the log records what happened, not every byte). */
const MAX_STRING = 16 * 1024;

/**
 * Masks well-known secret shapes inside free text (commands, code, messages).
 *
 * @example
 * maskText('curl -H "Authorization: Bearer abcdefghijklmnop1234" https://x')
 * // 'curl -H "Authorization: Bearer abcd****************" https://x'
 */
export function maskText(text: string): string {
  let out = text;
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match: string, ...groups: unknown[]) => {
      const keep = typeof groups[0] === 'string' ? groups[0] : '';
      const secret = match.slice(keep.length);
      if (/^\*+$/.test(secret.slice(4))) return match; // already masked
      return keep + maskSecret(secret);
    });
  }
  return out;
}

/**
 * Turns any value into what the audit log may store: JSON only, secrets masked, binary data as
 * `{ bytes, sha256 }`, long strings cut with a note of the original length.
 *
 * @example
 * sanitizeForAudit({ env: { GITHUB_TOKEN: 'ghp_…' }, argv: ['ls'] })
 * // { env: { GITHUB_TOKEN: 'ghp_****…' }, argv: ['ls'] }
 */
export function sanitizeForAudit(value: unknown, key = '', depth = 0): unknown {
  if (depth > 32) return '[too deep]';
  if (value === null || value === undefined) return value ?? null;
  if (typeof value === 'string') {
    if (key && SECRET_KEY.test(key) && value.length > 0) return maskSecret(value);
    if (value.length <= MAX_STRING) return maskText(value);
    // Cut with a margin before masking (long inputs stay cheap), mask, then cut to size.
    return `${maskText(value.slice(0, MAX_STRING + 1024)).slice(0, MAX_STRING)}… [${value.length} chars, cut]`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) {
    return { bytes: value.byteLength, sha256: createHash('sha256').update(value).digest('hex') };
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Error) return { name: value.name, message: maskText(value.message) };
  if (Array.isArray(value)) return value.map((v) => sanitizeForAudit(v, key, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      out[k] = sanitizeForAudit(v, k, depth + 1);
    }
    return out;
  }
  return String(value);
}
