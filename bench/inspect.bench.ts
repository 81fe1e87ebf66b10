/**
 * Inspection benchmark: detection rates on the shared corpora and latency.
 * Run alone: `node --import tsx bench/inspect.bench.ts` (writes docs/bench/inspect.md).
 * Reads ../shared/corpora (relative to the repository root); never copies records into the repo.
 */
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Verdict } from '../src/core/contracts.js';
import { analyzeText, evaluateAction, inspectCode } from '../src/inspect/index.js';
import { getParsers } from '../src/inspect/parsers.js';
import { splitScript } from '../src/inspect/shell/split.js';
import { plainStatement } from '../src/inspect/shell/plain.js';
import { decide } from '../src/policy/decide.js';
import { defaultPolicy, parsePolicy } from '../src/policy/schema.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpora = path.resolve(repo, '../shared/corpora');
let policy = defaultPolicy();
const strictParsed = parsePolicy({ inspect: { unknownPrograms: 'ask' } });
if (!strictParsed.ok) throw new Error('strict policy does not validate');
const strictPolicy = strictParsed.value;

interface Record { id: string; kind: string; label: string; content: string }
function load(file: string): Record[] {
  const p = path.join(corpora, file);
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record);
}

interface Rates { n: number; deny: number; ask: number; flagged: number; rules: Map<string, number> }
async function measure(records: Record[], lang?: 'text' | 'shell'): Promise<Rates> {
  const r: Rates = { n: 0, deny: 0, ask: 0, flagged: 0, rules: new Map() };
  for (const rec of records) {
    r.n++;
    let verdict: Verdict;
    let rules: string[];
    if (lang === 'text' || (lang !== 'shell' && (rec.kind === 'prompt' || rec.kind === 'text'))) {
      const findings = analyzeText(rec.content);
      verdict = decide({ findings, invocations: [] }, policy).verdict;
      rules = findings.map((f) => f.rule);
    } else {
      const language = lang === 'shell' ? 'shell' : rec.kind as 'shell' | 'python' | 'javascript';
      const res = await evaluateAction({ kind: 'code', language, code: rec.content }, policy);
      verdict = res.verdict;
      rules = res.findings.map((f) => f.rule);
    }
    if (verdict === 'deny') r.deny++;
    if (verdict === 'ask') r.ask++;
    // "Flagged" as CodeShield means it: a finding about the code itself (a parse error is not one).
    if (rules.some((id) => !id.endsWith('parse-error'))) r.flagged++;
    if (verdict !== 'allow') for (const id of new Set(rules)) r.rules.set(id, (r.rules.get(id) ?? 0) + 1);
  }
  return r;
}

const pct = (a: number, n: number): string => (n ? `${((100 * a) / n).toFixed(1)}%` : 'n/a');
const top = (m: Map<string, number>, k = 6): string => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([id, c]) => `${id} ×${c}`).join(', ') || '—';

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

