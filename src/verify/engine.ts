/**
 * @module verify/engine
 * Runs detector rules over a text and returns located, de-duplicated matches. Rules with
 * keywords only run on the lines where a keyword occurs (one forward sweep: over the bytes of a
 * long ASCII text with an exact three-byte gate, otherwise over the characters with a rolling
 * three-character hash gate; no lower-cased copy), which keeps the scanner fast with every rule on.
 * Where matches overlap, the most important kind wins: canary over secret over PII, then the
 * longer match.
 */
import type { DetectorKind, DetectorRule, RawMatch } from './types.js';

/**
 * The scanner's byte passes in C (native/airlock-scan.c, built into dist/native/ by
 * scripts/build-native.mjs and loaded by src/native-scan.ts: this module does no I/O). Without
 * them the same passes run in JavaScript, about twice as slow on a large text; tests compare the
 * two on the same inputs.
 */
export interface NativeScan {
  /**
   * Every keyword occurrence as [lineStart, lineEnd, position, word] into `out`; word w is
   * `chars[starts[w]]` up to `chars[starts[w + 1]]` (as in `ByteTable`). Returns how many values
   * there are: when more than `out` holds, only the count is right (call again with a larger one).
   */
  keywordHits(bytes: Uint8Array, chars: Uint8Array, starts: Int32Array, out: Int32Array): number;
  /** What `numericRanges` returns for an ASCII text, read as bytes, into `out` (returns the count, as above). */
  numericItems(bytes: Uint8Array, out: Int32Array): number;
  /** What `longRunLines` returns for an ASCII text, read as bytes, into `out` (returns the count, as above). */
  longRuns(bytes: Uint8Array, min: number, out: Int32Array): number;
}

/** The native passes' output buffers, kept between calls (fresh memory is slow: see native/airlock-scan.c). */
const nativeOut = { hits: new Int32Array(1 << 12), numeric: new Int32Array(1 << 12), runs: new Int32Array(1 << 10) };

/**
 * Runs a native pass into its reused buffer, growing the buffer once when the pass reports more
 * values than it holds. Returns a view of the values: valid until the next call of the same pass.
 */
function intoNative(kind: keyof typeof nativeOut, pass: (out: Int32Array) => number): Int32Array {
  let n = pass(nativeOut[kind]);
  if (n > nativeOut[kind].length) {
    nativeOut[kind] = new Int32Array(Math.ceil(n * 1.25));
    n = pass(nativeOut[kind]);
  }
  return nativeOut[kind].subarray(0, n);
}

let nativeLoader: (() => NativeScan | null) | undefined;
let nativeCache: NativeScan | null | undefined;

/**
 * Gives the engine its native passes: the passes themselves, null for none, or a loader called
 * once, at the first text large enough to use them (so short commands never load the addon).
 */
export function setNativeScan(source: NativeScan | null | (() => NativeScan | null)): void {
  nativeLoader = typeof source === 'function' ? source : undefined;
  nativeCache = typeof source === 'function' ? undefined : source;
}

/** The native passes, or null (none given, or the loader found none or failed). */
export function nativeScan(): NativeScan | null {
  if (nativeCache === undefined) {
    try {
      nativeCache = nativeLoader?.() ?? null;
    } catch {
      nativeCache = null; // the JavaScript passes do the same work
    }
  }
  return nativeCache;
}

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

/** A rule set prepared for scanning: the keyword table, the numeric rules, the rest. */
interface Prepared {
  keywords: KeywordTable | null;
  numeric: number[];
  everywhere: number[];
  /** The shortest `minRun` of the rules without keywords that have one (0: none has). */
  minRun: number;
}

/**
 * The keywords indexed by their first two characters (folded to lower case). One forward sweep
 * over the text looks up each position's bigram in `byBigram` and only compares the few keywords
 * of that bucket, so a position costs two table reads instead of one regex alternation step per
 * first character (the trie-shaped regex this replaces spent a third of the scan there).
 */
interface KeywordTable {
  /** Per bigram hash, the index of its bucket in `buckets`, or -1 (a typed array: dense and fast). */
  byBigram: Int16Array;
  /** Per bigram, the indexes in `words` of the keywords that start with it. */
  buckets: number[][];
  /** Every keyword. */
  words: Array<{ word: string }>;
  /** The rule indexes each keyword gates, back to back: keyword w's are `wordRules[wordRuleStart[w]]` up to `wordRules[wordRuleStart[w + 1]]`. */
  wordRules: Int32Array;
  wordRuleStart: Int32Array;
  /** One-character keywords (index in `words`) by char code, and a flag per char code (a Map lookup per position is too slow). */
  single: Map<number, number>;
  singleFirst: Uint8Array;
  /** 1 for every `gateHash` of three characters a keyword can start with (any third one for short keywords). */
  gate: Uint8Array;
  /** The keywords as bytes for the byte passes, built on first use; null when one is not ASCII or holds a newline. */
  layout?: WordLayout | null;
  /** The JavaScript byte sweep's tables, built on first use (never where the native pass runs). */
  bytes?: ByteTable;
}

/**
 * The keywords for a text that is all ASCII, scanned as bytes: an exact table of the three-byte
 * starts a keyword can have (either case), read once per byte with a rolling 21-bit index, that
 * names the bucket of keywords to compare there. This replaces the rolling hash, the fold
 * table and the string reads of `sweepKeywords` for the common case.
 */
