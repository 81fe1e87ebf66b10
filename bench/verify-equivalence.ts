/**
 * @module bench/verify-equivalence
 * Guards engine rewrites: records every finding (rule id, span, confidence) of `scanText` and of
 * the streaming scanner on the 10 MiB mixed text and on every record of the shared secrets and PII
 * corpora, then compares a later engine against that record.
 * Run: node --import tsx bench/verify-equivalence.ts --record   (with the engine to trust)
 *      node --import tsx bench/verify-equivalence.ts            (after a change; exit 1 on any difference)
 *      AIRLOCK_NATIVE_SCAN=off node --import tsx bench/verify-equivalence.ts   (the JavaScript passes)
 * The record goes to $AIRLOCK_EQUIV (default /tmp/airlock-verify-equivalence.json).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CORPORA } from './verify-accuracy.js';
import { mixedText } from './verify-mixed.js';
import { buildRules, createStreamScanner, scanText } from '../src/verify/index.js';
import { defaultPolicy } from '../src/policy/schema.js';
import { registerNativeScan } from '../src/native-scan.js';

// The native passes when they are built (AIRLOCK_NATIVE_SCAN=off compares the JavaScript ones).
registerNativeScan();

const policy = defaultPolicy();
// Fixed canary tokens (createCanaries is random): same shapes, stable across runs.
const canaries = { tokens: ['AKIAQZ7TESTCANARY000', 'ghp_canaryCANARYcanaryCANARYcanary0000', 'npm_canaryCANARYcanaryCANARYcanary00000'] };
const rules = buildRules(policy.verify, canaries.tokens);
const min = policy.verify.piiMinConfidence;
const key = (ms: ReturnType<typeof scanText>): string[] => ms.map((m) => `${m.rule.id}@${m.start}-${m.end}:${m.confidence.toFixed(4)}`);

const out: Record<string, string[]> = {};
const { text } = mixedText(10 * 1024 * 1024);
out['mixed:scanText'] = key(scanText(text, rules, { piiMinConfidence: min }));
for (const chunk of [65536, 1000]) {
  const s = createStreamScanner({ policy, canaries, source: 'stdout' });
  const limit = chunk === 1000 ? 1024 * 1024 : text.length;
  for (let i = 0; i < limit; i += chunk) s.push(text.slice(i, Math.min(limit, i + chunk)));
  s.end();
  out[`mixed:stream:${chunk}`] = s.findings.map((f) => JSON.stringify(f));
}
// Every record again, joined into one large text: long texts take the engine's byte paths, which
// the short records alone never reach.
const joined: string[] = [];
for (const file of ['secrets_gitleaks.jsonl', 'secrets_detect_secrets.jsonl', 'secrets_credsweeper.jsonl', 'pii_presidio_tests.jsonl']) {
  const p = path.join(CORPORA, file);
  if (!existsSync(p)) continue;
  readFileSync(p, 'utf8').split('\n').filter(Boolean).forEach((line, i) => {
    const r = JSON.parse(line) as { id?: string; content: string };
    out[`${file}:${r.id ?? i}:${i}`] = key(scanText(r.content, rules, { piiMinConfidence: 0 }));
    joined.push(r.content);
  });
}
const ascii = joined.filter((c) => !/[^\x00-\x7f]/.test(c));
out['corpora:joined-ascii'] = key(scanText(ascii.join('\n'), rules, { piiMinConfidence: 0 }));
out['corpora:joined-ascii-x4'] = key(scanText(Array.from({ length: 4 }, () => ascii.join('\n')).join('\n'), rules, { piiMinConfidence: 0 }));

const file = process.env.AIRLOCK_EQUIV ?? '/tmp/airlock-verify-equivalence.json';
if (process.argv.includes('--record')) {
  writeFileSync(file, JSON.stringify(out));
  console.log(`recorded ${Object.keys(out).length} inputs, ${Object.values(out).reduce((a, v) => a + v.length, 0)} findings → ${file}`);
} else {
  const want = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>;
  let diffs = 0;
  for (const k of new Set([...Object.keys(want), ...Object.keys(out)])) {
    const a = JSON.stringify(want[k] ?? null);
    const b = JSON.stringify(out[k] ?? null);
    if (a !== b && diffs++ < 10) console.log(`DIFF ${k}\n  want ${a.slice(0, 400)}\n  got  ${b.slice(0, 400)}`);
  }
  console.log(diffs ? `${diffs} inputs differ` : `identical: ${Object.keys(want).length} inputs, ${Object.values(want).reduce((a, v) => a + v.length, 0)} findings`);
  process.exit(diffs ? 1 : 0);
}
