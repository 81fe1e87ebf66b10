import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterHeaders, secretMasker } from './forward.js';

describe('secretMasker', () => {
  const secret = Buffer.from('ghp_brokeredSECRET42');
  const run = (chunks: string[]): string => {
    const m = secretMasker(secret);
    return Buffer.concat([...chunks.map((c) => m.push(Buffer.from(c))), m.end()]).toString();
  };

  it('masks the secret however the stream is cut, and keeps every other byte', () => {
    const text = `{"echo":"Bearer ${secret}","again":"${secret}${secret}","n":1}`;
    const expected = text.replaceAll(secret.toString(), '*'.repeat(secret.length));
    for (let size = 1; size <= text.length; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
      assert.equal(run(chunks), expected, `chunk size ${size}`);
    }
  });

  it('passes a stream without the secret through unchanged, including a partial prefix at the end', () => {
    assert.equal(run(['plain ', 'text ghp_broke']), 'plain text ghp_broke');
    assert.equal(run([]), '');
  });
});

describe('filterHeaders', () => {
  it('drops hop-by-hop headers, those named in Connection, and the dropped set', () => {
    assert.deepEqual(filterHeaders(['Connection', 'close, X-Secret', 'X-Secret', '1', 'Authorization', 'a', 'Accept', '*/*'], new Set(['authorization'])), ['Accept', '*/*']);
  });
});
