/**
 * @module verify/pii/rules
 * Built-in PII detectors. Each returns a confidence: formats with a checksum (cards, IBAN,
 * national ids) score high when it verifies; loose formats (phones, bare digit runs) score low
 * unless a context word ("phone", "ssn", …) stands just before them. The policy's
 * `piiMinConfidence` decides which are kept.
 */
import ipaddr from 'ipaddr.js';
import type { DetectorRule } from '../types.js';
import { iban, luhn, verhoeff } from '../checksums.js';

const REMEDIATE = 'Personal data should not flow back to the agent; aggregate or drop it at the source.';

const pii = (r: Omit<DetectorRule, 'kind' | 'remediation' | 'severity'> & { severity?: DetectorRule['severity'] }): DetectorRule => ({
  kind: 'pii',
  severity: 'medium',
  remediation: REMEDIATE,
  ...r,
});

/** True when `v` is made of ASCII digits only (then it is its own `digitsOf`). */
function isDigits(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
// The validators also judge every bare digit run of a scanned text before any pattern runs there
// (`DetectorRule.wholeDigits`), so their common paths avoid regexes and new strings.
const digitsOf = (v: string): string => (isDigits(v) ? v : v.replace(/\D/g, ''));
/** True for two or more digits that are all the same (`/^(\d)\1+$/`). */
function oneDigitRepeated(d: string): boolean {
  if (d.length < 2) return false;
  const first = d.charCodeAt(0);
  if (first < 48 || first > 57) return false;
  for (let i = 1; i < d.length; i++) if (d.charCodeAt(i) !== first) return false;
  return true;
}
/**
 * Adds a context bonus when one of `words` (ASCII, with the `i` flag) appears just before the
 * match, as in the lower-cased context. The context is tested as it is first: without the `u`
 * flag, `i` matches no non-ASCII character to an ASCII one, and lower-casing keeps every ASCII
 * character, in place, and makes none of the others ASCII except `İ` (`i̇`) and the Kelvin sign
 * (`k`), so both tests give the same answer unless one of those two is present; only then is a
 * lower-cased copy tested. (The context is tested on every bare digit run a scan validates: a loop
 * looking for non-ASCII characters first cost as much as the test.)
 */
function withContext(base: number, context: string, words: RegExp): number {
  const found = words.test(context)
    || ((context.includes('\u0130') || context.includes('\u212a')) && words.test(context.toLowerCase()));
  return Math.min(1, found ? base + 0.35 : base);
}

/** Context words per format (regex literals in a function body are new objects on every call). */
const CARD_WORDS = /card|visa|master|amex|cc|payment|credit/i;
const SSN_WORDS = /ssn|social security|soc sec|ss#/i;
const PHONE_WORDS = /phone|tel|mobile|cell|call|fax|whatsapp|contact/i;
const SE_WORDS = /personnummer|person/i;
const TR_WORDS = /tc|kimlik|tckn|national/i;
const NHS_WORDS = /nhs/i;
const PESEL_WORDS = /pesel/i;
const AADHAAR_WORDS = /aadhaar|aadhar|uidai/i;
const SIN_WORDS = /sin|social insurance/i;

function creditCard(value: string, context: string): number {
  const d = digitsOf(value);
  if (d.length < 13 || d.length > 19 || !luhn(d)) return 0;
  if (oneDigitRepeated(d)) return 0;
  const brand = /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|6(?:011|5|4[4-9]|22)|35|62|81)/.test(d);
  return withContext(brand ? 0.8 : 0.4, context, CARD_WORDS);
}

function usSsn(value: string, context: string): number {
  const d = digitsOf(value);
  if (d.length !== 9) return 0;
  const area = Number(d.slice(0, 3));
  if (area === 0 || area === 666 || area >= 900 || d.slice(3, 5) === '00' || d.slice(5) === '0000') return 0;
  if (oneDigitRepeated(d) || d === '123456789') return 0;
  const separated = /^\d{3}([- .])\d{2}\1\d{4}$/.test(value);
  return withContext(separated ? 0.55 : 0.2, context, SSN_WORDS);
}

function ipv4(value: string, context: string): number {
  if (!value.includes('.')) return 0; // never from the pattern; a bare digit run asked by the engine
  const parts = value.split('.').map(Number);
  if (parts.some((p) => p > 255) || value.split('.').some((p) => p.length > 1 && p.startsWith('0'))) return 0;
  if (/(?:version|ver|v)\s*$/i.test(context)) return 0;
  const range = ipaddr.parse(value).range();
  return range === 'unicast' ? 0.6 : 0.35;
}