async function latency(): Promise<{ p50: number; p99: number; script: number; builtScript: number | undefined; scriptEarly: number; builtScriptEarly: number | undefined; builtP50: number | undefined; baselineP50: number; parseP50: number; parseP99: number; parseScript: number; pieceScript: number; treePieceScript: number; treePieces: number; pieces: number }> {
  const { shell } = await getParsers();
  const lines = load('nl2bash.jsonl').slice(0, 2000).map((r) => r.content);
  for (const l of lines.slice(0, 200)) await evaluateAction({ kind: 'code', language: 'shell', code: l }, policy); // warm-up
  const times: number[] = [];
  for (const l of lines) {
    const t = performance.now();
    await evaluateAction({ kind: 'code', language: 'shell', code: l }, policy);
    times.push(performance.now() - t);
  }
  // Baseline in the same run: a tokenising split on whitespace and separators (what naive guards do).
  const base: number[] = [];
  for (const l of lines) {
    const t = performance.now();
    l.split(/\s*(?:&&|\|\||;|\|)\s*/).map((c) => c.trim().split(/\s+/));
    base.push(performance.now() - t);
  }
  // Baseline 2: tree-sitter parsing alone (no walk, rules or decision), same lines, same run.
  const parseTimes: number[] = [];
  for (const l of lines) {
    const t = performance.now();
    shell.parse(l)?.delete();
    parseTimes.push(performance.now() - t);
  }
  const script = lines.slice(0, 1000).join('\n');
  const parseRuns: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    shell.parse(script)?.delete();
    parseRuns.push(performance.now() - t);
  }
  // Baseline 3: what the engine parses for a long script — its statement pieces, one parse each.
  const pieceRuns: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    for (const piece of splitScript(script)) shell.parse(piece.text)?.delete();
    pieceRuns.push(performance.now() - t);
  }
  // Baseline 4: the pieces the engine still parses (one-line statements of plain commands are read from their text).
  const treePieces = splitScript(script).filter((p) => !plainStatement(p.text));
  const treePieceRuns: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t = performance.now();
    for (const piece of treePieces) shell.parse(piece.text)?.delete();
    treePieceRuns.push(performance.now() - t);
  }
  // The same engine as an install runs it: the build in dist/ (tsc's output; \`npm run bench\` builds
  // first). Under tsx the source is esbuild's output, which wraps closures in \`__name\` helpers.
  // Runs alternate with the source's so both see the same load.
  const built = existsSync(path.join(repo, 'dist/inspect/index.js'))
    ? await import(pathToFileURL(path.join(repo, 'dist/inspect/index.js')).href) as typeof import('../src/inspect/index.js')
    : undefined;
  for (let i = 0; i < 5; i++) {
    await inspectCode('shell', script); // warm-up
    await built?.inspectCode('shell', script);
  }
  const runs: number[] = [];
  const builtRuns: number[] = [];
  // 40 runs each: the first 20 (runs 6-25) are what earlier rounds reported; V8 is still optimising then
  // (a fresh process needs some 25 runs of the script to settle), so the figure is the median of the last 20.
  for (let i = 0; i < 40; i++) {
    let t = performance.now();
    await inspectCode('shell', script);
    runs.push(performance.now() - t);
    if (!built) continue;
    t = performance.now();
    await built.inspectCode('shell', script);
    builtRuns.push(performance.now() - t);
  }
  const builtTimes: number[] = [];
  if (built) {
    for (const l of lines.slice(0, 200)) await built.evaluateAction({ kind: 'code', language: 'shell', code: l }, policy);
    for (const l of lines) {
      const t = performance.now();
      await built.evaluateAction({ kind: 'code', language: 'shell', code: l }, policy);
      builtTimes.push(performance.now() - t);
    }
  }
  return {
    p50: quantile(times, 0.5), p99: quantile(times, 0.99), script: quantile(runs.slice(20), 0.5), baselineP50: quantile(base, 0.5),
    scriptEarly: quantile(runs.slice(0, 20), 0.5), builtScriptEarly: built ? quantile(builtRuns.slice(0, 20), 0.5) : undefined,
    builtScript: built ? quantile(builtRuns.slice(20), 0.5) : undefined, builtP50: built ? quantile(builtTimes, 0.5) : undefined,
    parseP50: quantile(parseTimes, 0.5), parseP99: quantile(parseTimes, 0.99), parseScript: quantile(parseRuns, 0.5), pieceScript: quantile(pieceRuns, 0.5),
    treePieceScript: quantile(treePieceRuns, 0.5), treePieces: treePieces.length, pieces: splitScript(script).length,
  };
}

const sets: [string, string, string | undefined][] = [
  ['payloadsallthethings_shell.jsonl', 'malicious', undefined],
  ['nl2bash.jsonl', 'benign', undefined],
  ['cyberseceval_icd_fixtures.jsonl', 'insecure', undefined],
  ['cyberseceval_icd_fixtures.jsonl', 'clean', undefined],
  ['cyberseceval_insecure_code.jsonl', 'insecure', undefined],
  ['humaneval_benign_python.jsonl', 'benign', undefined],
  ['bipia.jsonl', 'malicious', 'text'],
  ['bipia.jsonl', 'benign', 'text'],
  ['injecguard_notinject.jsonl', 'benign', 'text'],
  ['injecguard_wildguard_benign.jsonl', 'benign', 'text'],
  ['llm_guard_tests.jsonl', 'malicious', 'text'],
  ['llm_guard_tests.jsonl', 'benign', 'text'],
];

