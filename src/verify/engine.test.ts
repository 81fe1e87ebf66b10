/**
 * The scanner's internal passes against their reference forms: the byte sweep of ASCII texts
 * finds the same keyword line ranges as the character sweep, at every position, in either case,
 * at the very start and end of the text and with one-, two- and three-character keywords; a
 * rule's `requires` test only skips texts its pattern cannot match in; judging bare digit runs
 * with `validate` first (`wholeDigits`) finds the same as running every numeric pattern; the
 * native byte passes (native/airlock-scan.c) find what the JavaScript ones find.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { keywordRanges, longRunLines, nativeScan, numericRanges, scanText, setNativeScan } from './engine.js';
import { registerNativeScan } from '../native-scan.js';
import { buildRules } from './rules.js';
import type { DetectorRule } from './types.js';
import { parsePolicy } from '../policy/schema.js';
import { mulberry32 } from '../../bench/verify-mixed.js';

/** Deterministic PRNG so a failure can be reproduced. */
const prng = mulberry32;

const parsed = parsePolicy({});
if (!parsed.ok) throw new Error('default policy');
const rules = buildRules(parsed.value.verify, ['CanaryToken-0001', 'q']);
const keywords = [...new Set(rules.flatMap((r) => r.keywords))];

/** A text of keywords (random case), their prefixes, filler and newlines. */
function randomText(rnd: () => number, length: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < length) {
    const r = rnd();
    const kw = keywords[Math.floor(rnd() * keywords.length)]!;
    const cased = [...kw].map((c) => (rnd() < 0.5 ? c.toUpperCase() : c)).join('');
    const part = r < 0.4 ? cased : r < 0.55 ? cased.slice(0, Math.max(1, cased.length - 1)) : r < 0.7 ? '\n' : r < 0.8 ? ' ' : String.fromCharCode(32 + Math.floor(rnd() * 95));
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

describe('keyword sweep', () => {
  it('finds the same line ranges on bytes as on characters', () => {
    const rnd = prng(7);
    for (let round = 0; round < 40; round++) {
      const text = randomText(rnd, round < 30 ? 1 + Math.floor(rnd() * 400) : 70_000);
      assert.deepEqual(keywordRanges(text, rules, 'bytes'), keywordRanges(text, rules, 'chars'), `round ${round}`);
    }
  });

  it('finds keywords at the first and last positions of the text', () => {
    for (const text of ['@', 'a@', '@a', 'key', 'xkey', 'KEY', 'pw', 'xPW', 'q', 'xq', 'aws\nkey', '', '\n', 'key\n', '\nkey', 'ke', 'k']) {
      assert.deepEqual(keywordRanges(text, rules, 'bytes'), keywordRanges(text, rules, 'chars'), JSON.stringify(text));
      if (nativeScan()) assert.deepEqual(keywordRanges(text, rules, 'native'), keywordRanges(text, rules, 'chars'), JSON.stringify(text));
    }
  });
});

describe('long lines', () => {
  registerNativeScan();

  // Minified JSON puts a whole response on one line. Every number on it used to search back to the
  // line's start and on to its end: a 1 MB line took 38 s, a 10 MB one about an hour.
  it('scan one 4 MB line of numbers in linear time, natively and in JavaScript', { timeout: 60_000 }, () => {
    const unit = '{"id":1712345678,"ts":"2026-11-26T12:34:00Z"},';
    const line = `${unit.repeat(Math.ceil(4_000_000 / unit.length))}{"phone":"+1 (415) 867-5309"}`;
    const native = scanText(line, rules, { piiMinConfidence: 0.5 }).map((m) => `${m.rule.id}@${m.start}`);
    setNativeScan(null);
    try {
      assert.deepEqual(scanText(line, rules, { piiMinConfidence: 0.5 }).map((m) => `${m.rule.id}@${m.start}`), native);
    } finally {
      registerNativeScan();
    }
    assert.ok(native.includes(`pii.phone@${line.indexOf('+1 (415)')}`), 'the phone at the end of the line is found');
  });
});

describe('native passes', () => {
  registerNativeScan();
  const haveCc = spawnSync(process.env.CC || 'gcc', ['--version'], { stdio: 'ignore' }).status === 0;
  // Where scripts/build-native.mjs looks for Node's headers.
  const haveHeaders = [process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, 'include', 'node'),
    path.resolve(path.dirname(process.execPath), '..', 'include', 'node')].some((d) => d && existsSync(path.join(d, 'node_api.h')));
  const native = nativeScan();

  it('are built where a C compiler and Node\'s headers are (npm run build / scripts/build-native.mjs)', (t) => {
    if (!haveCc || !haveHeaders) return t.skip('no C compiler or no node_api.h here: the JavaScript passes are used');
    assert.ok(native, 'dist/native/airlock-scan.node is missing or does not load: run `node scripts/build-native.mjs`');
  });

  it('find the keyword line ranges the JavaScript sweeps find', (t) => {
    if (!native) return t.skip('native passes not built');
    const rnd = prng(21);
    for (let round = 0; round < 40; round++) {
      const text = randomText(rnd, round < 30 ? 1 + Math.floor(rnd() * 400) : 70_000);
      assert.deepEqual(keywordRanges(text, rules, 'native'), keywordRanges(text, rules, 'chars'), `round ${round}`);
    }
  });

  it('rebuild their keyword tables when the keywords change between calls', (t) => {
    if (!native) return t.skip('native passes not built');
    const rnd = prng(41);
    const fewer = rules.filter((_, i) => i % 3 === 0);
    const text = randomText(rnd, 70_000);
    for (const set of [rules, fewer, rules, fewer, fewer]) assert.deepEqual(keywordRanges(text, set, 'native'), keywordRanges(text, set, 'chars'));
  });

  it('find the numeric items the regex pass finds', (t) => {
    if (!native) return t.skip('native passes not built');
    const rnd = prng(23);
    const pieces = ['4539 1488 0343 6467', '+1 (415) 867-5309', '131052-308T', '010594Y9032', '10.0.0.1', '192.168.1.254', '2026-11-26T', '1712345678',
      '12 34 56 78 90', '+91 4155550132', 'DE89 3704 0044 0532 0130 00', '123.456.789-09', ' ', '\n', '-', '.', '(', ')', '/', '+', 'x', 'T', ':', '"', '7', '42'];
    for (let round = 0; round < 300; round++) {
      let text = '';
      const count = 1 + Math.floor(rnd() * 40);
      for (let k = 0; k < count; k++) text += pieces[Math.floor(rnd() * pieces.length)]!;
      const want = Array.from(numericRanges(text, 'regex'));
      assert.deepEqual(Array.from(numericRanges(text, 'native')), want, JSON.stringify(text));
    }
  });

  it('find the lines with long tokens the JavaScript pass finds', (t) => {
    if (!native) return t.skip('native passes not built');
    const rnd = prng(29);
    const alphabet = 'aZ09_-x.: \n/=+"';
    for (let round = 0; round < 200; round++) {
      // Runs of token characters of every length around the thresholds, across 64-byte blocks.
      let text = '';
      const length = round < 150 ? Math.floor(rnd() * 600) : 5000 + Math.floor(rnd() * 5000);
      while (text.length < length) {
        const run = Math.floor(rnd() * (rnd() < 0.1 ? 130 : 30));
        for (let k = 0; k < run; k++) text += alphabet[Math.floor(rnd() * 6)]!;
        text += alphabet[6 + Math.floor(rnd() * (alphabet.length - 6))]!;
      }
      for (const min of [1, 5, 24, 34, 63, 64, 65, 100]) {
        assert.deepEqual(Array.from(longRunLines(text, min, 'native')), Array.from(longRunLines(text, min, 'chars')), `round ${round} min ${min}`);
      }
    }
  });

  it('leave a large text with any non-ASCII character to the character sweep', () => {
    // At the end, at the start, and a character outside the BMP (4 bytes of UTF-8, 2 of UTF-16).
    const body = `${'x '.repeat(40_000)}\npassword = "hunter2hunter2" card 4539 1488 0343 6467\n`;
    for (const text of [`${body}é`, `€${body}`, `${body}\u{1F600}`, `${body}\u00ff`]) {
      assert.deepEqual(keywordRanges(text, rules), keywordRanges(text, rules, 'chars'), JSON.stringify(text.slice(-3)));
      assert.deepEqual(Array.from(numericRanges(text)), Array.from(numericRanges(text, 'regex')));
      assert.equal(scanText(text, rules).length, scanText(body, rules).length);
    }
  });

  it('read only the text asked for after a longer one (the byte buffer is reused)', (t) => {
    if (!native) return t.skip('native passes not built');
    // The first text leaves a keyword and a card number in the reused buffer past the second's end.
    const long = `${'x'.repeat(70_000)}\npassword=hunter2hunter 4539 1488 0343 6467\n`;
    const short = 'y'.repeat(70_000);
    keywordRanges(long, rules, 'native');
    numericRanges(long, 'native');
    assert.deepEqual(keywordRanges(short, rules, 'native'), keywordRanges(short, rules, 'chars'));
    assert.deepEqual(Array.from(numericRanges(short, 'native')), []);
    assert.deepEqual(scanText(short, rules), []);
  });

  it('reject arguments of the wrong type instead of reading memory', (t) => {
    if (!native) return t.skip('native passes not built');
    const out = new Int32Array(16);
    assert.throws(() => native.numericItems('text' as unknown as Uint8Array, out), TypeError);
    assert.throws(() => native.numericItems(new Uint8Array(4), new Uint8Array(4) as unknown as Int32Array), TypeError);
    assert.throws(() => native.keywordHits(new Uint8Array(4), new Uint8Array(3), new Int32Array([0, 5]), out), RangeError);
    assert.throws(() => native.keywordHits(new Uint8Array(4), new Uint8Array(3), new Int32Array(0), out), RangeError);
    assert.throws(() => native.longRuns(new Uint8Array(4), 0, out), RangeError);
  });

  it('count past a full output buffer without writing past it', (t) => {
    if (!native) return t.skip('native passes not built');
    const bytes = Buffer.from('4539 1488 0343 6467\n'.repeat(50), 'latin1');
    const view = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    const wide = new Int32Array(1000);
    const all = native.numericItems(view, wide);
    assert.equal(all, 50 * 7);
    const backing = new Int32Array(24).fill(-7);
    const narrow = backing.subarray(0, 16);
    assert.equal(native.numericItems(view, narrow), all);
    assert.deepEqual(Array.from(narrow), Array.from(wide.subarray(0, 16)));
    assert.deepEqual(Array.from(backing.subarray(16)), new Array(8).fill(-7), 'nothing written past the buffer');
  });
});