function ipv6(value: string): number {
  if (!ipaddr.IPv6.isValid(value)) return 0;
  if (!value.includes('::') && value.split(':').length < 8) return 0;
  const range = ipaddr.IPv6.parse(value).range();
  return range === 'unicast' || range === 'uniqueLocal' ? 0.6 : 0.35;
}

function phone(value: string, context: string): number {
  const d = digitsOf(value);
  if (d.length < 9 || d.length > 15) return 0;
  if (oneDigitRepeated(d)) return 0;
  const international = value.startsWith('+');
  const formatted = d !== value && /[\s().-]/.test(value);
  return withContext(international ? 0.55 : formatted ? 0.35 : 0.15, context, PHONE_WORDS);
}

function finnishId(value: string): number {
  if (isDigits(value)) return 0; // the pattern needs a century sign or letter
  const m = /^(\d{6})[-+ABCDEFUVWXY](\d{3})([0-9A-Y])$/.exec(value.toUpperCase());
  if (!m) return 0;
  const check = '0123456789ABCDEFHJKLMNPRSTUVWXY'[Number(m[1]! + m[2]!) % 31];
  const day = Number(m[1]!.slice(0, 2));
  const month = Number(m[1]!.slice(2, 4));
  return check === m[3] && day >= 1 && day <= 31 && month >= 1 && month <= 12 ? 0.9 : 0;
}

function swedishId(value: string, context: string): number {
  const d = digitsOf(value);
  if (d.length !== 10 && d.length !== 12) return 0;
  // YYMMDD-NNNC, or with the century first. The date, read from the digits' codes, is checked
  // before the checksum: it turns down most timestamps and ids on its own.
  const at = d.length - 10;
  const month = (d.charCodeAt(at + 2) - 48) * 10 + (d.charCodeAt(at + 3) - 48);
  const day = (d.charCodeAt(at + 4) - 48) * 10 + (d.charCodeAt(at + 5) - 48);
  if (month < 1 || month > 12 || day < 1 || (day > 31 && (day < 61 || day > 91))) return 0;
  if (!luhn(at ? d.slice(at) : d)) return 0;
  return withContext(/[-+]/.test(value) ? 0.75 : 0.4, context, SE_WORDS);
}

function turkishId(value: string, context: string): number {
  const d = [...value].map(Number);
  if (d.length !== 11 || d[0] === 0) return 0;
  const odd = d[0]! + d[2]! + d[4]! + d[6]! + d[8]!;
  const even = d[1]! + d[3]! + d[5]! + d[7]!;
  if ((((odd * 7 - even) % 10) + 10) % 10 !== d[9]) return 0;
  if (d.slice(0, 10).reduce((a, b) => a + b, 0) % 10 !== d[10]) return 0;
  return withContext(0.6, context, TR_WORDS);
}

function spanishId(value: string): number {
  const v = value.toUpperCase().replace(/[\s-]/g, '');
  const m = /^([XYZ]?)(\d{7,8})([A-Z])$/.exec(v);
  if (!m) return 0;
  const prefix = { '': '', X: '0', Y: '1', Z: '2' }[m[1] as '' | 'X' | 'Y' | 'Z'];
  const n = Number(prefix + m[2]!);
  return 'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23] === m[3] ? 0.85 : 0;
}

