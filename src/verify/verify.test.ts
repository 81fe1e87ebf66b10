/**
 * Detection, redaction and blocking per policy, canaries, policy patterns on RE2, overlaps and
 * the streaming scanner's chunk-boundary behaviour. Credential-shaped values are assembled at run
 * time from random characters: none is stored in the repository.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicy, type Policy } from '../policy/schema.js';
import { isAirlockError } from '../core/errors.js';
import { base62, crc32 } from './checksums.js';
import { createCanaries } from './canary/canary.js';
import { detectCanaries } from './canary/detect.js';
import { createStreamScanner } from './stream.js';
import { scanText } from './engine.js';
import { SECRET_RULES, PII_RULES, buildRules } from './rules.js';
import { verifyOutput } from './verify-output.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/**
 * Drawn again when the value starts like a JFrog Artifactory token (`AP[0-9A-F]`, `AKC`), starts
 * with 1234 or my/your, holds a documentation run (abcdef, 123456, six of one character…) or uses one of its
 * alphabet's character classes only, which the scanner reads as another vendor's token, a
 * placeholder, a fake or too weak to report: see secret-formats.test.ts.
 */
const MISREAD = [/^(?:AP[\dA-F]|AKC|1234)/, /^(?:my|your)|abc123|abcdef|123456|654321|(.)\1{5}/i];
const classes = (s: string): number => [/[a-z]/, /[A-Z]/, /\d/].filter((re) => re.test(s)).length;
function rand(alphabet: string, n: number): string {
  for (;;) {
    const b = new Uint8Array(n);
    globalThis.crypto.getRandomValues(b);
    const value = [...b].map((x) => alphabet[x % alphabet.length]).join('');
    if (!MISREAD.some((re) => re.test(value)) && classes(value) >= Math.min(2, classes(alphabet), n)) return value;
  }
}
function policy(verify: Record<string, unknown> = {}): Policy {
  const r = parsePolicy({ verify });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
}
const ids = (text: string): string[] => scanText(text, [...SECRET_RULES, ...PII_RULES], { piiMinConfidence: 0.5 }).map((m) => m.rule.id);

