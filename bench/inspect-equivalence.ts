/**
 * Differential check for inspection changes that must not change results: records the findings,
 * invocations and verdict of the engine on every nl2bash and PayloadsAllTheThings record and on the
 * 1,000-line script of the bench, then compares a later engine against that record.
 *   node --import tsx bench/inspect-equivalence.ts --save   (before the change)
 *   node --import tsx bench/inspect-equivalence.ts          (after it; exits 1 on any difference)
 * The record is kept outside the repository (tmp/inspect-equivalence.json): it holds corpus text.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateAction, inspectCode } from '../src/inspect/index.js';
import { defaultPolicy } from '../src/policy/schema.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpora = path.resolve(repo, '../shared/corpora');
const out = process.env.EQUIVALENCE_FILE ?? path.join(repo, 'tmp', 'inspect-equivalence.json');
const policy = defaultPolicy();

function load(file: string): { id: string; content: string }[] {
  return readFileSync(path.join(corpora, file), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; content: string });
}

const nl2bash = load('nl2bash.jsonl');
const records = [...nl2bash, ...load('payloadsallthethings_shell.jsonl')];
// The bench's 1,000-line script: the first 1,000 nl2bash lines joined.
records.push({ id: 'script:1000', content: nl2bash.slice(0, 1000).map((r) => r.content).join('\n') });

const results: Record<string, string> = {};
for (const rec of records) {
  const r = await evaluateAction({ kind: 'code', language: 'shell', code: rec.content }, policy);
  const { invocations } = await inspectCode('shell', rec.content);
  results[rec.id] = JSON.stringify({
    verdict: r.verdict,
    findings: r.findings,
    invocations,
  });
}

if (process.argv.includes('--save')) {
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results));
  console.log(`saved ${records.length} records to ${out}`);
} else {
  if (!existsSync(out)) throw new Error(`no saved record at ${out}: run with --save on the engine before the change`);
  const before = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
  let diff = 0;
  for (const rec of records) {
    if (before[rec.id] === results[rec.id]) continue;
    if (++diff <= Number(process.env.EQUIVALENCE_SHOW ?? 10)) console.log(`${rec.id}\n  before ${before[rec.id]}\n  after  ${results[rec.id]}`);
  }
  console.log(`${records.length} records compared, ${diff} differ`);
  process.exit(diff ? 1 : 0);
}
