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
const DENSE_SHARE = 0.6;

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}
function lineEnd(text: string, at: number): number {
  const n = text.indexOf('\n', at);
  return n === -1 ? text.length : n;
}

/** A rule set prepared for scanning: one combined keyword regex, the numeric rules, the rest. */
interface Prepared {
  keywordRe: RegExp | null;
  /** For each keyword (lower-case), the indexes of the rules gated by it or by a keyword it starts with. */
  byKeyword: Map<string, number[]>;
  numeric: number[];
  everywhere: number[];
}

const prepared = new WeakMap<readonly DetectorRule[], Prepared>();
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

interface TrieNode { next: Map<string, TrieNode>; end: boolean }

/**
 * The keywords as one regex shaped like a trie (`s(?:k(?:_|-ant-)|ecret)|…`): V8 then rejects a
 * position after one comparison per first character instead of one per keyword. Greedy optional
 * groups keep the longest keyword at each position, as the flat longest-first alternation did.
 */
function trieSource(words: readonly string[]): string {
  const root: TrieNode = { next: new Map(), end: false };
  for (const w of words) {
    let node = root;
    for (const c of w) {
      let child = node.next.get(c);
      if (!child) node.next.set(c, (child = { next: new Map(), end: false }));
      node = child;
    }
    node.end = true;
  }
  const emit = (node: TrieNode): string => {
    const alts = [...node.next].map(([c, child]) => escapeRe(c) + emit(child));
    if (!alts.length) return '';
    if (alts.length === 1 && !node.end) return alts[0]!;
    return `(?:${alts.join('|')})${node.end ? '?' : ''}`;
  };
  return emit(root);
}

function prepare(rules: readonly DetectorRule[]): Prepared {
  const cached = prepared.get(rules);
  if (cached) return cached;
  const keywords = new Set<string>();
  rules.forEach((r) => { if (!r.numeric) r.keywords.forEach((k) => keywords.add(k)); });
  const byKeyword = new Map<string, number[]>();
  for (const kw of keywords) {
    const idx: number[] = [];
    rules.forEach((r, i) => { if (!r.numeric && r.keywords.some((k) => kw.startsWith(k))) idx.push(i); });
    byKeyword.set(kw, idx);
  }
  const sorted = [...keywords].sort((a, b) => b.length - a.length);
  const p: Prepared = {
    keywordRe: sorted.length ? new RegExp(trieSource(sorted), 'g') : null,
    byKeyword,
    numeric: rules.flatMap((r, i) => (r.numeric ? [i] : [])),
    everywhere: rules.flatMap((r, i) => (!r.numeric && !r.keywords.length ? [i] : [])),
  };
  prepared.set(rules, p);
  return p;
}

/** Per rule, the merged line ranges where one of its keywords occurs (one pass of one regex). */
function keywordRanges(text: string, lower: string, rules: readonly DetectorRule[], p: Prepared): Map<number, Array<[number, number]>> {
  const out = new Map<number, Array<[number, number]>>();
  const re = p.keywordRe;
  if (!re) return out;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  let curStart = -1;
  let curEnd = -1;
  while ((m = re.exec(lower)) !== null) {
    const at = m.index;
    if (at >= curEnd) {
      curStart = lineStart(text, at);
      curEnd = lineEnd(text, at + m[0].length);
    }
    for (const i of p.byKeyword.get(m[0])!) {
      const end = rules[i]!.multiline ? Math.min(text.length, curEnd + MULTILINE_REACH) : curEnd;
      const list = out.get(i);
      const last = list?.[list.length - 1];
      if (!list) out.set(i, [[curStart, end]]);
      else if (curStart <= last![1] + 1) last![1] = Math.max(last![1], end);
      else list.push([curStart, end]);
    }
    re.lastIndex = at + 1;
  }
  return out;
}

/** Characters of context kept around a candidate (IBAN country/check prefix, id letters). */
const NUMERIC_PAD = 12;

const isUpper = (c: number): boolean => c >= 65 && c <= 90;

/**
 * Candidate digit runs: a Finnish-style id (6 digits, a century sign, 3 digits and a check
 * character), or a run of 7+ characters of digits and separators (space - . ( ) / +) that starts
 * and ends with a digit. The regex engine skips short numbers natively, which is faster than a
 * character loop in JavaScript.
 */
const NUMERIC_CANDIDATE = /\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]|\d[\d \-.()/+]{5,}\d/g;

/** A space-separated token with this many digits (or an IPv4-like dotted token) is a number of its own. */
const STANDALONE_DIGITS = 9;

/**
 * Splits a candidate run at its spaces into items: consecutive short groups stay together
 * (`4539 1488 0343 6467`, `(415) 867-2301`), a token that is a number of its own
 * (`+1-415-867-2301`, `4539148803436467`, `10.0.0.1`) is an item alone. Returns
 * [start, end, digits, dots] per item, offsets in `text`.
 */