interface ByteTable {
  /**
   * Per three bytes `(a << 14) | (b << 7) | c` (7 bits each), the index in `buckets` plus one of
   * the keywords that can start with them (either case), or 0.
   */
  gate: Uint16Array;
  /**
   * Per bucket slot and fourth byte `(slot << 7) | d`, 1 when a keyword of the bucket can go on
   * with `d` (any `d` when one is three characters or shorter). Checked before the bucket is
   * compared: on mixed text most three-byte starts that pass the gate are words like `config`,
   * `package` or `api/`, not `convertto-`, `age-` or `api_`.
   */
  fourth: Uint8Array;
  /**
   * The buckets' word indexes (into `KeywordTable.words`) back to back, each bucket in the order
   * `sweepKeywords` reports them; bucket `slot` (one-based) is `bucketWords[bucketStart[slot - 1]]`
   * up to `bucketWords[bucketStart[slot]]`.
   */
  bucketWords: Int32Array;
  bucketStart: Int32Array;
  /** Every keyword's characters, lower case, concatenated; `starts[w]` is where word w begins. */
  chars: Uint8Array;
  starts: Int32Array;
}

/** The keywords as bytes: word w is `chars[starts[w]]` up to `chars[starts[w + 1]]`. */
interface WordLayout {
  chars: Uint8Array;
  starts: Int32Array;
}

const prepared = new WeakMap<readonly DetectorRule[], Prepared>();
const BIGRAM_MASK = 0x3fff;
const bigram = (a: number, b: number): number => ((a << 7) ^ b) & BIGRAM_MASK;
/** Bits kept per character in the gate hash (6: distinct for lower-case ASCII letters, digits and most punctuation). */
const GATE_BITS = 6;
const GATE_CHAR = (1 << GATE_BITS) - 1;
const GATE_MASK = (1 << (3 * GATE_BITS)) - 1;
const gateHash = (a: number, b: number, c: number): number => (((a & GATE_CHAR) << (2 * GATE_BITS)) ^ ((b & GATE_CHAR) << GATE_BITS) ^ (c & GATE_CHAR)) & GATE_MASK;

/**
 * Per UTF-16 code unit, its lower-case form when `toLowerCase` keeps it one unit long (as the
 * keywords are compared against `text.toLowerCase()`, e.g. the Kelvin sign folds to `k`), or
 * 0xffff when lower-casing changes the length (`İ`): then line offsets of a lower-cased copy would
 * not match the text, and keyword gating is skipped as before.
 */
let foldTable: Uint16Array | null = null;
/** True once the table holds every code unit, not only ASCII. */
let foldFull = false;
let lengthChangingCache: RegExp | null | undefined;

/** The fold table; ASCII only until a text with other characters asks for the rest (`fillFold`). */
function fold(): Uint16Array {
  if (foldTable) return foldTable;
  // Filling all 65,536 entries costs several ms at start-up of every short CLI command, most of
  // which never scan a non-ASCII character.
  foldTable = new Uint16Array(65536);
  for (let c = 0; c < 128; c++) foldTable[c] = c >= 65 && c <= 90 ? c + 32 : c;
  return foldTable;
}

function fillFold(): void {
  const table = fold();
  for (let c = 128; c < 65536; c++) {
    if (c >= 0xd800 && c <= 0xdfff) table[c] = c;
    else {
      const l = String.fromCharCode(c).toLowerCase();
      table[c] = l.length === 1 ? l.charCodeAt(0) : 0xffff;
    }
  }
  foldFull = true;
}

/** Characters whose lower case is longer than one unit (`İ`); only asked once the table is full. */
function lengthChanging(): RegExp | null {
  if (lengthChangingCache !== undefined) return lengthChangingCache;
  const f = fold();
  let cls = '';
  for (let c = 0; c < 65536; c++) if (f[c] === 0xffff) cls += `\\u${c.toString(16).padStart(4, '0')}`;
  lengthChangingCache = cls ? new RegExp(`[${cls}]`) : null;
  return lengthChangingCache;
}

function prepare(rules: readonly DetectorRule[]): Prepared {
  const cached = prepared.get(rules);
  if (cached) return cached;
  // Each keyword with the rules it gates, in rule order (one pass; a rule naming a keyword twice counts once).
  const keywords = new Map<string, number[]>();
  rules.forEach((r, i) => {
    if (r.numeric) return;
    for (const k of r.keywords) {
      const idx = keywords.get(k);
      if (!idx) keywords.set(k, [i]);
      else if (idx[idx.length - 1] !== i) idx.push(i);
    }
  });
  let table: KeywordTable | null = null;
  if (keywords.size) {
    table = { byBigram: new Int16Array(BIGRAM_MASK + 1).fill(-1), buckets: [], words: [], single: new Map(), singleFirst: new Uint8Array(65536),
      gate: new Uint8Array(GATE_MASK + 1), wordRules: new Int32Array(0), wordRuleStart: new Int32Array(1) };
    const gated: number[][] = [];
    for (const [kw, idx] of keywords) {
      if (!kw) continue;
      const w = table.words.push({ word: kw }) - 1;
      gated.push(idx);
      if (kw.length === 1) {
        for (let b = 0; b <= GATE_CHAR; b++) for (let c = 0; c <= GATE_CHAR; c++) table.gate[gateHash(kw.charCodeAt(0), b, c)] = 1;
        table.single.set(kw.charCodeAt(0), w);
        table.singleFirst[kw.charCodeAt(0)] = 1;
      }
      else {
        const h = bigram(kw.charCodeAt(0), kw.charCodeAt(1));
        for (let c = 0; c <= GATE_CHAR; c++) {
          if (kw.length === 2 || (kw.charCodeAt(2) & GATE_CHAR) === c) table.gate[gateHash(kw.charCodeAt(0), kw.charCodeAt(1), c)] = 1;
        }
        if (table.byBigram[h] === -1) table.byBigram[h] = table.buckets.push([]) - 1;
        table.buckets[table.byBigram[h]!]!.push(w);
      }
    }
    table.wordRules = Int32Array.from(gated.flat());
    table.wordRuleStart = new Int32Array(gated.length + 1);
    gated.forEach((idx, w) => { table!.wordRuleStart[w + 1] = table!.wordRuleStart[w]! + idx.length; });
  }
  const p: Prepared = {
    keywords: table,
    numeric: rules.flatMap((r, i) => (r.numeric ? [i] : [])),
    everywhere: rules.flatMap((r, i) => (!r.numeric && !r.keywords.length ? [i] : [])),
    minRun: 0,
  };
  const runs = rules.filter((r) => !r.numeric && !r.keywords.length && r.minRun !== undefined && r.minRun >= 1).map((r) => r.minRun!);
  if (runs.length) p.minRun = Math.min(...runs);
  prepared.set(rules, p);
  return p;
}

