/**
 * @module bench/verify-accuracy
 * Scores the verify detectors on the shared secrets and PII corpora (read at run time from
 * ../shared/corpora; nothing is copied into the repository). See docs/verify.md for the method.
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { scanText } from '../src/verify/engine.js';
import { PII_RULES, SECRET_RULES } from '../src/verify/rules.js';

/** One corpus record (the fields used here). */
interface CorpusRecord { id: string; label: string; category: string; content: string; negative_scope?: string | null }

/** Accuracy of one set. */
export interface SetScore {
  set: string;
  positives: number;
  negatives: number;
  tp: number;
  fp: number;
  fpStrict: number;
  recall: number;
  precision: number;
  precisionStrict: number;
  missedByCategory: Record<string, number>;
  recallByCategory: Record<string, { hit: number; total: number }>;
}

/** Where the corpora live. */
export const CORPORA = path.resolve(process.env.AIRLOCK_CORPORA ?? path.join(import.meta.dirname, '../../shared/corpora'));

function read(file: string): CorpusRecord[] {
  const p = path.join(CORPORA, file);
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CorpusRecord);
}

/**
 * Scores one set. A positive counts when a rule of the kind fires. A negative scoped to all rules
 * is a false positive when any rule of the kind fires; a rule-scoped negative only when a rule
 * "responsible" for its category fires: the rules that fired on that category's positives.
 */
export function scoreSet(file: string, kind: 'secret' | 'pii', minConfidence = 0.5): SetScore | null {
  const records = read(file);
  if (!records.length) return null;
  const rules = kind === 'secret' ? SECRET_RULES : PII_RULES;
  const fired = (r: CorpusRecord): string[] => [...new Set(scanText(r.content, rules, { piiMinConfidence: minConfidence })
    .filter((m) => m.rule.kind === kind).map((m) => m.rule.id))];
  const responsible = new Map<string, Set<string>>();
  const byCat: Record<string, { hit: number; total: number }> = {};
  const missed: Record<string, number> = {};
  let tp = 0; let positives = 0;
  for (const r of records.filter((x) => x.label !== 'clean')) {
    positives++;
    const ids = fired(r);
    const cat = (byCat[r.category] ??= { hit: 0, total: 0 });
    cat.total++;
    if (ids.length) {
      tp++; cat.hit++;
      const set = responsible.get(r.category) ?? new Set<string>();
      ids.forEach((id) => set.add(id));
      responsible.set(r.category, set);
    } else {
      missed[r.category] = (missed[r.category] ?? 0) + 1;
      if (process.env.VERBOSE) console.log('MISS', r.id, JSON.stringify(r.content.slice(0, 160)));
    }
  }
  let fp = 0; let fpStrict = 0; let negatives = 0;
  for (const r of records.filter((x) => x.label === 'clean')) {
    negatives++;
    const ids = fired(r);
    if (ids.length) fpStrict++;
    const scoped = r.negative_scope === 'rule' || r.negative_scope === 'recognizer';
    const blame = scoped ? ids.filter((id) => responsible.get(r.category)?.has(id)) : ids;
    if (blame.length) {
      fp++;
      if (process.env.VERBOSE) console.log('FP', r.id, blame.join(','), JSON.stringify(r.content.slice(0, 160)));
    }
  }
  return {
    set: file.replace('.jsonl', ''), positives, negatives, tp, fp, fpStrict,
    recall: positives ? tp / positives : 0,
    precision: tp + fp ? tp / (tp + fp) : 1,
    precisionStrict: tp + fpStrict ? tp / (tp + fpStrict) : 1,
    missedByCategory: missed,
    recallByCategory: byCat,
  };
}

if (process.argv[1]?.endsWith('verify-accuracy.ts')) {
  for (const f of ['secrets_gitleaks.jsonl', 'secrets_detect_secrets.jsonl', 'secrets_credsweeper.jsonl', 'llm_guard_tests.jsonl']) {
    const s = scoreSet(f, 'secret');
    if (s) console.log(s.set, 'recall', s.recall.toFixed(3), 'precision', s.precision.toFixed(3), 'strict', s.precisionStrict.toFixed(3), 'fp', s.fp, JSON.stringify(s.missedByCategory));
  }
  const p = scoreSet('pii_presidio_tests.jsonl', 'pii');
  if (p) console.log(p.set, 'recall', p.recall.toFixed(3), 'precision', p.precision.toFixed(3), 'strict', p.precisionStrict.toFixed(3), JSON.stringify(p.missedByCategory));
}
