import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskText, sanitizeForAudit } from './sanitize.js';

// Built at run time so no credential-shaped literal sits in the repository.
const fake = (prefix: string, n: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'): string =>
  prefix + Array.from({ length: n }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('');

describe('maskText', () => {
  const cases: [string, string][] = [
    ['GitHub token', `git push https://x-access-token:${fake('ghp_', 36)}@github.com/o/r`],
    ['AWS key id', `AWS_ACCESS_KEY_ID=${fake('AKIA', 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')} aws s3 ls`],
    ['bearer header', `curl -H "Authorization: Bearer ${fake('', 40)}" https://api.example`],
    ['password flag', `mysql --password ${fake('pw', 12)} -u root`],
    ['password in URL', `psql postgres://admin:${fake('pw', 12)}@db/prod`],
    ['key=value', `export API_KEY=${fake('k', 24)}`],
    ['private key', `-----BEGIN OPENSSH PRIVATE KEY-----\n${fake('b3Bl', 60)}\n-----END OPENSSH PRIVATE KEY-----`],
  ];
  for (const [name, text] of cases) {
    it(`masks a ${name}`, () => {
      const secret = text.match(/(ghp_\w+|AKIA\w+|Bearer (\w+)|--password (\w+)|admin:(\w+)@|API_KEY=(\w+)|b3Bl\w+)/)!;
      const raw = secret.slice(2).find(Boolean) ?? secret[1]!;
      const out = maskText(text);
      assert.ok(!out.includes(raw), `${out} still contains the secret`);
      assert.match(out, /\*{4,}/);
    });
  }
  it('leaves ordinary commands alone', () => {
    for (const text of ['ls -la /tmp', 'echo the token expired', 'git push origin main', 'python3 -c "print(1)"']) assert.equal(maskText(text), text);
  });
  it('is idempotent', () => {
    const once = maskText(`TOKEN=${fake('', 30)}`);
    assert.equal(maskText(once), once);
  });
});

describe('sanitizeForAudit', () => {
  it('masks fields named like secrets, hashes bytes and cuts long strings', () => {
    const out = sanitizeForAudit({ env: { DB_PASSWORD: 'correct horse battery' }, stdin: new Uint8Array([1, 2, 3]), code: 'x'.repeat(20_000), n: 1 }) as { env: { DB_PASSWORD: string }; stdin: unknown; code: string; n: number };
    assert.equal(out.env.DB_PASSWORD.startsWith('corr'), true);
    assert.ok(!out.env.DB_PASSWORD.includes('horse'));
    assert.deepEqual(out.stdin, { bytes: 3, sha256: '039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81' });
    assert.match(out.code, /\[20000 chars, cut\]$/);
    assert.equal(out.n, 1);
  });
});