/**
 * Every keyword occurrence as flat pairs [position, keyword index], in text order; null when a
 * character changes length when lower-cased.
 */
function sweepKeywords(text: string, table: KeywordTable): number[] | null {
  // Large ASCII texts take the byte sweep (keywordRanges); the ones that come here are short
  // (a command's output) or hold other characters, which need the rest of the table.
  if (!foldFull && !isAscii(text)) fillFold();
  if (foldFull) {
    const lc = lengthChanging();
    if (lc && lc.test(text)) return null;
  }
  const f = fold();
  const { gate, byBigram, buckets, singleFirst, single, words } = table;
  const n = text.length;
  const hits: number[] = [];
  // Rolling 18-bit hash of the last three characters (6 bits each, folded to lower case); the
  // gate has a bit set for every hash a keyword's first characters can produce, so most
  // positions cost one charCodeAt and two table reads.
  let h = 0;
  for (let i = 0; i < n; i++) {
    h = ((h << GATE_BITS) ^ (f[text.charCodeAt(i)]! & GATE_CHAR)) & GATE_MASK;
    if (gate[h] === 0 || i < 2) continue;
    const at = i - 2;
    const a = f[text.charCodeAt(at)]!;
    const b = f[text.charCodeAt(at + 1)]!;
    if (singleFirst[a] === 1) hits.push(at, single.get(a)!);
    const slot = byBigram[((a << 7) ^ b) & BIGRAM_MASK]!;
    if (slot < 0) continue;
    const bucket = buckets[slot]!;
    for (let j = 0; j < bucket.length; j++) {
      const w = bucket[j]!;
      const word = words[w]!.word;
      const len = word.length;
      if (at + len > n || word.charCodeAt(0) !== a || word.charCodeAt(1) !== b) continue;
      let k = 2;
      while (k < len && f[text.charCodeAt(at + k)] === word.charCodeAt(k)) k++;
      if (k === len) hits.push(at, w);
    }
  }
  // The last two positions have no three-character window: check them directly.
  for (let at = Math.max(0, n - 2); at < n; at++) {
    const a = f[text.charCodeAt(at)]!;
    if (singleFirst[a] === 1) hits.push(at, single.get(a)!);
    if (at + 1 < n) {
      const b = f[text.charCodeAt(at + 1)]!;
      const slot = byBigram[((a << 7) ^ b) & BIGRAM_MASK]!;
      if (slot >= 0) for (const w of buckets[slot]!) if (words[w]!.word.length === 2 && words[w]!.word.charCodeAt(0) === a && words[w]!.word.charCodeAt(1) === b) hits.push(at, w);
    }
  }
  return hits;
}

/** ASCII lower case by byte. */
const LOWER_BYTE = Uint8Array.from({ length: 256 }, (_, c) => (c >= 65 && c <= 90 ? c + 32 : c));

/** The raw characters that fold to `c`: both cases of a letter, none for an upper-case one. */
function variants(c: number): number[] {
  if (c >= 97 && c <= 122) return [c, c - 32];
  return c >= 65 && c <= 90 ? [] : [c];
}

/**
 * `table`'s keywords as bytes, back to back (what both byte passes read); null when one of them
 * is not ASCII or holds a newline (the byte passes end a line at every newline they read).
 */
function wordLayout(table: KeywordTable): WordLayout | null {
  const { words } = table;
  if (words.some(({ word }) => /[^\x00-\x7f]|\n/.test(word))) return null;
  const starts = new Int32Array(words.length + 1);
  words.forEach(({ word }, w) => { starts[w + 1] = starts[w]! + word.length; });
  const chars = new Uint8Array(starts[words.length]!);
  words.forEach(({ word }, w) => { for (let k = 0; k < word.length; k++) chars[starts[w]! + k] = word.charCodeAt(k); });
  return { chars, starts };
}

/**
 * The JavaScript byte sweep's tables for `table`'s keywords (`layout` from `wordLayout`). Built
 * only where that sweep runs: the native pass needs the layout alone, and the 4 MiB gate would
 * cost a scan with the addon a few milliseconds of filling and fresh memory for nothing.
 */