const awsKey = (): string => `AKIA${rand('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
const ghToken = (): string => { const b = rand(ALNUM, 30); return `ghp_${b}${base62(crc32(b), 6)}`; };

describe('secret rules', () => {
  it('find well-known formats with their stable ids', () => {
    assert.deepEqual(ids(`export AWS_ACCESS_KEY_ID=${awsKey()}`), ['secrets.aws-access-key']);
    assert.deepEqual(ids(`token: ${ghToken()}`), ['secrets.github-token']);
    assert.deepEqual(ids(`npm config set //registry.npmjs.org/:_authToken npm_${rand(ALNUM, 36)}`), ['secrets.npm-token']);
    assert.deepEqual(ids(`xoxb-${rand('0123456789', 11)}-${rand('0123456789', 12)}-${rand(ALNUM, 24)}`), ['secrets.slack-token']);
    assert.deepEqual(ids(`OPENAI=sk-proj-${rand(ALNUM, 40)}T3BlbkFJ${rand(ALNUM, 40)}`), ['secrets.openai-key']);
    assert.deepEqual(ids(`postgres://app:${rand(ALNUM, 16)}@db.internal:5432/app`), ['secrets.url-password']);
    assert.deepEqual(ids(`db_password = "${rand(ALNUM, 14)}!"`), ['secrets.generic-assignment']);
  });
  it('find more well-known formats and assignment forms', () => {
    const HEX = '0123456789abcdef';
    const b64 = (s: string): string => Buffer.from(s).toString('base64url');
    assert.deepEqual(ids(`export BUNDLE_GEMS__CONTRIBSYS__COM=${rand(HEX, 8)}:${rand(HEX, 8)}`), ['secrets.bundler-credentials']);
    assert.deepEqual(ids(`$p = ConvertTo-SecureString -String "${rand(ALNUM, 10)}#" -AsPlainText -Force`), ['secrets.powershell-securestring']);
    assert.deepEqual(ids(`MAILGUN=key-${rand(HEX, 32)}`), ['secrets.prefixed-token']);
    assert.deepEqual(ids(`LLAMA_CLOUD=llx-${rand(ALNUM, 48)}`), ['secrets.prefixed-token']);
    assert.deepEqual(ids(`Authorization: NTLM TlRMTVNTUAAB${rand(ALNUM, 40)}`).length, 1);
    assert.deepEqual(ids(`captured message: TlRMTVNTUAAB${rand(ALNUM, 40)}`), ['secrets.ntlm-message']);
    assert.deepEqual(ids(`t=${b64('{"alg":"none","typ":"JWT"}')}.${b64(`{"sub":"${rand(ALNUM, 12)}"}`)}`), ['secrets.jwt']);
    assert.deepEqual(ids(`"AccessKeyId": "AKIA${rand('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 16)}"`), ['secrets.aws-access-key']);
    assert.deepEqual(ids(`"AccessKeyId": "AKIA${rand('ABCDEFGHIJKLMNOPQRSTUVWXYZ', 9)}EXAMPLE"`), [], 'documentation key');
    const U = 'ABCDEFGHJKLMNPQRSTVWXYZ23456789';
    assert.deepEqual(ids(`A3-${rand(U, 6)}-${rand(U, 6)}-${rand(U, 5)}-${rand(U, 5)}-${rand(U, 5)}-${rand(U, 5)}`), ['secrets.onepassword-secret-key']);
    assert.deepEqual(ids(`token: s.${rand(ALNUM, 24)}`), ['secrets.vault-token']);
    assert.deepEqual(ids(`pypi-AgENdGVzdC5weXBpLm9yZw${rand(ALNUM, 150)}`), ['secrets.pypi-token']);
    assert.deepEqual(ids(`<password name="db">${rand(ALNUM, 10)}!</password>`), ['secrets.xml-credential']);
    assert.deepEqual(ids(`\u001b[94msq0csp-${rand(ALNUM, 43)}\u001b[0m`), ['secrets.prefixed-token']);
    assert.ok(ids(`smtps://ops@mail.test:${rand(ALNUM, 12)}@smtp.mail.test:465`).includes('secrets.url-password'));
    assert.deepEqual(ids(`SK${rand('0123456789ABCDEF', 32)}`), ['secrets.twilio-key']);
    const pem = Array.from({ length: 4 }, () => rand(ALNUM, 64));
    assert.deepEqual(ids(`String k = "-----BEGIN PRIVATE KEY-----\\n" +\n  "${pem.join('\\n" +\n  "')}\\n" +\n  "-----END PRIVATE KEY-----";`), ['secrets.private-key']);
    assert.deepEqual(ids(`#5 0.228 -----BEGIN PRIVATE KEY-----\n#5 0.228 ${pem.join('\n#5 0.229 ')}`), ['secrets.private-key']);
    assert.deepEqual(ids(`passwords: ${rand(ALNUM, 12)}#`), ['secrets.generic-assignment']);
  });
  it('finds a private key block across lines', () => {
    const body = Array.from({ length: 5 }, () => rand(ALNUM, 64)).join('\n');
    const text = `log line\n-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\nafter`;
    const [m] = scanText(text, SECRET_RULES);
    assert.equal(m?.rule.id, 'secrets.private-key');
    assert.ok(m!.value.endsWith('-----END RSA PRIVATE KEY-----'));
  });
  it('a GitHub token with a wrong checksum is reported with lower confidence', () => {
    const good = ghToken();
    const bad = good.slice(0, -1) + (good.endsWith('A') ? 'B' : 'A');
    assert.equal(scanText(good, SECRET_RULES)[0]?.confidence, 1);
    assert.ok(scanText(bad, SECRET_RULES)[0]!.confidence < 1);
  });
  it('ignores placeholders, references and prose', () => {
    for (const text of ['password = "changeme"', 'password: ${DB_PASSWORD}', 'token = os.environ["TOKEN"]',
      'Please enter your password to continue.', 'key_name = "primary-cluster"', 'password = "xxxxxxxxxx"',
      // A listing of hidden files (Python's print(os.listdir(home))): `pgpass', '…` read as a name and a value.
      "['.npmrc', '.pgpass', '.git-credentials', '.aws']"]) {
      assert.deepEqual(ids(text), [], text);
    }
  });
});

describe('keyword gating', () => {
  // A rule whose keyword is rare in the text only runs on the lines that hold it; these cases sit
  // on the edges of the keyword sweep (text end, one-character and two-character keywords,
  // characters that lower-case to ASCII or change length).
  const rule = (keywords: string[], pattern: RegExp) => ({ id: 'test.kw', kind: 'secret' as const, severity: 'high' as const, message: 'test', keywords, pattern });
  const ids = (text: string, rules: ReturnType<typeof rule>[]) => scanText(text, rules).map((m) => `${m.start}-${m.end}`);
  it('finds keywords at the very end of the text, in any case', () => {
    assert.deepEqual(ids('x\nA=ZQ', [rule(['zq'], /ZQ/g)]), ['4-6']);
    assert.deepEqual(ids('x\nab@', [rule(['@'], /@/g)]), ['4-5']);
    assert.deepEqual(ids('line\nTOKENVALUE', [rule(['tokenvalue'], /TOKENVALUE/g)]), ['5-15']);
    assert.deepEqual(ids('no keyword here\nZQ', [rule(['zqx'], /ZQ/g)]), []);
  });
  it('compares as text.toLowerCase() would: the Kelvin sign reads as k, and İ turns gating off', () => {
    // (the second line is long so that the keyword's lines stay under the share scanned whole)
    assert.deepEqual(ids(`\u212Aey=Q1\nQ2${' '.repeat(100)}`, [rule(['key'], /Q\d/g)]), ['4-6']);
    assert.deepEqual(ids('\u0130\nQ1', [rule(['zzz'], /Q\d/g)]), ['2-4']);
  });
});