describe('requires', () => {
  const rule = (requires?: RegExp): DetectorRule => ({ id: 'test.ticket', kind: 'secret', severity: 'high', message: 'Ticket',
    keywords: ['ticket'], pattern: /ticket-(\d{6})/g, requires });

  it('skips a range that fails the test and scans one that passes it', () => {
    const text = 'ticket-482916\nno ticket here\n';
    assert.deepEqual(scanText(text, [rule(/-/)]).map((m) => m.value), ['482916']);
    assert.deepEqual(scanText(text, [rule(/#/)]).map((m) => m.value), []);
    assert.deepEqual(scanText(text, [rule()]).map((m) => m.value), ['482916']);
  });

  it('falls back to the character sweep when a keyword is not ASCII', () => {
    const kw: DetectorRule = { ...rule(), keywords: ['tïcket'], pattern: /tïcket-(\d{6})/gi };
    const text = `${'x'.repeat(70_000)}\nTÏCKET-482916\n`;
    assert.deepEqual(keywordRanges(text, [kw], 'bytes'), keywordRanges(text, [kw], 'chars'));
    assert.deepEqual(scanText(text, [kw]).map((m) => m.value), ['482916']);
  });
});

describe('wholeDigits', () => {
  /** The same rules with the digit pre-judgement switched off: every numeric pattern runs. */
  const plain = rules.map((r) => ({ ...r, wholeDigits: false }));
  const contextWords = ['phone ', 'tel: ', 'NHS ', 'ssn ', 'SIN ', 'personnummer ', 'kimlik ', 'pesel ', 'aadhaar ', 'card ', 'contact ', ''];
  const separators = [' ', '-', '.', '+', '(', ')', '/', ':', 'x', '\n', '"', ','];

  /** Numbers of 1 to 19 digits, bare or grouped, with context words, letters and separators between. */
  function numericText(rnd: () => number): string {
    let out = '';
    const pieces = 1 + Math.floor(rnd() * 6);
    for (let p = 0; p < pieces; p++) {
      out += contextWords[Math.floor(rnd() * contextWords.length)]!;
      if (rnd() < 0.2) out += 'XYZAFU'[Math.floor(rnd() * 6)]!;
      const digits = 1 + Math.floor(rnd() * 19);
      for (let d = 0; d < digits; d++) {
        out += String(Math.floor(rnd() * 10));
        if (rnd() < 0.12) out += separators[Math.floor(rnd() * separators.length)]!;
      }
      if (rnd() < 0.2) out += 'ABCXYZ'[Math.floor(rnd() * 6)]!;
      out += separators[Math.floor(rnd() * separators.length)]!;
    }
    return out;
  }

  for (const minPii of [0, 0.5, 0.7]) {
    it(`finds the same as running every numeric pattern (piiMinConfidence ${minPii})`, () => {
      const rnd = prng(11);
      let findings = 0;
      for (let round = 0; round < 4000; round++) {
        const text = numericText(rnd);
        const key = (ms: ReturnType<typeof scanText>): string[] => ms.map((m) => `${m.rule.id}@${m.start}-${m.end}:${m.confidence}`);
        const expected = key(scanText(text, plain, { piiMinConfidence: minPii }));
        findings += expected.length;
        assert.deepEqual(key(scanText(text, rules, { piiMinConfidence: minPii })), expected, JSON.stringify(text));
      }
      // The generator must produce findings, or the comparison proves nothing.
      assert.ok(findings > 150, `only ${findings} findings`);
    });
  }
});