function byteTable(table: KeywordTable, { chars, starts }: WordLayout): ByteTable {
  const { words } = table;
  // Words by their folded start: one character, two, three. At one position `sweepKeywords`
  // reports the one-character keyword first, then the others in the order listed.
  const single = new Map<number, number>();
  const byPair = new Map<number, number[]>();
  const byTriple = new Map<number, number[]>();
  words.forEach(({ word }, w) => {
    const [a, b, c] = [word.charCodeAt(0), word.charCodeAt(1), word.charCodeAt(2)];
    if (word.length === 1) single.set(a, w);
    else if (word.length === 2) byPair.set((a << 7) | b, [...(byPair.get((a << 7) | b) ?? []), w]);
    else byTriple.set((a << 14) | (b << 7) | c, [...(byTriple.get((a << 14) | (b << 7) | c) ?? []), w]);
  });
  const gate = new Uint16Array(1 << 21);
  const buckets: Int32Array[] = [];
  const bucket = (a: number, list: number[]): number => {
    const s = single.get(a);
    return buckets.push(Int32Array.from([...(s === undefined ? [] : [s]), ...list.sort((x, y) => x - y)]));
  };
  // Shorter starts first, so that a longer start's bucket (which holds the shorter ones' words too)
  // overwrites them where it applies.
  for (const a of single.keys()) {
    const slot = bucket(a, []);
    for (const ra of variants(a)) gate.fill(slot, ra << 14, (ra + 1) << 14);
  }
  for (const [key, list] of byPair) {
    const slot = bucket(key >> 7, [...list]);
    for (const ra of variants(key >> 7)) for (const rb of variants(key & 127)) gate.fill(slot, (ra << 14) | (rb << 7), (ra << 14) | ((rb + 1) << 7));
  }
  for (const [key, list] of byTriple) {
    const slot = bucket(key >> 14, [...list, ...(byPair.get(key >> 7) ?? [])]);
    for (const ra of variants(key >> 14)) for (const rb of variants((key >> 7) & 127)) for (const rc of variants(key & 127)) gate[(ra << 14) | (rb << 7) | rc] = slot;
  }
  const bucketStart = new Int32Array(buckets.length + 1);
  buckets.forEach((b, i) => { bucketStart[i + 1] = bucketStart[i]! + b.length; });
  const bucketWords = new Int32Array(bucketStart[buckets.length]!);
  buckets.forEach((b, i) => bucketWords.set(b, bucketStart[i]!));
  const fourth = new Uint8Array((buckets.length + 1) << 7);
  buckets.forEach((list, i) => {
    const slot = i + 1;
    for (const w of list) {
      if (words[w]!.word.length <= 3) fourth.fill(1, slot << 7, (slot + 1) << 7);
      else for (const d of variants(words[w]!.word.charCodeAt(3))) fourth[(slot << 7) | d] = 1;
    }
  });
  return { gate, fourth, bucketWords, bucketStart, chars, starts };
}

/**
 * Texts at least this long are swept as bytes; shorter ones (a short command's output) do not pay
 * for building the byte table (a 4 MiB gate, ~2 ms) and take the character sweep.
 */
const BYTE_SWEEP_MIN = 64 * 1024;

/** A buffer reused for the bytes of the texts scanned (writing into it is far cheaper than a new one). */
let scratch = Buffer.alloc(0);
/** Texts longer than this get a buffer of their own, so that the scratch buffer stays small. */
const SCRATCH_MAX = 32 * 1024 * 1024;

/** The text whose bytes `asciiBytes` returned last, and those bytes (the sweep and the numeric pass read the same text). */
let lastText: string | null = null;
let lastBytes: Uint8Array | null = null;

/**
 * The bytes of `text` when it is all ASCII, exactly `text.length` of them (a view of a reused
 * buffer: valid until the next call); null when it is not. One UTF-8 write does both: the UTF-8
 * form of an ASCII text is the text, and any other text takes more bytes than it has characters,
 * so with four bytes to spare (one character's most) the write goes past `text.length`.
 */
function asciiBytes(text: string): Uint8Array | null {
  if (text === lastText) return lastBytes;
  const need = text.length + 4;
  let buffer: Buffer;
  if (need > SCRATCH_MAX) buffer = Buffer.allocUnsafe(need);
  else {
    if (scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, 2 * scratch.length));
    buffer = scratch;
  }
  const written = buffer.write(text, 0, 'utf8');
  // A plain Uint8Array view: V8 reads a Buffer (a subclass) more slowly in the sweep's loop.
  lastBytes = written === text.length ? new Uint8Array(buffer.buffer, buffer.byteOffset, text.length) : null;
  // A text of its own buffer is not kept past the next call (the scratch buffer is reused anyway).
  lastText = buffer === scratch ? text : null;
  return lastBytes;
}

/** True when every character of `text` is ASCII (then its UTF-8 form is as long as it). */
const isAscii = (text: string): boolean => Buffer.byteLength(text, 'utf8') === text.length;

/** True when the byte passes read `text`: long enough to repay them, and ASCII. */
const byteable = (text: string): boolean => text.length >= BYTE_SWEEP_MIN && asciiBytes(text) !== null;

/**
 * Builds per-rule line ranges from keyword hits reported in text order with their line
 * (`hit`), the same for every sweep: a rule is marked for a line at the first occurrence of one
 * of its keywords that passes the rule's `keywordCheck` (if it has one); at the end of the line
 * the line (for a multi-line rule, up to `MULTILINE_REACH` past it) joins the rule's open range
 * when it touches it. Per-rule state lives in typed arrays, so a line costs a few array writes.
 */