describe('PII rules', () => {
  it('validate checksums and ranges', () => {
    assert.deepEqual(ids('card 4111 1111 1111 1111 on file'), ['pii.credit-card']);
    assert.deepEqual(ids('card 4111 1111 1111 1112 on file'), []);
    assert.deepEqual(ids('IBAN GB82 WEST 1234 5698 7654 32'), ['pii.iban']);
    assert.deepEqual(ids('IBAN GB82 WEST 1234 5698 7654 33'), []);
    assert.deepEqual(ids('ssn: 123-45-6780'), ['pii.us-ssn']);
    assert.deepEqual(ids('ssn: 666-45-6780'), []);
    assert.deepEqual(ids('write to jane.roe@corp.io today'), ['pii.email']);
  });
  it('each PII finding has a confidence, and the threshold filters weak ones', () => {
    const weak = scanText('ref 5551234567', PII_RULES, { piiMinConfidence: 0 });
    assert.ok(weak.length >= 1 && weak.every((m) => m.confidence > 0 && m.confidence < 0.5));
    assert.equal(scanText('ref 5551234567', PII_RULES, { piiMinConfidence: 0.5 }).length, 0);
    assert.equal(scanText('phone: +1 555 123 4567', PII_RULES, { piiMinConfidence: 0.5 })[0]?.rule.id, 'pii.phone');
  });
  it('a US number with its area code in parentheses: (415) 867-5309', () => {
    for (const t of ['Call me at (415) 867-5309 tomorrow', 'Phone: (212) 736-5000']) {
      assert.deepEqual(scanText(t, PII_RULES, { piiMinConfidence: 0.5 }).map((m) => m.rule.id), ['pii.phone'], t);
    }
  });
});