function splitItems(text: string, start: number, end: number): Array<[number, number, number, number]> {
  const items: Array<[number, number, number, number]> = [];
  let i = start;
  let prevStandalone = false;
  let countryCode = false;
  while (i < end) {
    while (i < end && text.charCodeAt(i) === 32) i++;
    const ts = i;
    let digits = 0;
    let dots = 0;
    for (let c = text.charCodeAt(i); i < end && c !== 32; c = text.charCodeAt(++i)) {
      if (c >= 48 && c <= 57) digits++;
      else if (c === 46) dots++;
    }
    if (i === ts) break;
    const standalone = digits >= STANDALONE_DIGITS || dots >= 2;
    const last = items[items.length - 1];
    if (last && ((!standalone && !prevStandalone) || countryCode)) {
      last[1] = i;
      last[2] += digits;
      last[3] += dots;
    } else items.push([ts, i, digits, dots]);
    prevStandalone = standalone;
    // `+91 4155550132`: a country code belongs to the number after it.
    countryCode = ts === start && digits <= 3 && i - ts === digits && text.charCodeAt(start - 1) === 43;
  }
  return items;
}

/**
 * Digit runs worth validating: the only places numeric PII rules run. Returns
 * [start, end, digits, dots] per item with up to `NUMERIC_PAD` characters of context on each
 * side, within the line and never reaching into a neighbouring item, so two numbers separated
 * by a space are judged apart (a phone next to a card number does not make one 27-digit run).
 */
export function numericRanges(text: string): Array<[number, number, number, number]> {
  const ranges: Array<[number, number, number, number]> = [];
  const n = text.length;
  const re = NUMERIC_CANDIDATE;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const start = m.index;
    const end = start + m[0].length;
    const items = m[0].includes(' ') ? splitItems(text, start, end) : null;
    if (items && items.length > 1) {
      for (let k = 0; k < items.length; k++) {
        const [s, e, digits, dots] = items[k]!;
        if (!worthValidating(text, s, e, digits, dots)) continue;
        const from = k === 0 ? Math.max(text.lastIndexOf('\n', s - 1) + 1, s - NUMERIC_PAD) : Math.max(items[k - 1]![1], s - NUMERIC_PAD);
        let to = e + NUMERIC_PAD;
        if (k < items.length - 1) to = Math.min(items[k + 1]![0], to);
        else {
          const le = text.indexOf('\n', e);
          to = Math.min(le === -1 ? n : le, to);
        }
        ranges.push([from, to, digits, dots]);
      }
      continue;
    }
    let digits = 0;
    let dots = 0;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
      else if (c === 46) dots++;
    }
    if (worthValidating(text, start, end, digits, dots)) {
      const ls = text.lastIndexOf('\n', start - 1) + 1;
      let le = text.indexOf('\n', end);
      if (le === -1) le = n;
      ranges.push([Math.max(ls, start - NUMERIC_PAD), Math.min(le, end + NUMERIC_PAD), digits, dots]);
    }
  }
  return ranges;
}

/** Numeric rules need 9+ digits, 7-8 directly before a letter or dash (DNI/NIE), or an IPv4 shape. */
function worthValidating(text: string, start: number, end: number, digits: number, dots: number): boolean {
  if (digits >= 9 || dots === 3) return true;
  const after = end < text.length ? text.charCodeAt(end) : 0;
  return digits >= 7 && end - start === digits && (isUpper(after) || after === 45);
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
const FAKE = /[Ee][Xx][Aa][Mm][Pp][Ll][Ee]|([xX*#])\1{5,}|abc123|abcdef|ABCDEF|123456|654321/;
/** Low-specificity rules also drop runs of any one character and alphabet runs. */
const FAKE_GENERIC = /example|(.)\1{5,}|abcdefgh|bcdefghi|abc123/i;
/** True when a secret candidate is a documentation fake or placeholder. */
export function looksFake(value: string, generic = false): boolean {
  return (generic ? FAKE_GENERIC : FAKE).test(value);
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
    const context = rule.validate ? full.slice(Math.max(0, from - 64), from) : '';
    let confidence = rule.validate ? rule.validate(value, context, m[0]) : 1;
    if (rule.kind === 'secret' && !rule.find && looksFake(value, rule.generic === true)) confidence = 0;
    if (confidence <= 0 || (rule.kind === 'pii' ? confidence < minPii : confidence < MIN_SECRET_CONFIDENCE)) {
      continue;
    }
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
  const p = prepare(rules);
  const lower = text.toLowerCase();
  const sameLength = lower.length === text.length;
  const gated = sameLength ? keywordRanges(text, lower, rules, p) : null;
  rules.forEach((rule, i) => {
    if (rule.numeric || (!rule.keywords.length)) return;
    const ranges = gated ? gated.get(i) ?? [] : null;
    let covered = 0;
    if (ranges) for (const [s, e] of ranges) covered += e - s;
    if (ranges === null || covered > text.length * DENSE_SHARE) runRule(rule, text, 0, text, out, minPii);
    else for (const [s, e] of ranges) runRule(rule, text.slice(s, e), s, text, out, minPii);
  });
  for (const i of p.everywhere) runRule(rules[i]!, text, 0, text, out, minPii);
  if (p.numeric.length) {
    const seen = new Set<string>();
    const numeric: RawMatch[] = [];
    for (const [s, e, digits, dots] of numericRanges(text)) {
      const piece = text.slice(s, e);
      for (const i of p.numeric) {
        const rule = rules[i]!;
        const [lo, hi] = rule.digits ?? [0, Infinity];
        if ((digits >= lo && digits <= hi) || (dots === 3 && rule.id === 'pii.ip-address')) runRule(rule, piece, s, text, numeric, minPii);
      }
    }
    for (const m of numeric) {
      const key = `${m.rule.id}:${m.start}:${m.end}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push(m);
      }
    }
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