class LineSweep {
  /** Per rule index, its closed ranges as flat [start, end, …] (the open one is in curStart/curEnd). */
  private readonly lists: Array<number[] | undefined> = [];
  private readonly curStart: Int32Array;
  private readonly curEnd: Int32Array;
  /** Per keyword, the number of the last line where all its rules were marked. */
  private readonly wordLine: Int32Array;
  /** Per rule index, the number of the last line it was marked for. */
  private readonly ruleLine: Int32Array;
  private readonly multiline: Uint8Array;
  private readonly checks: Array<DetectorRule['keywordCheck']>;
  /** The rules marked on the current line: the first `touchedCount` entries (kept, not emptied: an emptied array gives back its storage and grows again on every line). */
  private readonly touched: Int32Array;
  private touchedCount = 0;
  private line = 0;
  private lineStart = -1;
  private lineEnd = -1;

  constructor(private readonly text: string, private readonly table: KeywordTable, rules: readonly DetectorRule[]) {
    this.curStart = new Int32Array(rules.length).fill(-1);
    this.curEnd = new Int32Array(rules.length);
    this.wordLine = new Int32Array(table.words.length).fill(-1);
    this.ruleLine = new Int32Array(rules.length).fill(-1);
    this.touched = new Int32Array(rules.length);
    this.multiline = Uint8Array.from(rules, (r) => (r.multiline ? 1 : 0));
    this.checks = rules.map((r) => r.keywordCheck);
  }

  /** Keyword `w` occurs at `at`, on the line `lineStart`..`lineEnd` (hits come in text order). */
  hit(lineStart: number, lineEnd: number, at: number, w: number): void {
    if (lineStart !== this.lineStart) {
      if (this.touchedCount !== 0) this.endLine();
      this.lineStart = lineStart;
      this.lineEnd = lineEnd;
    }
    if (this.wordLine[w] === this.line) return;
    const { wordRules, wordRuleStart } = this.table;
    let pending = false;
    for (let j = wordRuleStart[w]!, last = wordRuleStart[w + 1]!; j < last; j++) {
      const r = wordRules[j]!;
      if (this.ruleLine[r] === this.line) continue;
      const check = this.checks[r];
      if (check !== undefined && !check(this.text, at, at + this.table.words[w]!.word.length)) {
        pending = true; // another occurrence on this line may pass
        continue;
      }
      this.ruleLine[r] = this.line;
      this.touched[this.touchedCount++] = r;
    }
    if (!pending) this.wordLine[w] = this.line;
  }

  /** The line that starts at `lineStart` ends at `end` (for sweeps that learn the end after its hits). */
  closeLine(lineStart: number, end: number): void {
    if (lineStart === this.lineStart) this.lineEnd = end;
  }

  /** The ranges, once every hit is in. */
  finish(): Array<number[] | undefined> {
    if (this.touchedCount !== 0) this.endLine();
    for (let r = 0; r < this.curStart.length; r++) if (this.curStart[r]! >= 0) (this.lists[r] ??= []).push(this.curStart[r]!, this.curEnd[r]!);
    return this.lists;
  }

  private endLine(): void {
    const { touched, curStart, curEnd, multiline } = this;
    const start = this.lineStart;
    const end = this.lineEnd;
    const far = Math.min(this.text.length, end + MULTILINE_REACH);
    for (let j = 0; j < this.touchedCount; j++) {
      const r = touched[j]!;
      const e = multiline[r] === 1 ? far : end;
      const open = curStart[r]!;
      if (open >= 0 && start <= curEnd[r]! + 1) {
        if (e > curEnd[r]!) curEnd[r] = e;
      } else {
        if (open >= 0) this.close(r);
        curStart[r] = start;
        curEnd[r] = e;
      }
    }
    this.touchedCount = 0;
    this.line++;
  }

  private close(r: number): void {
    (this.lists[r] ??= []).push(this.curStart[r]!, this.curEnd[r]!);
  }
}

/** Compares the keywords of gate bucket `slot` with the bytes at `at`; reports the ones that occur to `sweep` (line end not known yet). */
function keywordsAt(bytes: Uint8Array, n: number, at: number, lineStart: number, slot: number, t: ByteTable, sweep: LineSweep): void {
  const { bucketWords, bucketStart, chars, starts } = t;
  for (let j = bucketStart[slot - 1]!, last = bucketStart[slot]!; j < last; j++) {
    const w = bucketWords[j]!;
    const s = starts[w]!;
    const len = starts[w + 1]! - s;
    if (at + len > n) continue;
    let k = 3;
    while (k < len && LOWER_BYTE[bytes[at + k]!] === chars[s + k]) k++;
    if (k >= len) sweep.hit(lineStart, -1, at, w);
  }
}

/**
 * Reports every keyword occurrence in an ASCII text read as bytes to `sweep`, in text order (the
 * JavaScript form of the native pass): one gate read per byte; only where a keyword can start are
 * the few keywords of that three-byte start's bucket compared (from their fourth character on).
 * Lines are followed in the same pass (the first byte of the three-byte window is the one judged,
 * so a newline there ends the line and gives the sweep its end).
 */