function ukNhs(value: string, context: string): number {
  const d = digitsOf(value);
  if (d.length !== 10 || oneDigitRepeated(d)) return 0;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (d.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  if (expected === 10 || expected !== Number(d[9])) return 0;
  return withContext(/\s|-/.test(value) ? 0.5 : 0.3, context, NHS_WORDS);
}

function polishPesel(value: string, context: string): number {
  const d = [...value].map(Number);
  if (d.length !== 11) return 0;
  const w = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
  const sum = w.reduce((acc, wi, i) => acc + wi * d[i]!, 0);
  if ((10 - (sum % 10)) % 10 !== d[10]) return 0;
  const month = (d[2]! * 10 + d[3]!) % 20;
  return month >= 1 && month <= 12 ? withContext(0.4, context, PESEL_WORDS) : 0;
}

function aadhaar(value: string, context: string): number {
  const d = digitsOf(value);
  if (d.length !== 12 || !/^[2-9]/.test(d) || !verhoeff(d)) return 0;
  return withContext(/\s|-/.test(value) ? 0.6 : 0.4, context, AADHAAR_WORDS);
}

function canadianSin(value: string, context: string): number {
  const d = digitsOf(value);
  if (d.length !== 9 || !luhn(d) || d[0] === '0' || d[0] === '8') return 0;
  return withContext(/[\s-]/.test(value) ? 0.4 : 0.2, context, SIN_WORDS);
}

/** The built-in PII rules. */
export const PII_RULES: readonly DetectorRule[] = [
  pii({ id: 'pii.email', message: 'Email address', keywords: ['@'],
    pattern: /\b[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b/g,
    validate: (v) => (/@(?:example\.(?:com|org|net)|localhost)$/i.test(v) ? 0.4 : 0.85) }),
  pii({ id: 'pii.credit-card', wholeDigits: true, digits: [13, 19], severity: 'high', message: 'Payment card number', keywords: [], numeric: true,
    pattern: /(?<![\d.-])(?:\d[ -]?){12,18}\d(?![\d.-]?\d)/g, validate: creditCard }),
  pii({ id: 'pii.iban', digits: [8, 40], severity: 'high', message: 'IBAN bank account number', keywords: [], numeric: true,
    pattern: /\b[A-Z]{2}\d{2}(?:[ -]?[A-Z0-9]){11,30}\b/g, validate: (v) => (iban(v) ? 0.95 : 0) }),
  pii({ id: 'pii.us-ssn', wholeDigits: true, digits: [9, 9], severity: 'high', message: 'US social security number', keywords: [], numeric: true, group: 0,
    pattern: /(?<![\d.-])\d{3}([- .]?)\d{2}\1\d{4}(?![\d-]?\d)/g, validate: usSsn }),
  pii({ id: 'pii.ip-address', wholeDigits: true, digits: [4, 12], severity: 'low', message: 'IP address', keywords: [], numeric: true,
    pattern: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.]?\d)/g, validate: ipv4 }),
  pii({ id: 'pii.ipv6-address', severity: 'low', message: 'IPv6 address', keywords: ['::', 'inet6', 'ipv6', 'fe80:', '2001:', 'fd'],
    pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:){1,7}(?::|(?::[0-9A-Fa-f]{1,4}){1,7}|[0-9A-Fa-f]{1,4})(?![\w:])/g, validate: ipv6 }),
  pii({ id: 'pii.phone', wholeDigits: true, digits: [9, 18], message: 'Phone number', keywords: [], numeric: true,
    // An area code in parentheses may be followed by two groups only: `(415) 867-5309`.
    pattern: /(?<![\w+.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?\d{2,4}[ .-]?\d{3,4}(?:[ .-]?\d{2,4})?|\d{2,4}[ .-]?\d{3,4}[ .-]?\d{2,4})(?![\w.-]?\d)/g, validate: phone }),
  pii({ id: 'pii.fi-personal-id', wholeDigits: true, digits: [9, 10], severity: 'high', message: 'Finnish personal identity code', keywords: [], numeric: true,
    pattern: /\b\d{6}[-+ABCDEFUVWXY]\d{3}[0-9A-Y]\b/g, validate: finnishId }),
  pii({ id: 'pii.se-personnummer', wholeDigits: true, digits: [10, 12], severity: 'high', message: 'Swedish personal identity number', keywords: [], numeric: true,
    pattern: /(?<![\d-])(?:\d{2})?\d{6}[-+]?\d{4}(?![\d-]?\d)/g, validate: swedishId }),
  pii({ id: 'pii.tr-national-id', wholeDigits: true, digits: [11, 11], severity: 'high', message: 'Turkish national id', keywords: [], numeric: true,
    pattern: /(?<!\d)[1-9]\d{10}(?!\d)/g, validate: turkishId }),
  pii({ id: 'pii.es-national-id', digits: [7, 8], severity: 'high', message: 'Spanish DNI/NIE', keywords: [], numeric: true,
    pattern: /\b[XYZ]?[ -]?\d{7,8}[ -]?[A-Z]\b/g, validate: spanishId }),
  pii({ id: 'pii.uk-nhs-number', wholeDigits: true, digits: [10, 10], severity: 'high', message: 'UK NHS number', keywords: [], numeric: true,
    pattern: /(?<![\d-])\d{3}[ -]?\d{3}[ -]?\d{4}(?![\d-]?\d)/g, validate: ukNhs }),
  pii({ id: 'pii.pl-pesel', wholeDigits: true, digits: [11, 11], severity: 'high', message: 'Polish PESEL', keywords: [], numeric: true, pattern: /(?<!\d)\d{11}(?!\d)/g, validate: polishPesel }),
  pii({ id: 'pii.in-aadhaar', wholeDigits: true, digits: [12, 12], severity: 'high', message: 'Indian Aadhaar number', keywords: [], numeric: true,
    pattern: /(?<![\d-])[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}(?![\d-]?\d)/g, validate: aadhaar }),
  pii({ id: 'pii.ca-sin', wholeDigits: true, digits: [9, 9], severity: 'high', message: 'Canadian social insurance number', keywords: [], numeric: true, group: 0,
    pattern: /(?<![\d-])\d{3}([ -]?)\d{3}\1\d{3}(?![\d-]?\d)/g, validate: canadianSin }),
];
