/**
 * The rules' gates only save work: a rule with a `keywordCheck` (generic assignments, SQL
 * passwords, Authorization schemes, command-line options) or a `minRun` (Twilio, Discord) finds
 * exactly what the same rule without it finds, on generated texts built from the pieces those
 * patterns are made of, in short texts (character sweep) and long ones (byte sweeps).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanText } from './engine.js';
import { buildRules } from './rules.js';
import { assignmentFollows, authSchemeKeyword, optionKeyword, sqlPasswordKeyword } from './secrets/rules.js';
import { parsePolicy } from '../policy/schema.js';
import { registerNativeScan } from '../native-scan.js';
import { mulberry32 } from '../../bench/verify-mixed.js';

registerNativeScan();
const parsed = parsePolicy({});
if (!parsed.ok) throw new Error('default policy');
const rules = buildRules(parsed.value.verify, []);
const gated = rules.filter((r) => r.keywordCheck || r.minRun);
/** The same rules without their gates: the reference. */
const plain = gated.map((r) => ({ ...r, keywordCheck: undefined, minRun: undefined }));

const NAMES = ['password', 'passwd', 'pwd', 'pw', 'psd', 'pssd', 'psord', 'pass_phrase', 'secret', 'secrete', 'client_secret', 'token', 'auth_token',
  'api_key', 'apikey', 'access-key', 'private_key', 'credentials', 'salt', 'key', 'db_password_value', 'PASSWORD', 'Token2', 'key[0]', 'password"]'];
const JOINERS = [' = ', '=', ': ', ':', ' := ', ' => ', ' ?? ', '==', ' != ', ', ', ' ', '  ', ' is ', ' IS ', ' to ', ' by ', ' for admin: ', '\t=\t', ': str = ',
  ' r', ' b', ' f', ' u', ' @', '-', '.', '_', '\n', ' the ', ' expired ', ' reset ', '&quot;', '"', "'", '`', '[', ']'];
const VALUES = ['"hunter2hunter2"', "'Zx9#mQ2$pL7&'", '`s3cr3t-v4lue`', 'Zx9mQ2pL7vK4', '&quot;Kq8wL2zX9vB3&quot;', "'''AbCdEfGhIjKlMnOpQrSt'''",
  'hunter2hunter2\\', 'x', 'value', '$PASSWORD', 'a,.:-@*?!', ''];
const AUTH = ['Authorization: Bearer ', 'authorization=', 'Bearer ', 'bearer ', 'BEARER ', 'Basic ', 'basic ', 'Token ', 'token ', 'NTLM ', 'ntlm ', 'Negotiate ',
  'AUTHORIZATION: Token ', 'Token\n', 'Token\t'];
const CLI = ['--password ', '--password=', '-p', '-u admin:', '--user root:', '--github-token ', '--api-key=', 'token ', '--client-secret ', 'mysql -u root -p', '-secret ',
  'x-token ', '-oauth2-bearer ', ' --token=', 'secret '];
const SQL = ['IDENTIFIED BY ', 'identified with mysql_native_password by ', 'WITH PASSWORD ', 'with login password ', 'with  password ', 'password ', 'PASSWORD ',
  'create user x with password '];
const TOKENS = ['SK0123456789abcdef0123456789abcdef', 'AC0123456789ABCDEF0123456789ABCDEF', 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123',
  'NzkyNzE1NDU0MTk2MDg4ODQy.X-hvzA.Ovy4MCQywSkoMRRclStW4xAYK7I', 'x'.repeat(40), 'ab_cd-ef'.repeat(5)];