function byteSweep(bytes: Uint8Array, n: number, t: ByteTable, sweep: LineSweep): void {
  const { gate, fourth } = t;
  let lineStart = 0;
  // The loop only reads the gate (and at a three-byte start, the fourth byte's table); the rare
  // positions where a keyword can start are handed to `keywordsAt` (kept out of this loop, which
  // then compiles to a few instructions per byte).
  let h = n > 1 ? (bytes[0]! << 7) | bytes[1]! : 0;
  for (let i = 2; i < n; i++) {
    h = ((h << 7) | bytes[i]!) & 0x1fffff;
    if ((h >> 14) === 10) {
      sweep.closeLine(lineStart, i - 2);
      lineStart = i - 1;
      continue; // no keyword starts with a newline
    }
    const slot = gate[h]!;
    if (slot !== 0 && (i + 1 >= n || fourth[(slot << 7) | bytes[i + 1]!] === 1)) keywordsAt(bytes, n, i - 2, lineStart, slot, t, sweep);
  }
  // The last two positions have no three-byte window: zero bytes past the end stand in, and only
  // keywords short enough to fit can occur there.
  const { bucketWords, bucketStart, starts } = t;
  for (let at = Math.max(0, n - 2); at < n; at++) {
    if (bytes[at] === 10) {
      sweep.closeLine(lineStart, at);
      lineStart = at + 1;
      continue;
    }
    const slot = gate[(bytes[at]! << 14) | (at + 1 < n ? bytes[at + 1]! << 7 : 0)]!;
    for (let j = slot ? bucketStart[slot - 1]! : 0, last = slot ? bucketStart[slot]! : 0; j < last; j++) {
      const w = bucketWords[j]!;
      if (starts[w + 1]! - starts[w]! <= n - at) sweep.hit(lineStart, -1, at, w);
    }
  }
  sweep.closeLine(lineStart, n);
}

/** The line ranges of hits given as [lineStart, lineEnd, position, word] each. */
function linesOfHits(text: string, hits: ArrayLike<number>, table: KeywordTable, rules: readonly DetectorRule[]): Array<number[] | undefined> {
  const sweep = new LineSweep(text, table, rules);
  for (let h = 0; h < hits.length; h += 4) sweep.hit(hits[h]!, hits[h + 1]!, hits[h + 2]!, hits[h + 3]!);
  return sweep.finish();
}

/**
 * Per rule index, the merged line ranges where one of its keywords occurs (compared
 * case-insensitively, as in `text.toLowerCase()`), in one forward sweep; null when lower-casing
 * would change the text's length (then every rule runs on the whole text). Exported for tests,
 * which compare the byte sweep with the character sweep (`sweep`; default: by the text).
 */
export function keywordRanges(text: string, rules: readonly DetectorRule[], sweep?: 'native' | 'bytes' | 'chars'): Array<number[] | undefined> | null {
  const table = prepare(rules).keywords;
  if (!table) return [];
  const bytes = sweep === undefined ? byteable(text) : sweep !== 'chars' && asciiBytes(text) !== null;
  if (bytes && table.layout === undefined) table.layout = wordLayout(table);
  const layout = bytes ? table.layout : null;
  if (layout) {
    const native = sweep === 'bytes' ? null : nativeScan();
    if (native) return linesOfHits(text, intoNative('hits', (out) => native.keywordHits(asciiBytes(text)!, layout.chars, layout.starts, out)), table, rules);
    table.bytes ??= byteTable(table, layout);
    const lines = new LineSweep(text, table, rules);
    byteSweep(asciiBytes(text)!, text.length, table.bytes, lines);
    return lines.finish();
  }
  // The character sweep only records hits (position, keyword); line ranges are built afterwards,
  // so its hot loop captures nothing in a closure (context-allocated variables made it several
  // times slower).
  const hits = sweepKeywords(text, table);
  if (hits === null) return null;
  const sweepLines = new LineSweep(text, table, rules);
  let lineStart = -1;
  let lineEnd = -1;
  for (let h = 0; h < hits.length; h += 2) {
    const at = hits[h]!;
    const w = hits[h + 1]!;
    if (at >= lineEnd) {
      // The line of the keyword's start, to the end of the line of its end.
      lineStart = text.lastIndexOf('\n', at - 1) + 1;
      const e = text.indexOf('\n', at + table.words[w]!.word.length);
      lineEnd = e === -1 ? text.length : e;
    }
    sweepLines.hit(lineStart, lineEnd, at, w);
  }
  return sweepLines.finish();
}

/** Characters of context kept around a candidate (IBAN country/check prefix, id letters). */
const NUMERIC_PAD = 12;
/** How far a piece's edge moves to reach a space. */
const EDGE_REACH = 32;

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
 * Digit runs worth validating: the only places numeric PII rules run. Returns flat
 * [start, end, digits, dots, …] per item with `NUMERIC_PAD` characters of context on each side
 * (widened to the nearest space, see padStart), within the line and never reaching into a
 * neighbouring item of the same run, so two numbers separated
 * by a space are judged apart (a phone next to a card number does not make one 27-digit run).
 * Each item adds [start, end, digits, dots, itemStart, itemEnd, onlyDigits] (`NUMERIC_STRIDE`
 * numbers): the piece to scan, then the item itself, and 1 when it is made of digits only (with no
 * `+` before it, which a phone number would take). A large ASCII text takes the native pass (a
 * view of a reused buffer, valid until the next call); `pass` picks one for tests.
 */