describe('numeric items side by side', () => {
  const DIGITS = '0123456789';
  /** A Luhn-valid 16-digit Visa-range number built from random digits. */
  const card = (): string => {
    const body = `4${rand(DIGITS, 14)}`;
    let sum = 0;
    for (let i = 0; i < body.length; i++) {
      let d = Number(body[body.length - 1 - i]);
      if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    return body + String((10 - (sum % 10)) % 10);
  };
  const phone = (): string => `+1-${rand('23456789', 1)}${rand(DIGITS, 2)}-${rand('23456789', 1)}${rand(DIGITS, 2)}-${rand(DIGITS, 4)}`;
  const found = (text: string): string[] => scanText(text, [...SECRET_RULES, ...PII_RULES], { piiMinConfidence: 0.5 })
    .map((m) => `${m.rule.id}=${m.value}`);
  for (const sep of [' ', '\t', ' | ', ';', ', ', '  ']) {
    it(`a phone and a card separated by ${JSON.stringify(sep)} are both found`, () => {
      for (let round = 0; round < 20; round++) {
        const p = phone();
        const c = card();
        const got = found(`Ada Lovelace ada.lovelace@northwind-traders.test${sep}${p}${sep}${c}`);
        assert.ok(got.includes(`pii.phone=${p}`), `${JSON.stringify(sep)}: ${got.join(', ')}`);
        assert.ok(got.includes(`pii.credit-card=${c}`), `${JSON.stringify(sep)}: ${got.join(', ')}`);
      }
    });
  }
  it('a long row of numbers keeps every item, a grouped card included', () => {
    const c1 = card();
    const c2 = card();
    const grouped = c2.replace(/(\d{4})(?=\d)/g, '$1 ');
    const p = phone();
    const got = found(`${p} ${c1} ${p} ${grouped} ${c1} ${p}`);
    assert.equal(got.filter((g) => g === `pii.phone=${p}`).length, 3, got.join(', '));
    assert.equal(got.filter((g) => g === `pii.credit-card=${c1}`).length, 2, got.join(', '));
    assert.ok(got.includes(`pii.credit-card=${grouped}`), got.join(', '));
  });
});

describe('verifyOutput', () => {
  it('redacts with a labelled mask by default and keeps findings masked', () => {
    const key = awsKey();
    const v = verifyOutput({ stdout: `id=${key}\nok\n`, stderr: '', policy: policy() });
    assert.equal(v.stdout, 'id=[REDACTED:secrets.aws-access-key]\nok\n');
    assert.equal(v.blocked, false);
    assert.equal(v.redacted, true);
    assert.equal(v.findings[0]!.rule, 'secrets.aws-access-key');
    assert.deepEqual(v.findings[0]!.location, { line: 1, column: 4, source: 'stdout' });
    assert.ok(!JSON.stringify(v.findings).includes(key), 'a finding leaked the raw key');
  });
  it('block withholds the output and says why; report only records', () => {
    const text = `mail jane.roe@corp.io\n`;
    const blocked = verifyOutput({ stdout: text, stderr: '', policy: policy({ pii: 'block' }) });
    assert.equal(blocked.blocked, true);
    assert.equal(blocked.stdout, '');
    assert.match(blocked.reasons.join(' '), /pii\.email.*verify\.pii: block/);
    const reported = verifyOutput({ stdout: text, stderr: '', policy: policy({ pii: 'report' }) });
    assert.equal(reported.stdout, text);
    assert.equal(reported.redacted, false);
    assert.equal(reported.findings.length, 1);
  });
  it('scans changed files with their path as source', () => {
    const v = verifyOutput({ stdout: '', stderr: '', files: [{ path: 'out/config.env', content: `\nTOKEN=${ghToken()}` }], policy: policy() });
    assert.deepEqual(v.findings[0]!.location, { line: 2, column: 7, source: 'out/config.env' });
    assert.equal(v.files[0]!.content, '\nTOKEN=[REDACTED:secrets.github-token]');
  });
  it('a canary in output is a critical canary finding and blocks by default', () => {
    const canaries = createCanaries();
    const v = verifyOutput({ stdout: `creds: ${canaries.env.AWS_SECRET_ACCESS_KEY}\n`, stderr: '', policy: policy(), canaries });
    assert.equal(v.blocked, true);
    assert.equal(v.findings[0]!.category, 'canary');
    assert.equal(v.findings[0]!.severity, 'critical');
    assert.equal(v.findings[0]!.rule, 'canary.token');
    // A canary wins over the secret rule matching the same text.
    const w = verifyOutput({ stdout: canaries.env.GITHUB_TOKEN!, stderr: '', policy: policy(), canaries });
    assert.deepEqual(w.findings.map((f) => f.rule), ['canary.token']);
  });
  it('policy patterns run on RE2; a backtracking bomb completes; invalid syntax is a PolicyError', () => {
    const p = policy({ patterns: [{ id: 'custom.ticket', pattern: 'TCK-[0-9]{6}' }, { id: 'custom.bomb', pattern: '(a+)+$' }] });
    const v = verifyOutput({ stdout: `see TCK-123456 and ${'a'.repeat(50_000)}!`, stderr: '', policy: p });
    assert.ok(v.findings.some((f) => f.rule === 'custom.ticket'));
    assert.throws(() => buildRules(policy({ patterns: [{ id: 'custom.bad', pattern: '(a)\\1' }] }).verify),
      (e: unknown) => isAirlockError(e) && /verify\.patterns\[0\]/.test((e as Error).message));
    // verifyOutput fails closed on it: output withheld, the reason names the field.
    const closed = verifyOutput({ stdout: 'secret stuff', stderr: '', policy: policy({ patterns: [{ id: 'custom.bad', pattern: '(a)\\1' }] }) });
    assert.equal(closed.blocked, true);
    assert.equal(closed.stdout, '');
    assert.match(closed.reasons[0]!, /verify\.patterns\[0\]/);
  });
});

describe('canaries', () => {
  it('are unique per run, realistic, with decoy files under HOME', () => {
    const a = createCanaries();
    const b = createCanaries();
    assert.notEqual(a.env.AWS_ACCESS_KEY_ID, b.env.AWS_ACCESS_KEY_ID);
    assert.ok(a.files.some((f) => f.path === '.aws/credentials' && f.content.includes(a.env.AWS_ACCESS_KEY_ID!)));
    assert.ok(a.files.every((f) => !f.path.startsWith('/')));
    // The planted GitHub token verifies like a real one (a scanner cannot tell it is a decoy).
    assert.equal(scanText(a.env.GITHUB_TOKEN!, SECRET_RULES)[0]?.confidence, 1);
    for (const t of a.tokens) assert.ok(t.length >= 16);
  });
  it('detectCanaries finds a token in any text (egress), masked, and nothing in clean text', () => {
    const c = createCanaries();
    const body = `POST /upload\n\nkey=${encodeURIComponent(c.env.AWS_SECRET_ACCESS_KEY!)}&gh=${c.env.GITHUB_TOKEN}`;
    const found = detectCanaries(body, c.tokens, 'egress:files.example');
    assert.ok(found.length >= 1);
    assert.ok(found.every((f) => f.rule === 'canary.token' && f.severity === 'critical' && f.location?.source === 'egress:files.example'));
    assert.ok(!JSON.stringify(found).includes(c.env.GITHUB_TOKEN!));
    assert.deepEqual(detectCanaries('nothing here', c.tokens, 'egress'), []);
  });
  it('finds a canary file read through an encoder: base64 (wrapped at 76 columns), hex, reversed, percent-encoded', () => {
    const c = createCanaries();
    const creds = c.files.find((f) => f.path === '.aws/credentials')!.content;
    const secret = c.env.AWS_SECRET_ACCESS_KEY!;
    for (const lead of ['', 'x', 'xy']) {
      for (const url of [false, true]) {
        const b64 = Buffer.from(lead + creds).toString(url ? 'base64url' : 'base64');
        const wrapped = b64.replace(/.{76}/g, '$&\n');
        const found = detectCanaries(wrapped, c.tokens, 'stdout');
        assert.ok(found.length >= 1, `base64${url ? 'url' : ''} after ${lead.length} bytes: ${wrapped}`);
        // Texts over 64 KiB take the byte sweep: the encoded forms are found there too.
        const pad = 'build log line 0001: ok\n'.repeat(3000);
        assert.ok(detectCanaries(pad + wrapped + pad, c.tokens, 'stdout').length >= 1, 'inside a long text');
        assert.ok(!JSON.stringify(found).includes(b64.slice(10, 40)), 'the encoded match is masked');
      }
    }
    assert.equal(detectCanaries(Buffer.from(creds).toString('hex'), c.tokens, 'stdout').length >= 1, true);
    assert.equal(detectCanaries(Buffer.from(secret).toString('hex').toUpperCase(), c.tokens, 'stdout').length, 1);
    assert.equal(detectCanaries([...creds].reverse().join(''), c.tokens, 'stdout').length >= 1, true);
    const pct = encodeURIComponent(`${secret}+/`).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
    assert.equal(detectCanaries(`q=${pct}`, c.tokens, 'egress').length, 1);
    // Encodings of other credentials are not canaries.
    const other = createCanaries();
    const otherCreds = other.files.find((f) => f.path === '.aws/credentials')!.content;
    assert.deepEqual(detectCanaries(Buffer.from(otherCreds).toString('base64'), c.tokens, 'stdout'), []);
  });
});

describe('streaming scanner', () => {
  const sample = (): string => {
    const lines: string[] = [];
    for (let i = 0; i < 4000; i++) {
      lines.push(i % 97 === 0 ? `user ${i} token ${ghToken()} mail u${i}@corp.io` : `line ${i} ${rand(ALNUM, 30)} ok`);
    }
    return lines.join('\n');
  };
  it('gives the same text and findings whatever the chunking, matches split across chunks included', () => {
    const text = sample();
    const whole = verifyOutput({ stdout: text, stderr: '', policy: policy() });
    for (const size of [1, 7, 4096, 70_000]) {
      const s = createStreamScanner({ policy: policy(), source: 'stdout', window: 8192, overlap: 2048 });
      let out = '';
      let maxHeld = 0;
      for (let i = 0; i < text.length; i += size) {
        out += s.push(text.slice(i, i + size));
        maxHeld = Math.max(maxHeld, i + size - out.length);
      }
      out += s.end();
      assert.equal(out, whole.stdout, `chunk size ${size}`);
      assert.deepEqual(s.findings, whole.findings, `chunk size ${size}`);
      assert.ok(maxHeld <= 8192 + 2048 + size + 200, `held back ${maxHeld} characters`);
    }
  });
  it('stops releasing text once a blocking match is seen', () => {
    const canaries = createCanaries();
    const s = createStreamScanner({ policy: policy(), canaries, source: 'stdout', window: 1024, overlap: 256 });
    let out = s.push('a'.repeat(3000) + '\n');
    out += s.push(`leak ${canaries.env.NPM_TOKEN}\n` + 'b'.repeat(3000));
    out += s.end();
    assert.equal(s.blocked, true);
    assert.ok(!out.includes(canaries.env.NPM_TOKEN!));
  });
});
