/**
 * The shortcuts of the numeric pass find what the plain pass finds: the IBAN pattern is not run
 * beside a bare digit run whose previous character no IBAN could hold, and context words are
 * found in a context as written before it is lower-cased; the Swedish id checks its date before
 * its checksum.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanText } from './engine.js';
import { PII_RULES, buildRules } from './rules.js';
import { parsePolicy } from '../policy/schema.js';
import { mulberry32 } from '../../bench/verify-mixed.js';

const parsed = parsePolicy({});
if (!parsed.ok) throw new Error('default policy');
const rules = buildRules(parsed.value.verify, []).filter((r) => r.numeric);
/** The same rules with the IBAN rule under another id: the engine knows no shortcut for it. */
const plain = rules.map((r) => (r.id === 'pii.iban' ? { ...r, id: 'test.iban' } : r));
const key = (ms: ReturnType<typeof scanText>): string[] =>
  ms.map((m) => `${m.rule.id === 'test.iban' ? 'pii.iban' : m.rule.id}@${m.start}-${m.end}:${m.confidence}`);
const rule = (id: string) => PII_RULES.find((r) => r.id === id)!;

/** A valid IBAN of `country` with `bban` (check digits computed, ISO 13616 mod 97). */
function makeIban(country: string, bban: string): string {
  let rem = 0;
  for (const ch of `${bban}${country}00`) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
}

describe('numeric shortcuts', () => {
  const rnd = mulberry32(23);
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(rnd() * 10))).join('');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const ibans = (): string => {
    const iban = pick([() => makeIban('GB', `WEST${digits(14)}`), () => makeIban('DE', digits(18)), () => makeIban('NL', `ABNA${digits(10)}`)])();
    // As written, in groups of four, with dashes, or split only before the bank code and account
    // (a bare digit run then follows the space or dash).
    const form = rnd();
    if (form < 0.4) return iban;
    if (form < 0.7) {
      const sep = rnd() < 0.5 ? ' ' : '-';
      return `${iban.slice(0, 4)}${sep}${iban.slice(4, 8)}${sep}${iban.slice(8)}`;
    }
    return (iban.match(/.{1,4}/g) ?? []).join(form < 0.85 ? ' ' : '-');
  };
  /** IBANs, bare numbers and timestamps next to each other, with every kind of character between. */
  function snippet(): string {
    const edges = ['', ' ', '-', ':', '=', '"', '+', '.', '/', 'a', 'x', 'A', 'Z', '0', '7', '\n', 'ts":', 'phone ', 'IBAN '];
    let out = '';
    const parts = 1 + Math.floor(rnd() * 5);
    for (let p = 0; p < parts; p++) {
      out += pick(edges);
      out += rnd() < 0.4 ? ibans() : digits(7 + Math.floor(rnd() * 12));
      out += pick(edges);
    }
    return out;
  }

  it('finds the IBANs the plain pass finds, next to digits, letters and separators', () => {
    let findings = 0;
    const all: string[] = [];
    for (let round = 0; round < 3000; round++) {
      const text = snippet();
      all.push(text);
      const expected = key(scanText(text, plain, { piiMinConfidence: 0.5 }));
      findings += expected.filter((k) => k.startsWith('pii.iban')).length;
      assert.deepEqual(key(scanText(text, rules, { piiMinConfidence: 0.5 })), expected, JSON.stringify(text));
    }
    assert.ok(findings > 300, `only ${findings} IBAN findings`);
    // One long ASCII text takes the byte pass of the candidate search, which short texts never reach.
    const long = all.join('\n').repeat(2);
    assert.ok(long.length > 64 * 1024);
    assert.deepEqual(key(scanText(long, rules, { piiMinConfidence: 0.5 })), key(scanText(long, plain, { piiMinConfidence: 0.5 })));
  });

  it('finds an IBAN that runs into the digits after it, and none glued to a word', () => {
    const iban = makeIban('GB', 'WEST12345698765432');
    const found = (text: string): string[] => scanText(text, rules, { piiMinConfidence: 0.5 }).filter((m) => m.rule.id === 'pii.iban').map((m) => m.value);
    assert.deepEqual(found(`iban ${iban} ok`), [iban]);
    assert.deepEqual(found(`"iban":"${iban}"`), [iban]);
    assert.deepEqual(found(`${iban.slice(0, 8)} ${iban.slice(8)}`), [`${iban.slice(0, 8)} ${iban.slice(8)}`]);
    assert.deepEqual(found(`x${iban}`), []);
  });

  it('keeps a bare phone number after a context word, and drops it without one', () => {
    const phones = (text: string): string[] => scanText(text, rules, { piiMinConfidence: 0.5 }).filter((m) => m.rule.id === 'pii.phone').map((m) => m.value);
    assert.deepEqual(phones('call me: 4155550132'), ['4155550132']);
    assert.deepEqual(phones('"ts":4155550132}'), []);
    assert.deepEqual(phones('PHONE=4155550132'), ['4155550132']);
  });

  it('reads context words that only lower-casing makes ASCII (Kelvin sign, dotted capital I)', () => {
    const tr = rule('pii.tr-national-id').validate!;
    const aadhaar = rule('pii.in-aadhaar').validate!;
    assert.equal(tr('10000000146', 'kimlik ', '10000000146'), tr('10000000146', '\u212aimli\u212a ', '10000000146'));
    assert.ok(tr('10000000146', '\u212aimli\u212a ', '10000000146') > tr('10000000146', 'id ', '10000000146'));
    assert.ok(aadhaar('234123412346', 'UIDA\u0130: ', '234123412346') > aadhaar('234123412346', 'UIDA: ', '234123412346'));
    assert.ok(tr('10000000146', 'k\u00e9mlik ', '10000000146') === tr('10000000146', 'id ', '10000000146'));
  });

  it('judges Swedish ids by date and checksum, with or without the century', () => {
    const se = rule('pii.se-personnummer').validate!;
    assert.equal(se('811228-9874', '', '811228-9874'), 0.75);
    assert.equal(se('19811228-9874', '', '19811228-9874'), 0.75);
    assert.equal(se('8112289874', 'personnummer ', '8112289874'), 0.75);
    assert.equal(se('811288-9874', '', '811288-9874'), 0); // a coordination number's day is 61-91
    assert.equal(se('811328-9874', '', '811328-9874'), 0); // month 13
    assert.equal(se('811228-9875', '', '811228-9875'), 0); // checksum
  });
});