export function numericRanges(text: string, pass?: 'native' | 'regex'): ArrayLike<number> {
  const native = (pass === undefined ? byteable(text) : pass === 'native' && asciiBytes(text) !== null) ? nativeScan() : null;
  if (native) return intoNative('numeric', (out) => native.numericItems(asciiBytes(text)!, out));
  // Without the native pass the regex engine finds the candidates (a byte loop in JavaScript was
  // measured no faster).
  const ranges: number[] = [];
  const re = NUMERIC_CANDIDATE;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) numericCandidate(text, m.index, re.lastIndex, ranges);
  return ranges;
}

/** How far a numeric piece can reach past its item: the margin, then at most `EDGE_REACH` to a space. */
const PIECE_REACH = NUMERIC_PAD + EDGE_REACH;

/**
 * The start of the line of `at`, or `at - PIECE_REACH` when the line starts before that (a piece
 * never reaches further). Searching only that far keeps a long line (minified JSON) from costing
 * a search back to its start for every number on it.
 */
function lineFloor(text: string, at: number): number {
  const limit = Math.max(0, at - PIECE_REACH);
  for (let i = at - 1; i >= limit; i--) if (text.charCodeAt(i) === 10) return i + 1;
  return limit;
}

/** The end of the line of `at`, or `at + PIECE_REACH` when it ends after that (see `lineFloor`). */
function lineCeiling(text: string, at: number): number {
  const limit = Math.min(text.length, at + PIECE_REACH);
  for (let i = at; i < limit; i++) if (text.charCodeAt(i) === 10) return i;
  return limit;
}

/** Adds the items worth validating of the numeric candidate `start`..`end` to `ranges` (see `numericRanges`). */
function numericCandidate(text: string, start: number, end: number, ranges: number[]): void {
  let digits = 0;
  let dots = 0;
  let spaces = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46) dots++;
    else if (c === 32) spaces++;
  }
  // Every item worth validating has 7+ digits or 3 dots, so the whole run has as many: most
  // candidates (dates, short ids) are rejected here, before any other work.
  if (digits < 7 && dots < 3) return;
  const items = spaces ? splitItems(text, start, end) : null;
  if (items && items.length > 1) {
    for (let k = 0; k < items.length; k++) {
      const [s, e, itemDigits, itemDots] = items[k]!;
      if (!worthValidating(text, s, e, itemDigits, itemDots)) continue;
      const floor = k === 0 ? lineFloor(text, s) : items[k - 1]![1];
      const ceiling = k < items.length - 1 ? items[k + 1]![0] : lineCeiling(text, e);
      const from = padStart(text, Math.max(floor, s - NUMERIC_PAD), floor);
      const to = padEnd(text, Math.min(ceiling, e + NUMERIC_PAD), ceiling);
      ranges.push(from, to, itemDigits, itemDots, s, e, onlyDigits(text, s, e, itemDigits));
    }
    return;
  }
  if (worthValidating(text, start, end, digits, dots)) {
    const ls = lineFloor(text, start);
    const le = lineCeiling(text, end);
    ranges.push(padStart(text, Math.max(ls, start - NUMERIC_PAD), ls), padEnd(text, Math.min(le, end + NUMERIC_PAD), le), digits, dots,
      start, end, onlyDigits(text, start, end, digits));
  }
}

/** Whitespace as `\s` has it in ASCII: space, tab, newline, carriage return, form feed, vertical tab. */
export const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);

/**
 * Moves a piece's start back to just after a space (at most `EDGE_REACH`, never before `floor`):
 * the lookbehinds and `\b` of a pattern at the piece's start then see what the text has there. A
 * start inside a token made a false edge: the tail of `2026-5215838-664` or of a longer digit run
 * read as a phone number of its own.
 */
function padStart(text: string, from: number, floor: number): number {
  const limit = Math.max(floor, from - EDGE_REACH);
  while (from > limit && !isSpace(text.charCodeAt(from - 1))) from--;
  return from;
}

/** The same at a piece's end: on to the next space (at most `EDGE_REACH`, never past `ceiling`). */
function padEnd(text: string, to: number, ceiling: number): number {
  const limit = Math.min(ceiling, to + EDGE_REACH);
  while (to < limit && !isSpace(text.charCodeAt(to))) to++;
  return to;
}

/** 1 when the item `start`..`end` holding `digits` digits is a bare digit run: digits only, no `+` before. */
const onlyDigits = (text: string, start: number, end: number, digits: number): number =>
  (end - start === digits && text.charCodeAt(start - 1) !== 43 ? 1 : 0);

/** Numbers per item in `numericRanges`' result. */
const NUMERIC_STRIDE = 7;

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
  if (rule.requires && !rule.requires.test(text)) return;
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

/** Runs `rule` on the pieces `ranges` ([start, end, …]) of `text`, or on all of it when they cover most of it. */
function runPieces(rule: DetectorRule, text: string, ranges: ArrayLike<number>, out: RawMatch[], minPii: number): void {
  let covered = 0;
  for (let r = 0; r < ranges.length; r += 2) covered += ranges[r + 1]! - ranges[r]!;
  if (covered > text.length * DENSE_SHARE) runRule(rule, text, 0, text, out, minPii);
  else for (let r = 0; r < ranges.length; r += 2) runRule(rule, text.slice(ranges[r]!, ranges[r + 1]!), ranges[r]!, text, out, minPii);
}

/** True for a token character: `[A-Za-z0-9_-]` (`[\w-]`). */
export const isTokenChar = (c: number): boolean => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 95 || c === 45;

/**
 * The lines that hold a run of at least `min` token characters (`[A-Za-z0-9_-]`), as
 * [start, end, …] (end at the newline): where a rule with `minRun` can match. Reads every min-th
 * character (a run that long always holds one) and measures only the runs those fall in; after a
 * hit, the rest of its line is skipped. Exported for tests.
 */
