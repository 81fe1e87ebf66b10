/**
 * Fixture runner: every folder under fixtures/<lang>/ is named `<verdict>.<case>` and holds `input`
 * (plus an optional `policy.json`). The verdict in the name must come out; `expected.json` pins the
 * rule ids and programs found. `UPDATE_SNAPSHOT=1` rewrites expected.json (never the verdict).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parsePolicy } from '../policy/schema.js';
import { decide } from '../policy/decide.js';
import { analyzeText, evaluateAction } from './index.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const update = process.env.UPDATE_SNAPSHOT === '1';

for (const lang of readdirSync(root)) {
  for (const name of readdirSync(path.join(root, lang)).sort()) {
    const dir = path.join(root, lang, name);
    test(`fixture ${lang}/${name}`, async () => {
      const want = name.split('.')[0];
      assert.ok(['allow', 'ask', 'deny'].includes(want!), `folder name must start with allow., ask. or deny.: ${name}`);
      const input = readFileSync(path.join(dir, 'input'), 'utf8');
      const policyFile = path.join(dir, 'policy.json');
      const parsed = parsePolicy(existsSync(policyFile) ? JSON.parse(readFileSync(policyFile, 'utf8')) : {});
      assert.ok(parsed.ok, `invalid policy.json in ${name}`);
      const policy = parsed.value;
      const result = lang === 'text'
        ? { ...decide({ findings: analyzeText(input), invocations: [] }, policy), programs: [] }
        : await evaluateAction({ kind: 'code', language: lang as 'shell' | 'python' | 'javascript', code: input }, policy);
      const actual = {
        verdict: result.verdict,
        rules: [...new Set(result.findings.map((f) => f.rule))].sort(),
        ruleIds: result.ruleIds,
        programs: result.programs.map((p) => [p.program, ...p.args].join(' ')),
      };
      assert.equal(result.verdict, want, `${lang}/${name}: expected ${want}, got ${result.verdict}\nreasons: ${result.reasons.join('\n')}`);
      const snapshot = path.join(dir, 'expected.json');
      if (update) writeFileSync(snapshot, `${JSON.stringify(actual, null, 2)}\n`);
      assert.ok(existsSync(snapshot), `missing ${snapshot}; run with UPDATE_SNAPSHOT=1 to create it`);
      assert.deepEqual(actual, JSON.parse(readFileSync(snapshot, 'utf8')));
    });
  }
}