const rows: string[] = [];
const results = new Map<string, Rates>();
for (const [file, label, lang] of sets) {
  const records = load(file).filter((r) => r.label === label);
  if (!records.length) continue;
  const r = await measure(records, lang as 'text' | undefined);
  results.set(`${file}:${label}`, r);
  rows.push(`| ${file.replace('.jsonl', '')} | ${label} | ${r.n} | ${pct(r.deny, r.n)} | ${pct(r.ask, r.n)} | ${pct(r.deny + r.ask, r.n)} | ${pct(r.flagged, r.n)} | ${top(r.rules)} |`);
  process.stderr.write(`${file} ${label}: n=${r.n} deny=${pct(r.deny, r.n)} ask=${pct(r.ask, r.n)} flagged=${pct(r.flagged, r.n)} ${top(r.rules)}\n`);
}
// The same shell sets under a stricter policy: programs no rule knows are asked about.
const strictRows: string[] = [];
{
  const saved = policy;
  policy = strictPolicy;
  for (const [file, label] of [['payloadsallthethings_shell.jsonl', 'malicious'], ['nl2bash.jsonl', 'benign']] as const) {
    const records = load(file).filter((r) => r.label === label);
    if (!records.length) continue;
    const r = await measure(records);
    strictRows.push(`| ${file.replace('.jsonl', '')} | ${label} | ${r.n} | ${pct(r.deny, r.n)} | ${pct(r.ask, r.n)} | ${pct(r.deny + r.ask, r.n)} |`);
  }
  policy = saved;
}
const pattAll = await measure(load('payloadsallthethings_shell.jsonl'), 'shell');
const lat = await latency();
// The built library again, each time in a process of its own that does nothing else (no corpus
// results in its heap, no second engine alternating with it): bench/inspect-script.mjs.
const own: Array<{ script: number; early: number; parse: number }> = [];
if (existsSync(path.join(repo, 'dist/inspect/index.js'))) {
  for (let i = 0; i < 5; i++) own.push(JSON.parse(execFileSync(process.execPath, [path.join(repo, 'bench/inspect-script.mjs')], { encoding: 'utf8' })));
}
const ownScript = own.length ? quantile(own.map((o) => o.script), 0.5) : undefined;
const ownRange = own.length ? `${Math.min(...own.map((o) => o.script)).toFixed(1)}-${Math.max(...own.map((o) => o.script)).toFixed(1)}` : '';
const ownParse = own.length ? quantile(own.map((o) => o.parse), 0.5) : undefined;
const load1 = os.loadavg()[0]!.toFixed(1);
const node = process.version;
const kernel = os.release();
let cpus = String(os.cpus().length);
try { cpus = execSync('nproc').toString().trim(); } catch { /* keep os.cpus() */ }
const g = (k: string) => results.get(k);
const patt = g('payloadsallthethings_shell.jsonl:malicious');
const nl = g('nl2bash.jsonl:benign');
const icdI = g('cyberseceval_icd_fixtures.jsonl:insecure');
const icdC = g('cyberseceval_icd_fixtures.jsonl:clean');
const md = `## Inspection (\`bench/inspect.bench.ts\`)

Machine: ${cpus} CPUs (nproc), Linux ${kernel}, Node ${node}; ${new Date().toISOString().slice(0, 10)}; load average ${load1} during the run
(other work shared the machine; latency tails are sensitive to that). Default policy
(\`inspect.deny: high\`, \`inspect.ask: medium\`). "Flagged" = at least one finding of any severity
other than a parse error (CodeShield's "insecure" notion); deny/ask are the policy's verdicts. Corpora: \`../shared/corpora\`.

| corpus | label | n | denied | asked | denied or asked | flagged | rules behind deny/ask (top) |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

With \`inspect.unknownPrograms: ask\` (programs outside the built-in list and every \`commands:\` rule are asked about):

| corpus | label | n | denied | asked | denied or asked |
|---|---|---|---|---|---|
${strictRows.join('\n')}

Targets (issue 4, default policy):
- payloadsallthethings_shell denied or asked ≥ 95%: **${patt ? pct(patt.deny + patt.ask, patt.n) : 'n/a'}** with each record analysed as
  the kind the corpus gives it (shell, python, javascript; \`text\` records — prose, program output, URLs — through the text analyzer);
  **${pct(pattAll.deny + pattAll.ask, pattAll.n)}** when every record is fed to the shell gate as a command would be
- nl2bash denied ≤ 1%: **${nl ? pct(nl.deny, nl.n) : 'n/a'}**, asked ≤ 10%: **${nl ? pct(nl.ask, nl.n) : 'n/a'}**
- cyberseceval_icd_fixtures insecure flagged ≥ 90%: **${icdI ? pct(icdI.flagged, icdI.n) : 'n/a'}** with clean flagged ≤ 10%: **${icdC ? pct(icdC.flagged, icdC.n) : 'n/a'}**

Latency (after 200 warm-up calls, 2,000 nl2bash one-liners through \`evaluateAction\`, parse + rules + decision):

| measure | Airlock (parse + walk + rules + decision) | baseline: tree-sitter parse only | baseline: regex split on \`&& \\|\\| ; \\|\` | target |
|---|---|---|---|---|
| one-line command p50 | ${lat.p50.toFixed(3)} ms | ${lat.parseP50.toFixed(3)} ms | ${lat.baselineP50.toFixed(4)} ms | < 1 ms |
| one-line command p99 | ${lat.p99.toFixed(3)} ms | ${lat.parseP99.toFixed(3)} ms | — | < 5 ms |
| 1,000-line script, source through tsx (median of runs 26-45 of a fresh engine, after V8 has optimised it; runs 6-25, what earlier rounds reported: ${lat.scriptEarly.toFixed(1)} ms; baselines median of 10) | ${lat.script.toFixed(1)} ms | ${lat.parseScript.toFixed(1)} ms whole; ${lat.pieceScript.toFixed(1)} ms as all ${lat.pieces} statement pieces; ${lat.treePieceScript.toFixed(1)} ms for the ${lat.treePieces} pieces the engine still parses | — | < 20 ms |
| 1,000-line script, the built library (\`dist/\`, what an install runs; runs alternating with the row above; runs 6-25: ${lat.builtScriptEarly?.toFixed(1) ?? 'not built'} ms) | ${lat.builtScript?.toFixed(1) ?? 'not built'} ms | (same baselines) | — | < 20 ms |
| 1,000-line script, the built library in a process of its own (\`bench/inspect-script.mjs\`: nothing else in the process; median of runs 26-45, median of ${own.length} processes, range ${ownRange} ms) | ${ownScript?.toFixed(1) ?? 'not built'} ms | ${ownParse?.toFixed(1) ?? '—'} ms whole, in the same processes | — | < 20 ms |
| one-line command p50, the built library | ${lat.builtP50?.toFixed(3) ?? 'not built'} ms | | | < 1 ms |

Before this round (main at 9b5d01c; its recorded run, commit 85fe950, on a slow host: tree-sitter alone took
32.3 ms for the whole script): 1,000-line script median 36.3 ms built, 38.8 ms through tsx, 1.12 times tree-sitter's
whole parse in the same run (the quieter run of d52d38a: 24.8 ms built, 27.9 ms tsx, 1.09 times a 22.7 ms parse);
one-liner p50 0.035 ms, p99 0.332 ms; 98 of the script's 999 pieces parsed by tree-sitter. This round: the built
library at 9b5d01c and at 9806729 (this round's code), alternating, 100 runs each after 40 warm-up runs, load average
1.3 to 1.4: in one process, three rounds, wall median 26.9 / 26.5 / 25.3 ms before, 21.5 / 21.3 / 20.4 ms after, CPU
time per run (garbage collection threads included) 32.1 / 30.1 / 28.5 ms before, 23.8 / 22.4 / 21.7 ms after (24-26%
less); in separate processes, six pairs, wall median 21.9 to 27.2 ms before, 19.9 to 22.1 ms after (9% less, median of
the pair ratios; CPU 11% less), fastest run 19.4 ms before, 16.7 ms after. In this run the built library took ${lat.builtScript !== undefined ? (lat.builtScript / lat.parseScript).toFixed(2) : 'n/a'} times tree-sitter's whole parse.
Detection unchanged by the speed work: \`bench/inspect-equivalence.ts\` finds the same verdicts, findings and
invocations on all 10,917 nl2bash, PayloadsAllTheThings and script records.
Earlier rounds: commit f86edad, 1,000-line script 35.0 ms (259 pieces parsed); 57c992c, 68.3 ms; 41b8f5e, 52.4 ms
(one-liner p50 0.055 ms, p99 0.285 ms); 1b2f068, 97.7 ms (whole-script parse, which let one error hide the statements
after it: 1,153 programs seen instead of 2,361). PayloadsAllTheThings went from 75.3% (1b2f068) to 94.9% (41b8f5e) to
95.5% denied or asked.
The script target (< 20 ms), in this run: ${ownScript !== undefined && ownScript < 20 ? '**met**' : '**not met**'} by the built library in a process of its own (${ownScript?.toFixed(1) ?? 'n/a'} ms, the
cleanest figure: the bench's own process holds every corpus result and a second engine); ${(lat.builtScript ?? Infinity) < 20 ? 'met' : 'not met'} by the built library
in the bench's process (${lat.builtScript?.toFixed(1) ?? 'n/a'} ms); ${lat.script < 20 ? 'met' : 'not met'} by the source through tsx (${lat.script.toFixed(1)} ms). On this shared 2-core host the figure moves
by a few ms with the load: see docs/inspect.md, Measured, for where the time goes.
Earlier rounds reported the median of runs 6-25 of the script (5 warm-up runs); a fresh engine is still being
optimised by V8 then (in two fresh processes of the built library at 0786a63, runs 6-25 took 24.3 and 37.8 ms where
runs 26-60 took 21.4-34.3 ms), so from this round on the figure is runs 26-45 and the table gives runs 6-25 beside it. The
alternating measurements above warm up 40 runs first.
Earlier rounds measured the source through tsx only; the built library is what users run, and esbuild's
\`__name\` wrappers (kept names for closures) cost the tsx figure a few percent of its time.
`;
mkdirSync(path.join(repo, 'docs/bench'), { recursive: true });
writeFileSync(path.join(repo, 'docs/bench/inspect.md'), md);
process.stdout.write(md);
