/**
 * @module verify/stream
 * The streaming scanner: feed output chunks as they arrive, get back the text that is safe to
 * forward (redacted per policy). Memory stays bounded: text is scanned in windows, and a tail
 * (`overlap`, longer than any match) is held back so a match split across chunks is still found.
 * Text is only ever released after it has been scanned.
 */
import type { Finding } from '../core/contracts.js';
import { scanText } from './engine.js';
import { blockReason, redactText, toFindings } from './redact.js';
import { buildRules } from './rules.js';
import type { DetectorRule, VerifyPolicy } from './types.js';

/** Options of `createStreamScanner`. */
export interface StreamScannerOptions {
  policy: { verify: VerifyPolicy };
  canaries?: { tokens: string[] };
  /** Name of the stream in findings (`stdout`, `stderr`, a path). */
  source: string;
  /** Characters scanned per window (default 256 KiB). */
  window?: number;
  /** Characters held back between windows; must exceed the longest match (default 32 KiB). */
  overlap?: number;
}

/** A streaming scanner for one output stream. */
export interface StreamScanner {
  /** Adds a chunk; returns the text now safe to forward ('' while held back or once blocked). */
  push(chunk: string): string;
  /** Ends the stream; returns the remaining safe text. */
  end(): string;
  readonly findings: Finding[];
  /** True once a match whose kind the policy blocks was seen: stop forwarding output. */
  readonly blocked: boolean;
  readonly reasons: string[];
  /** True when any released text was rewritten. */
  readonly redacted: boolean;
}

/** The number of `\n` in `text` (without splitting it into lines). */
function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * Creates a streaming scanner.
 *
 * @example
 * const s = createStreamScanner({ policy, source: 'stdout' });
 * let out = '';
 * for (const chunk of chunks) out += s.push(chunk);
 * out += s.end();
 * if (s.blocked) out = '';
 */
export function createStreamScanner(options: StreamScannerOptions): StreamScanner {
  const policy = options.policy.verify;
  const rules: DetectorRule[] = buildRules(policy, options.canaries?.tokens ?? []);
  const window = options.window ?? 256 * 1024;
  const overlap = options.overlap ?? 32 * 1024;
  let buf = '';
  let line = 1;
  let column = 1;
  const state = { findings: [] as Finding[], blocked: false, reasons: [] as string[], redacted: false };

  const fail = (error: unknown): string => {
    // Fail closed: nothing more is released once scanning itself failed.
    const reason = `${options.source} withheld: verification failed (${(error as Error)?.message ?? String(error)}).`;
    state.blocked = true;
    state.reasons.push(reason);
    state.findings.push({ rule: 'verify.failed', severity: 'high', category: 'policy', message: reason });
    buf = '';
    return '';
  };

  const step = (final: boolean): string => {
    const piece = buf.length > window + overlap ? buf.slice(0, window + overlap) : buf;
    let cut = piece.length;
    if (!final || piece.length < buf.length) {
      const nl = piece.lastIndexOf('\n', piece.length - overlap);
      cut = nl > 0 ? nl + 1 : piece.length - overlap;
    }
    const all = scanText(piece, rules, { piiMinConfidence: policy.piiMinConfidence });
    const kept = [];
    let emitEnd = cut;
    for (const m of all) {
      if (m.start >= emitEnd) break;
      kept.push(m);
      emitEnd = Math.max(emitEnd, m.end);
    }
    const emitted = piece.slice(0, emitEnd);
    state.findings.push(...toFindings(emitted, kept, options.source, line, column));
    const reason = blockReason(kept, policy, options.source);
    if (reason && !state.blocked) {
      state.blocked = true;
      state.reasons.push(reason);
    }
    const { text, changed } = redactText(emitted, kept, policy);
    if (changed) state.redacted = true;
    const newlines = countNewlines(emitted);
    if (newlines) {
      line += newlines;
      column = emitted.length - emitted.lastIndexOf('\n');
    } else column += emitted.length;
    buf = buf.slice(emitEnd);
    return state.blocked ? '' : text;
  };

  return {
    push(chunk: string): string {
      if (state.blocked) return '';
      buf += chunk;
      let out = '';
      try {
        while (buf.length >= window + overlap) out += step(false);
      } catch (error) {
        return fail(error);
      }
      return state.blocked ? '' : out;
    },
    end(): string {
      let out = '';
      try {
        while (buf.length) out += step(true);
      } catch (error) {
        return fail(error);
      }
      return state.blocked ? '' : out;
    },
    get findings() { return state.findings; },
    get blocked() { return state.blocked; },
    get reasons() { return state.reasons; },
    get redacted() { return state.redacted || state.blocked; },
  };
}