function pick<T>(rnd: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

/** A line made of the gates' pieces: names, joiners, values, schemes, options, long tokens. */
function line(rnd: () => number): string {
  let out = '';
  const parts = 1 + Math.floor(rnd() * 5);
  for (let k = 0; k < parts; k++) {
    const r = rnd();
    if (r < 0.45) out += pick(rnd, NAMES) + pick(rnd, JOINERS) + pick(rnd, VALUES);
    else if (r < 0.6) out += pick(rnd, AUTH) + pick(rnd, ['abcDEF1234567890', 'eyJhbGciOiJIUzI1NiJ9.e30.abc', 'short', 'dGVzdDp0ZXN0MTIz==']);
    else if (r < 0.75) out += pick(rnd, CLI) + pick(rnd, ['hunter2hunter2', "'Zx9mQ2pL7'", 'prod', '-v']);
    else if (r < 0.85) out += pick(rnd, SQL) + pick(rnd, ["'Zx9mQ2pL7vK4'", 'hunter2hunter2', 'x']);
    else out += pick(rnd, ['', ' ', '"', '=', 'id:']) + pick(rnd, TOKENS) + pick(rnd, ['', ' ', '.', 'x', '\n']);
    out += pick(rnd, [' ', '; ', ', ', ' and the ', '\t']);
  }
  return out;
}

const key = (ms: ReturnType<typeof scanText>): string[] => ms.map((m) => `${m.rule.id}@${m.start}-${m.end}:${m.confidence}`);

describe('rule gates', () => {
  it('are set on the rules they were written for', () => {
    assert.deepEqual(gated.map((r) => r.id).sort(), ['secrets.authorization-header', 'secrets.cli-password', 'secrets.discord-bot-token',
      'secrets.generic-assignment', 'secrets.sql-password', 'secrets.twilio-key']);
  });

  it('find what the ungated rules find, line by line', () => {
    const rnd = mulberry32(31);
    let findings = 0;
    for (let round = 0; round < 3000; round++) {
      const text = line(rnd);
      const want = key(scanText(text, plain));
      findings += want.length;
      assert.deepEqual(key(scanText(text, gated)).map((k) => k), want, JSON.stringify(text));
    }
    assert.ok(findings > 1500, `the generator must produce findings (${findings})`);
  });

  it('find what the ungated rules find in long texts (byte sweeps)', () => {
    const rnd = mulberry32(37);
    for (let round = 0; round < 4; round++) {
      const lines: string[] = [];
      let size = 0;
      while (size < 80_000) {
        const l = line(rnd);
        lines.push(l);
        size += l.length + 1;
      }
      const text = lines.join('\n');
      assert.deepEqual(key(scanText(text, gated)), key(scanText(text, plain)), `round ${round}`);
    }
  });

  it('pass and fail where they should', () => {
    const at = (text: string, word: string): [number, number] => {
      const i = text.toLowerCase().indexOf(word);
      assert.ok(i >= 0, `${word} in ${text}`);
      return [i, i + word.length];
    };
    const follows = (text: string, word: string): boolean => assignmentFollows(text, ...at(text, word));
    assert.equal(follows('db_password = "x"', 'pas'), true);
    assert.equal(follows('"apiKey": "abc"', 'key'), true);
    assert.equal(follows('token is hunter2', 'token'), true);
    assert.equal(follows('password r"raw"', 'pas'), true);
    assert.equal(follows('the password expired yesterday', 'pas'), false);
    assert.equal(follows('rotate the key', 'key'), false);
    assert.equal(sqlPasswordKeyword('CREATE USER u WITH PASSWORD \'x\'', 'CREATE USER u WITH '.length), true);
    assert.equal(sqlPasswordKeyword('reset your password here', 'reset your '.length), false);
    assert.equal(authSchemeKeyword('Token abcdefghij1234', 0, 5), true);
    assert.equal(authSchemeKeyword('token abcdefghij1234', 0, 5), false);
    assert.equal(authSchemeKeyword('Token\tabcdefghij1234', 0, 5), true);
    assert.equal(authSchemeKeyword('Bearer short', 0, 6), false);
    assert.equal(optionKeyword('app --github-token ghp', 'app --github-'.length), true);
    assert.equal(optionKeyword('the token is', 'the '.length), false);
  });
});
