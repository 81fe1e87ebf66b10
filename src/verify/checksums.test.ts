/** Check digits and entropy: known vectors, and that a one-digit change breaks each check. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base62, crc32, githubTokenChecksumOk, iban, luhn, shannonEntropy, verhoeff } from './checksums.js';

describe('checksums', () => {
  it('luhn accepts valid card numbers and rejects a changed digit', () => {
    assert.equal(luhn('4111 1111 1111 1111'), true);
    assert.equal(luhn('4111 1111 1111 1112'), false);
    assert.equal(luhn('79927398713'), true);
  });
  it('iban checks length per country and mod 97', () => {
    assert.equal(iban('GB82 WEST 1234 5698 7654 32'), true);
    assert.equal(iban('GB82 WEST 1234 5698 7654 33'), false);
    assert.equal(iban('DE89370400440532013000'), true);
    assert.equal(iban('DE8937040044053201300'), false);
    assert.equal(iban('ZZ89370400440532013000'), false);
  });
  it('crc32 matches the standard check value', () => {
    assert.equal(crc32('123456789'), 0xcbf43926);
  });
  it('github token checksum: a correct one verifies, a changed character does not', () => {
    const body = 'A'.repeat(10) + 'b'.repeat(10) + '0123456789';
    const token = `ghp_${body}${base62(crc32(body), 6)}`;
    assert.equal(githubTokenChecksumOk(token), true);
    assert.equal(githubTokenChecksumOk(token.replace('b', 'c')), false);
  });
  it('verhoeff', () => {
    assert.equal(verhoeff('2363'), true);
    assert.equal(verhoeff('2364'), false);
  });
  it('entropy separates random from repetitive text', () => {
    assert.equal(shannonEntropy('aaaaaaaa'), 0);
    assert.ok(shannonEntropy('q8Zr3Kp0xW7vBn2M') > 3.5);
  });
});
