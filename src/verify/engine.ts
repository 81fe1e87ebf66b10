/**
 * @module verify/engine
 * Runs detector rules over a text and returns located, de-duplicated matches. Rules with
 * keywords only run on the lines where a keyword occurs (one lower-cased copy of the text, one
 * `indexOf` sweep per keyword), which keeps the scanner fast with every rule on. Where matches
 * overlap, the most important kind wins: canary over secret over PII, then the longer match.
 */
import type { DetectorKind, DetectorRule, RawMatch } from './types.js';

/** Options of `scanText`. */
export interface ScanTextOptions {
  /** PII matches below this confidence are dropped before overlaps are resolved (default 0). */
  piiMinConfidence?: number;
}

const KIND_RANK: Record<DetectorKind, number> = { canary: 3, secret: 2, pii: 1 };
/** Secret candidates judged less likely than this are dropped (placeholders, words). */
const MIN_SECRET_CONFIDENCE = 0.5;
/** How far a multi-line rule may reach past the line of its keyword. */
const MULTILINE_REACH = 20_000;
/** Above this share of the text, a keyword's lines are scanned as one piece. */
const DENSE_SHARE = 0.25;

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}
function lineEnd(text: string, at: number): number {
  const n = text.indexOf('\n', at);
  return n === -1 ? text.length : n;
}

/** The ranges of `text` a keyword rule must look at, merged; `null` = the whole text. */
function keywordRanges(text: string, lower: string, rule: DetectorRule): Array<[number, number]> | null {
  const ranges: Array<[number, number]> = [];
  for (const kw of rule.keywords) {
    let at = lower.indexOf(kw);
    while (at !== -1) {
      const start = lineStart(text, at);
      let end = lineEnd(text, at + kw.length);
      if (rule.multiline) end = Math.min(text.length, end + MULTILINE_REACH);
      ranges.push([start, end]);
      at = lower.indexOf(kw, rule.multiline ? end : Math.max(end, at + 1));
    }
  }
  if (!ranges.length) return [];
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [ranges[0]!];
  let covered = 0;
  for (const r of ranges.slice(1)) {
    const last = merged[merged.length - 1]!;
    if (r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push(r);
  }
  for (const r of merged) covered += r[1] - r[0];
  return covered > text.length * DENSE_SHARE ? null : merged;
}

function valueOf(rule: DetectorRule, m: RegExpExecArray): { value: string; offset: number } {
  let value: string | undefined;
  if (rule.group === undefined) {
    for (let i = 1; i < m.length && value === undefined; i++) if (m[i]) value = m[i];
  } else value = m[rule.group];
  if (!value) return { value: m[0], offset: 0 };
  const offset = m[0].lastIndexOf(value);
  return { value, offset: offset < 0 ? 0 : offset };
}

/** Documentation fakes and placeholders: `EXAMPLE`, runs of one character, alphabet or digit runs. */
const FAKE = /example|(.)\1{5,}|abcdefgh|bcdefghi|123456789|abc123/i;
/** True when a secret candidate is a documentation fake or placeholder. */
export function looksFake(value: string): boolean {
  return FAKE.test(value);
}

function runRule(rule: DetectorRule, text: string, base: number, full: string, out: RawMatch[], minPii: number): void {
  if (rule.find) {
    for (const { index, value } of rule.find(text)) {
      if (value) out.push({ rule, start: base + index, end: base + index + value.length, value, confidence: 1 });
    }
    return;
  }
  const re = rule.pattern;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    const { value, offset } = valueOf(rule, m);
    const start = base + m.index + offset;
    const from = base + m.index;
    const context = rule.validate ? full.slice(Math.max(0, from - 64), from).toLowerCase() : '';
    let confidence = rule.validate ? rule.validate(value, context, m[0]) : 1;
    if (rule.generic && looksFake(value)) confidence = 0;
    if (confidence <= 0) continue;
    if (rule.kind === 'pii' ? confidence < minPii : confidence < MIN_SECRET_CONFIDENCE) continue;
    out.push({ rule, start, end: start + value.length, value, confidence });
  }
}

/** Keeps, within each cluster of overlapping matches, the most important non-overlapping ones. */
export function resolveOverlaps(matches: RawMatch[]): RawMatch[] {
  if (matches.length < 2) return matches;
  matches.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: RawMatch[] = [];
  let cluster: RawMatch[] = [];
  let clusterEnd = -1;
  const flush = (): void => {
    if (cluster.length === 1) kept.push(cluster[0]!);
    else if (cluster.length > 1) {
      const ranked = [...cluster].sort((a, b) => KIND_RANK[b.rule.kind] - KIND_RANK[a.rule.kind]
        || (b.end - b.start) - (a.end - a.start) || b.confidence - a.confidence);
      const chosen: RawMatch[] = [];
      for (const c of ranked) if (!chosen.some((k) => c.start < k.end && k.start < c.end)) chosen.push(c);
      kept.push(...chosen.sort((a, b) => a.start - b.start));
    }
    cluster = [];
  };
  for (const m of matches) {
    if (m.start >= clusterEnd) flush();
    cluster.push(m);
    clusterEnd = Math.max(clusterEnd, m.end);
  }
  flush();
  return kept;
}

/**
 * Scans `text` with `rules`; returns matches sorted by offset, overlaps resolved.
 *
 * @example
 * scanText('key AKIAIOSFODNN7EXAMPLF', SECRET_RULES)[0].rule.id // 'secrets.aws-access-key'
 */
export function scanText(text: string, rules: readonly DetectorRule[], options: ScanTextOptions = {}): RawMatch[] {
  const out: RawMatch[] = [];
  const minPii = options.piiMinConfidence ?? 0;
  const lower = text.toLowerCase();
  const sameLength = lower.length === text.length;
  for (const rule of rules) {
    const ranges = rule.keywords.length && sameLength ? keywordRanges(text, lower, rule) : null;
    if (ranges === null) runRule(rule, text, 0, text, out, minPii);
    else for (const [s, e] of ranges) runRule(rule, text.slice(s, e), s, text, out, minPii);
  }
  return resolveOverlaps(out);
}

/**
 * Converts offsets to 1-based line/column, in one forward pass (offsets must be ascending).
 *
 * @example
 * locate('a\nbc', [3]) // [{ line: 2, column: 2 }]
 */
export function locate(text: string, offsets: readonly number[], startLine = 1, startColumn = 1): Array<{ line: number; column: number }> {
  const out: Array<{ line: number; column: number }> = [];
  let line = startLine;
  let lineStartAt = 0;
  let firstLine = true;
  let pos = 0;
  for (const off of offsets) {
    let nl = text.indexOf('\n', pos);
    while (nl !== -1 && nl < off) {
      line++;
      lineStartAt = nl + 1;
      firstLine = false;
      nl = text.indexOf('\n', nl + 1);
    }
    pos = Math.max(pos, lineStartAt);
    out.push({ line, column: off - lineStartAt + (firstLine ? startColumn : 1) });
  }
  return out;
}