export function longRunLines(text: string, min: number, pass?: 'native' | 'chars'): ArrayLike<number> {
  const n = text.length;
  if (pass === undefined ? byteable(text) : pass === 'native' && asciiBytes(text) !== null) {
    const native = nativeScan();
    if (native) return intoNative('runs', (out) => native.longRuns(asciiBytes(text)!, min, out));
  }
  const out: number[] = [];
  let floor = 0;
  let p = min - 1;
  while (p < n) {
    if (!isTokenChar(text.charCodeAt(p))) {
      p += min;
      continue;
    }
    let l = p;
    let r = p + 1;
    while (l > floor && isTokenChar(text.charCodeAt(l - 1))) l--;
    while (r < n && isTokenChar(text.charCodeAt(r))) r++;
    if (r - l < min) {
      p = r + min;
      continue;
    }
    const start = text.lastIndexOf('\n', l - 1) + 1;
    const nl = text.indexOf('\n', r);
    const end = nl === -1 ? n : nl;
    out.push(Math.max(start, floor), end);
    floor = end + 1;
    p = end + min;
  }
  return out;
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
  const gated = keywordRanges(text, rules);
  rules.forEach((rule, i) => {
    if (rule.numeric || (!rule.keywords.length)) return;
    if (gated === null) runRule(rule, text, 0, text, out, minPii);
    else runPieces(rule, text, gated[i] ?? [], out, minPii);
  });
  let runLines: ArrayLike<number> | undefined;
  for (const i of p.everywhere) {
    const rule = rules[i]!;
    if (!rule.minRun || p.minRun < 1) {
      runRule(rule, text, 0, text, out, minPii);
      continue;
    }
    // A rule for long tokens of a known shape runs on the lines that hold such a token.
    runLines ??= longRunLines(text, p.minRun);
    runPieces(rule, text, runLines, out, minPii);
  }
  if (p.numeric.length) {
    const seen = new Set<string>();
    const numeric: RawMatch[] = [];
    const ranges = numericRanges(text);
    // What each numeric rule needs per item, read once per scan rather than once per item.
    const numericRules = p.numeric.map((i) => rules[i]!);
    const lo = numericRules.map((rule) => (rule.digits ? rule.digits[0] : 0));
    const hi = numericRules.map((rule) => (rule.digits ? rule.digits[1] : Infinity));
    const ipv4 = numericRules.map((rule) => rule.id === 'pii.ip-address');
    // Rules differ in shape (optional fields), so reading `wholeDigits` and `validate` off each one
    // per item is a slow, many-shaped property lookup.
    const judge = numericRules.map((rule) => (rule.wholeDigits ? rule.validate : undefined));
    // Every match of the built-in IBAN pattern starts with a capital letter and holds only capitals,
    // digits, spaces and dashes. On an item of digits only, a match that takes digits of it cannot
    // start inside it, so it runs on from before the item: the character just before the item is
    // one of those. The timestamps and ids of program output (`"ts":1712345678`, `id=659580067`)
    // fail that, and the pattern is not run on their pieces. Only the built-in pattern is known to
    // have this shape (a changed pattern loses the shortcut, not a finding).
    const ibanShaped = numericRules.map((rule) => rule.id === 'pii.iban' && !rule.find
      && rule.pattern.source === '\\b[A-Z]{2}\\d{2}(?:[ -]?[A-Z0-9]){11,30}\\b' && rule.pattern.flags === 'g');
    for (let r = 0; r < ranges.length; r += NUMERIC_STRIDE) {
      const s = ranges[r]!;
      const digits = ranges[r + 2]!;
      const dots = ranges[r + 3]!;
      const itemStart = ranges[r + 4]!;
      const itemEnd = ranges[r + 5]!;
      const bare = ranges[r + 6] === 1;
      const prev = itemStart > 0 ? text.charCodeAt(itemStart - 1) : 0;
      const ibanCannotTouch = bare && !(isUpper(prev) || (prev >= 48 && prev <= 57) || prev === 32 || prev === 45);
      let piece: string | undefined;
      let digitsText: string | undefined;
      let context: string | undefined;
      for (let n = 0; n < numericRules.length; n++) {
        if (!((digits >= lo[n]! && digits <= hi[n]!) || (dots === 3 && ipv4[n]))) continue;
        if (ibanCannotTouch && ibanShaped[n]) continue;
        const rule = numericRules[n]!;
        const validate = judge[n];
        if (bare && validate) {
          // Any match on this item would be these digits, with this context: judge them first.
          digitsText ??= text.slice(itemStart, itemEnd);
          context ??= text.slice(Math.max(0, itemStart - 64), itemStart);
          const confidence = validate.call(rule, digitsText, context, digitsText);
          if (confidence <= 0 || confidence < minPii) continue;
        }
        piece ??= text.slice(s, ranges[r + 1]!);
        const before = numeric.length;
        runRule(rule, piece, s, text, numeric, minPii);
        // The piece's margin is context: a match must take digits of this item (one in the margin is
        // another item's, judged there by the rules of its own digit count).
        let kept = before;
        for (let k = before; k < numeric.length; k++) {
          const m = numeric[k]!;
          if (m.start < itemEnd && m.end > itemStart) numeric[kept++] = m;
        }
        numeric.length = kept;
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
  lastText = null; // the byte passes are done: the buffer need not keep naming this text
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
