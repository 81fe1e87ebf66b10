/**
 * Benchmark of output verification: detection accuracy on the shared secrets and PII corpora,
 * and throughput on a generated 10 MB mixed text, side by side with secretlint's engine
 * (@secretlint/core + the recommend preset) in the same run.
 * Run: node --import tsx bench/verify.bench.ts   → docs/bench/verify.md
 */
import { lintSource } from '@secretlint/core';
import { creator as recommend } from '@secretlint/secretlint-rule-preset-recommend';
import os from 'node:os';
import { machine, percentile, writeSection } from './lib.js';
import { scoreSet, CORPORA, type SetScore } from './verify-accuracy.js';
import { buildRules, createCanaries, createStreamScanner, scanText } from '../src/verify/index.js';
import { defaultPolicy } from '../src/policy/schema.js';
import { mixedText } from './verify-mixed.js';
import { keywordRanges, numericRanges, setNativeScan } from '../src/verify/engine.js';
import { registerNativeScan } from '../src/native-scan.js';

const mbps = (bytes: number, msValue: number): string => (bytes / 1e6 / (msValue / 1000)).toFixed(0);

/** Runs `fn` and returns [wall ms, CPU ms of this process] (CPU time is robust to a busy machine). */
async function timed(fn: () => unknown): Promise<[number, number]> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const d = process.cpuUsage(c);
  return [performance.now() - t, (d.user + d.system) / 1000];
}
async function runs(fn: () => unknown, n: number): Promise<{ wall: number; cpu: number }> {
  await fn();
  const out: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) out.push(await timed(fn));
  return { wall: percentile(out.map((x) => x[0]), 50), cpu: percentile(out.map((x) => x[1]), 50) };
}
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
/** Rounds of the throughput comparison (each engine scans the text once per round). */
const ROUNDS = 15;

async function main(): Promise<void> {
  registerNativeScan();
  const policy = defaultPolicy();
  const canaries = createCanaries();
  const rules = buildRules(policy.verify, canaries.tokens);
  const { text, planted } = mixedText(10 * 1024 * 1024);
  const bytes = Buffer.byteLength(text);

  const found = scanText(text, rules, { piiMinConfidence: policy.verify.piiMinConfidence });
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommend }] };
  const source = { content: text, filePath: '/bench/mixed.log', contentType: 'text' as const };
  let secretlintFindings = 0;
  const engines = {
    airlock: () => scanText(text, rules, { piiMinConfidence: policy.verify.piiMinConfidence }),
    // The same scan with the JavaScript passes only (what runs where the addon is not built).
    airlockJs: () => {
      setNativeScan(null);
      try {
        return scanText(text, rules, { piiMinConfidence: policy.verify.piiMinConfidence });
      } finally {
        registerNativeScan();
      }
    },
    stream: () => {
      const s = createStreamScanner({ policy, canaries, source: 'stdout' });
      for (let i = 0; i < text.length; i += 65536) s.push(text.slice(i, i + 65536));
      s.end();
    },
    secretlint: async () => {
      const r = await lintSource({ source, options: { config, maskSecrets: true } });
      secretlintFindings = r.messages.length;
    },
  };
  // The engines take turns, round after round, so that a busy spell of this shared machine slows
  // all of them rather than one; the ratio to secretlint is taken within each round.
  const samples: Record<keyof typeof engines, Array<[number, number]>> = { airlock: [], airlockJs: [], stream: [], secretlint: [] };
  for (const fn of Object.values(engines)) await fn();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(engines) as Array<[keyof typeof engines, () => unknown]>) samples[name].push(await timed(fn));
  }
  const summary = (xs: Array<[number, number]>): { wall: number; cpu: number; best: number } =>
    ({ wall: percentile(xs.map((x) => x[0]), 50), cpu: percentile(xs.map((x) => x[1]), 50), best: Math.min(...xs.map((x) => x[1])) });
  const airlockRuns = summary(samples.airlock);
  const airlockJsRuns = summary(samples.airlockJs);
  const streamRuns = summary(samples.stream);
  const secretlintRuns = summary(samples.secretlint);
  const speedup = percentile(samples.airlock.map((x, i) => samples.secretlint[i]![1] / x[1]), 50);
  const load = os.loadavg()[0]!.toFixed(1);
  // The shared passes alone, in the same run: what is left of scanText is the rules themselves.
  const sweepRuns = await runs(() => keywordRanges(text, rules), 5);
  const numericRuns = await runs(() => numericRanges(text), 5);

  // Per-rule cost, to show where the time goes.
  const perRule: Array<{ id: string; ms: number }> = [];
  for (const r of rules) perRule.push({ id: r.id, ms: (await timed(() => scanText(text, [r])))[1] });
  perRule.sort((a, b) => b.ms - a.ms).splice(8);

  const sets: SetScore[] = [];
  for (const f of ['secrets_gitleaks.jsonl', 'secrets_detect_secrets.jsonl', 'secrets_credsweeper.jsonl']) {
    const s = scoreSet(f, 'secret');
    if (s) sets.push(s);
  }
  const pii = scoreSet('pii_presidio_tests.jsonl', 'pii', policy.verify.piiMinConfidence);
  const piiCovered = pii ? Object.entries(pii.recallByCategory).filter(([, v]) => v.hit > 0) : [];
  const covHit = piiCovered.reduce((a, [, v]) => a + v.hit, 0);
  const covTotal = piiCovered.reduce((a, [, v]) => a + v.total, 0);

  const md = `
## Output verification (verify)

Machine: ${machine()}. Corpora: \`${CORPORA}\` (read at run time). One core (single-threaded scan).

### Detection accuracy

Positive = any rule of the kind fires on a record labelled secret/pii. Negatives: a record clean for
all rules is a false positive when any rule fires; a rule-scoped negative (\`negative_scope: rule\`) only
when a rule responsible for its category fires (the rules that fired on that category's positives).
"strict" counts every finding on any negative as a false positive.

| set | positives | negatives | recall | precision | precision (strict) |
| --- | ---: | ---: | ---: | ---: | ---: |
${sets.map((s) => `| ${s.set} | ${s.positives} | ${s.negatives} | ${pct(s.recall)} | ${pct(s.precision)} | ${pct(s.precisionStrict)} |`).join('\n')}
${pii ? `| ${pii.set} (all ${Object.keys(pii.recallByCategory).length} categories) | ${pii.positives} | ${pii.negatives} | ${pct(pii.recall)} | ${pct(pii.precision)} | ${pct(pii.precisionStrict)} |
| ${pii.set} (the ${piiCovered.length} categories Airlock has a rule for) | ${covTotal} | | ${pct(covTotal ? covHit / covTotal : 0)} | | |` : ''}

${pii ? `PII recall by category (hit/total): ${Object.entries(pii.recallByCategory).sort((a, b) => b[1].total - a[1].total).map(([k, v]) => `${k} ${v.hit}/${v.total}`).join(', ')}.` : ''}

### Throughput (10 MiB generated mixed text, ${planted} planted items)

Load average during the run: ${load} on ${os.cpus().length} cores. CPU time (user+system of this
process) is the fairer figure on a busy machine; wall time is shown too. All engines ran in the same
process, on the same text. "Best" is the fastest of the ${ROUNDS} runs: this shared virtual machine's
speed drifts by up to half between minutes, so the best run is the closest to the engine's own cost.

| engine | median CPU time | MB/s (CPU) | best CPU time | MB/s (best) | median wall time | MB/s (wall) | findings |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| Airlock scanText, all ${rules.length} rules (secrets, PII, canary), native passes | ${airlockRuns.cpu.toFixed(0)} ms | ${mbps(bytes, airlockRuns.cpu)} | ${airlockRuns.best.toFixed(0)} ms | ${mbps(bytes, airlockRuns.best)} | ${airlockRuns.wall.toFixed(0)} ms | ${mbps(bytes, airlockRuns.wall)} | ${found.length} |
| Airlock scanText, JavaScript passes only (addon not built) | ${airlockJsRuns.cpu.toFixed(0)} ms | ${mbps(bytes, airlockJsRuns.cpu)} | ${airlockJsRuns.best.toFixed(0)} ms | ${mbps(bytes, airlockJsRuns.best)} | ${airlockJsRuns.wall.toFixed(0)} ms | ${mbps(bytes, airlockJsRuns.wall)} | ${found.length} |
| Airlock streaming scanner (64 KiB chunks) | ${streamRuns.cpu.toFixed(0)} ms | ${mbps(bytes, streamRuns.cpu)} | ${streamRuns.best.toFixed(0)} ms | ${mbps(bytes, streamRuns.best)} | ${streamRuns.wall.toFixed(0)} ms | ${mbps(bytes, streamRuns.wall)} | |
| secretlint core + preset-recommend (baseline) | ${secretlintRuns.cpu.toFixed(0)} ms | ${mbps(bytes, secretlintRuns.cpu)} | ${secretlintRuns.best.toFixed(0)} ms | ${mbps(bytes, secretlintRuns.best)} | ${secretlintRuns.wall.toFixed(0)} ms | ${mbps(bytes, secretlintRuns.wall)} | ${secretlintFindings} |

${ROUNDS} rounds; in each, every engine scanned the text once, in turn. Airlock's scanText was
${speedup.toFixed(2)}× as fast as secretlint's engine (median of the per-round ratios of CPU time).

Where scanText's time goes (CPU ms, medians of 5, same run): the keyword sweep with its line ranges
${sweepRuns.cpu.toFixed(0)} ms, the numeric candidate pass ${numericRuns.cpu.toFixed(0)} ms, the rules on their gated lines and
numeric items (with overlap resolution) the remaining ${Math.max(0, airlockRuns.cpu - sweepRuns.cpu - numericRuns.cpu).toFixed(0)} ms.

Most expensive rules (each alone over the whole text, CPU ms, includes the shared passes): ${perRule.map((r) => `${r.id} ${r.ms.toFixed(0)}`).join(', ')}.

### Reading these numbers

- Targets from issue 5: ≥90% recall at ≥90% precision on each secrets set, and ≥150 MB/s on one
  core with all rules on, ahead of secretlint. Accuracy: met on secrets_gitleaks and secrets_credsweeper;
  precision met on all three sets; recall **not met** on detect-secrets, whose placeholder positives the
  gitleaks set counts as clean (see below). Throughput: ahead of secretlint in every round; 150 MB/s
  in the best runs; the median moves with this shared machine's speed (compare secretlint's median
  here with the ~134 MB/s it reached when the issue was written).
- Sixth session (2026-11-27): the byte passes moved to C (\`native/airlock-scan.c\`, a Node-API addon
  built with the machine's gcc; the JavaScript passes stay as the fallback and the tests compare the
  two), rules gained gates (\`keywordCheck\` on the four generic rules whose keywords are ordinary
  words, \`minRun\` for Twilio and Discord), and the native passes write into buffers kept between
  calls (fresh memory cost a page fault per 4 KiB here: a new 2.5 MiB array took ~7 ms). Same-process
  measurements on the way, CPU ms: rules without/with their gates 132 → 74 (best of 15) and 113 → 68;
  the JavaScript-only scan 181 → 136 against the session's starting engine. Findings: identical on
  every corpus record; on the corpora joined into one text one generic-assignment finding moved from
  a span that crossed a line to the real \`AwsSecretKey\` value (the gated rules are line-local now).
  The conflict above, measured: with the placeholder filter off for format rules,
  detect-secrets reaches 93.9% recall at 92.6% precision, gitleaks falls to 84.9% precision and
  CredSweeper to 91.7%.
- Third session (2026-11-27): credsweeper 89.1% → 90.1% recall at 96.4% precision, the other sets
  unchanged, from formats with a documented structure: Azure identifiable keys (Microsoft's \`JQQJ9\`
  signature at offset 52 and a provider letter; a 52-character run of one letter is rejected), NATS nkey
  seeds (CRC-16 verified: a valid checksum gives confidence 1, a broken one 0.7, as for GitHub tokens),
  PEM keys printed by a log with a timestamp on every line (the finding now covers the whole key: a
  build-log key used to be masked on its first line only), and \`password for <user>: …\`.
- Previous accuracy run (2026-11-26 23:57 UTC), same scoring, recall/precision: gitleaks 88.3/88.3%,
  detect-secrets 78.9/82.9%, credsweeper 84.3/95.7%. This round (2026-11-27) added vendor formats
  (Sumo Logic access id and Sourcegraph token next to the vendor name, Square, Instagram, Google
  refresh, JFrog reference, Salesforce session, Grafana API key, Braintree, WunderGraph Cosmo, Dropbox
  long-lived, X app-only bearer, Bedrock short-term keys, GitLab session cookies), private JWKs,
  base64-encoded PEM private keys, libcurl credential options, getenv fallbacks, \`#define\` credentials,
  MySQL password hashes, string literals continuing past the line and snake_case credential names; and
  tightened formats to their documented shapes (GitLab body lengths per prefix, \`sgp_\`, OpenAI's
  \`T3BlbkFJ\` marker, PyPI macaroon length, a JWT header that must decode to JSON, Stripe \`pk_\` keys no
  longer reported because Stripe publishes them in client code) plus filters for generic values
  (well-formed templates, bracketed placeholders, punctuation-only masks, elided \`...\` values,
  name-version strings, backtick command substitutions, names of credential metadata like \`*_id\`).
  Throughput cost of this round: the full bench measured 250–269 ms CPU against 239 ms in the previous
  run, but the load average was 4.4–6.0 instead of 1.8; an A/B in one process (previous and new rule
  sets, all PII rules, 5 runs each, same text) gave medians of 319 and 315 ms, i.e. within the noise.
  The new formats that lack a literal prefix are separate rules with their own keywords, so they do not
  run \`secrets.prefixed-token\`'s long alternation on more lines.
- The sets disagree on placeholders: detect-secrets counts \`AP6xxxxxxxxxx\` or AWS's documented
  \`…EXAMPLE\` key as secrets, gitleaks counts \`xoxb-xxxx…\`/\`hvs.xxxx…\` as clean and
  \`12345678-ABCD-ABCD-ABCD-1234567890AB\` as a Snyk/Heroku/HubSpot key. Airlock drops values with
  runs of \`x\`, \`X\`, \`*\`, \`#\`, the word EXAMPLE in any case, \`123456\`/\`654321\`, and (format rules only)
  \`abcdef\` (a placeholder is not a credential): that costs detect-secrets recall (19 Artifactory, 2
  Twilio and 1 npm miss are all \`xxxx\` values, so its recall cannot pass ~85% without reporting
  placeholders) and gitleaks recall (14 misses are that one UUID-shaped dummy, 7 the Sonar dummy), and
  gains precision on all three sets. What credsweeper still counts that Airlock misses: identifiers or
  public values rather than credentials (7 bare UUIDs, 3 WeChat AppIDs, 2 Firebase domains, 2 nonces,
  2 Stripe publishable keys), placeholders (\`EXAMPLE\`, zero runs), records holding only an opening XML
  tag (4), and free-text forms (\`ANY_password,default:…\`).
- secretlint's preset has no PII, generic password or canary rules, so it does less work and finds
  fewer of the planted items; it is the baseline engine the issue names, not an equal-coverage peer.
- The previous engine round (2026-11-26 23:57 UTC, same machine), before it: scanText 239 ms CPU (44 MB/s), streaming
  297 ms (35 MB/s), secretlint 86 ms (123 MB/s). The keyword prefilter no longer lower-cases the text
  and runs no trie-shaped regex: one forward sweep keeps a rolling hash of the last three characters
  (folded to lower case, 6 bits each) and reads one gate table per position; only where a keyword
  can start are its few candidates compared. Findings are identical (\`bench/verify-equivalence.ts\`:
  every span, rule id and confidence on this text and on every corpus record). An interleaved A/B of
  the old and new engine in one process (9 runs each, 01:51 UTC, load ~7) gave medians of 247 ms
  (old) and 200 ms (new) CPU: about 19% less, so the absolute numbers above move with the load but
  the gain holds.
- This round (2026-11-27, the engine only; rules, findings and accuracy unchanged). Before, at commit
  f86edad in the same kind of run: scanText 240 ms CPU (44 MB/s), streaming 252 ms (42 MB/s), secretlint
  94 ms (112 MB/s), load average 2.0. Changes: (1) an ASCII text of 64 KiB or more is swept as bytes
  (written into a reused buffer): a rolling 21-bit index of the last three bytes reads one exact gate
  table (4 MiB, built once per rule set in ~2 ms) that names the bucket of keywords able to start there
  in either case, and each hit goes straight into per-rule flat line ranges (no hit list, no tuple per
  range); shorter and non-ASCII texts keep the character sweep, and a test checks both find the same
  ranges; (2) numeric candidates are counted in one pass and rejected before splitting when they cannot
  hold 7 digits or 3 dots (most are dates); (3) the streaming scanner counts a window's newlines with
  \`indexOf\` instead of splitting it into lines; (4) a rule may name \`requires\`, a cheap test every
  range holding a match passes (\`secrets.cli-password\`: a dash); (5) \`judgeAssignedValue\` tries its
  cheapest rejections first (all its early exits return 0, so the order does not change a result).
  Findings are identical (\`bench/verify-equivalence.ts\`: 3,038 inputs, 2,170 findings). Interleaved
  A/B in one process (f86edad tree against this one, 11 runs each, 03:23 UTC, load ~1.8): scanText
  median 213 → 180 ms CPU (min 203 → 173), streaming 263 → 250 ms; other A/B runs in this session gave
  0.68–0.89 of the old scanText time. The machine's noise is of the same order as the gain; the
  component timings below are steadier.
- Fourth session (2026-11-27, engine only). Before, the committed run of the previous round: scanText
  183 ms CPU (57 MB/s), streaming 250 ms (42 MB/s), secretlint 88 ms (120 MB/s), load 1.5. Changes:
  (1) a bare digit run (digits only, no \`+\` before it: timestamps, ids) is judged by each numeric
  rule's \`validate\` before its pattern runs (\`wholeDigits\`: on such a run any match is the whole run),
  so the 21,800 ten-digit epoch values of this text no longer run the phone, Swedish, NHS, Finnish and
  IPv4 patterns (~35 ms before); a differential test compares with every pattern running on random
  numeric texts; (2) the validators' common paths use no regex or new string (context words are
  module constants: a regex literal in a function is a new object per call); (3) a numeric rule reports
  only matches that take digits of the run it ran for, and the margin around a run reaches to a space:
  the 12-character margin used to cut tokens, and a cut digit run read as a phone number (one Presidio
  IBAN record now gives the whole IBAN instead of a phone on a cut part of it; no other record
  changed); (4) the byte sweep reads a plain Uint8Array view, compares keywords outside its loop, and
  checks a per-bucket table of the fourth byte first (150,000 of the 273,000 gate passes here were
  \`config\`/\`package\`/\`api/\`-like starts of no keyword). Same-process A/B against the previous engine
  (7-15 alternating runs, CPU medians): 177-185 ms before, 157-170 ms after (0.88-0.95).
- Where the time goes now (profile of 40 scans, best case ~66 ms): the native keyword pass ~19-22 ms
  (a filter of three table reads per position, ~13 ms of it, then the candidates), the numeric pass
  ~10 ms, the long-token pass ~1.3 ms, the UTF-8 write ~1.6 ms; in JavaScript the generic-assignment
  pattern on the ~10% of lines that pass its check ~5 ms, the line sweep and keyword checks ~7 ms,
  garbage collection ~5 ms, the numeric rules' validators ~6 ms, every other rule under 3 ms. Tried
  and dropped this session: an AVX2 version of the filter (10 against 13 ms: the table reads, not the
  arithmetic, bound it), a packed pair table (slower), starting the generic pattern at its keyword
  rather than the line's start (no change), windows under V8's 128 KiB large-object size for the
  streaming scanner (no faster with the same 32 KiB overlap; a smaller overlap was, but it would cut
  long PEM blocks).
- Earlier (fourth session), the phase timers gave: sweep with line ranges ~50 ms, numeric candidate
  regex and splitting ~30 ms, rules ~80 ms: \`secrets.generic-assignment\` ~20 ms on ~25,000 merged
  line ranges covering 58% of the text, the Discord and Twilio patterns that have no keyword ~8 ms.
- Tried and dropped, measured: one case-insensitive alternation of all 232 keywords (~125 ms alone,
  irregexp cannot skip with so many first characters); a regex per rule's keywords (55 passes,
  ~400 ms); \`requires\` tests for generic-assignment (an operator or quote: merged line ranges
  nearly always hold \`=\` or \`:\`, so the test only added cost) and sql-password
  (\`identified\`/\`with\`: its literal-led pattern is already as cheap as the test); factoring the credential-name alternation (no change in irregexp); a
  byte-pair table with a third-byte check (1.7 million pair passes to branch on, against 270,000 passes of the exact three-byte gate; tried
  again in the fourth session as a pre-gate before the three-byte one: no gain, the gate loop is ~15 ms and not bound by cache misses);
  digit-run candidates found by a JavaScript loop instead of the regex (39 against 26 ms); a \`(?=[acpkst])\` lookahead before the
  generic-assignment pattern (53 against 32 ms); \`requires\` for generic-assignment again (within the noise);
  Vectorscan (Hyperscan's fork, through a C addon) as the line gate, fifth session: keywords as literals cut
  scanText from 170–178 to ~129 ms, prefiltering the rules' own patterns costs more than it saves (all 55
  line-gated rules: 172–204 ms), and the numeric PII phase alone takes ~55 ms of the 70 ms budget, so the
  route cannot reach 150 MB/s (docs/verify-vectorscan.md, bench/verify-vectorscan.ts).
  Streaming remains slower than scanText: the 32 KiB overlap is rescanned per 288 KiB window (+12% of
  the text) and each window flattens the concatenated chunks (~10 ms per 10 MiB). Cutting the rescan
  exactly needs care at the seam (a match starting after the cut can outrank an overlapping one that
  starts before it), left for a later round.
`;
  writeSection('verify', md);
}

await main();
