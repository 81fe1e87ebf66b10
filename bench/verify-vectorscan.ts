/**
 * @module bench/verify-vectorscan
 * Experiment (issue 5, 150 MB/s): measures Vectorscan/Hyperscan as the line gate of the output
 * scanner, in one process beside the JavaScript path and secretlint, on the 10 MiB mixed text of
 * bench/verify.bench.ts. Airlock does not use Vectorscan: this script keeps the measurements that
 * showed the route cannot reach the target (docs/verify-vectorscan.md).
 *
 * What it needs: gcc, Node's headers and libvectorscan-dev (or libhyperscan-dev; `apt-get install -y
 * libvectorscan-dev`); it compiles bench/experiments/airlock-vectorscan.c into
 * $TMPDIR/airlock-vectorscan.node. Without them it says so and exits 0. The scanText rows with the gate need the engine prototype applied first
 * (`git apply bench/experiments/vectorscan-gate.patch`); without it only the standalone Vectorscan
 * passes and the JavaScript path are measured.
 * Run: node --import tsx bench/verify-vectorscan.ts
 */
import { lintSource } from '@secretlint/core';
import { creator as recommend } from '@secretlint/secretlint-rule-preset-recommend';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, percentile } from './lib.js';
import { mixedText } from './verify-mixed.js';
import { buildRules, createCanaries, scanText } from '../src/verify/index.js';
import * as engine from '../src/verify/engine.js';
import { defaultPolicy } from '../src/policy/schema.js';
import type { DetectorRule } from '../src/verify/types.js';

interface Addon { compile(patterns: string[], flags: number[]): unknown; scan(handle: unknown, bytes: Uint8Array, length: number): Int32Array }
/** What the engine prototype (bench/experiments/vectorscan-gate.patch) exports; absent on main. */
interface Experiment { addon: string; enabled: boolean; prefilter: string[]; unbounded: boolean; compileMs: number; scanMs: number; rangesMs: number }

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addonSource = path.join(root, 'bench', 'experiments', 'airlock-vectorscan.c');
const addonPath = path.join(os.tmpdir(), 'airlock-vectorscan.node');
const HS_CASELESS = 1;
const HS_DOTALL = 2;
const HS_MULTILINE = 4;
const HS_ALLOWEMPTY = 16;
const HS_PREFILTER = 128;

function buildAddon(): Addon | null {
  if (!existsSync(addonPath) || statSync(addonPath).mtimeMs < statSync(addonSource).mtimeMs) {
    const include = path.join(path.dirname(path.dirname(process.execPath)), 'include', 'node');
    const r = spawnSync(process.env.CC || 'gcc', ['-O2', '-Wall', '-Wextra', '-shared', '-fPIC', `-I${include}`, '-o', addonPath, addonSource, '-lhs'],
      { stdio: 'inherit' });
    if (r.status !== 0) {
      console.error('verify-vectorscan: could not build the addon (needs gcc, Node headers and libvectorscan-dev): nothing measured');
      return null;
    }
  }
  return createRequire(import.meta.url)(addonPath) as Addon;
}

/** Median [CPU ms, wall ms] of `n` runs after one warm-up (CPU: user+system of this process). */
async function runs(fn: () => unknown, n = 5): Promise<{ cpu: number; wall: number }> {
  await fn();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await fn();
    const d = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((d.user + d.system) / 1000);
  }
  return { cpu: percentile(cpu, 50), wall: percentile(wall, 50) };
}

/** The prototype's test for JS regex syntax that Vectorscan reads the same way (or as a superset). */
const safeSource = (src: string): boolean => !/\\(?:[ACE-RT-VX-Zaceg-mo-quyz]|x(?![0-9A-Fa-f]{2}))|\[:|\(\?(?![:=!]|<[=!]|<[A-Za-z_])/.test(src);
const lineGated = (r: DetectorRule): boolean => !r.numeric && !r.multiline && !r.find && /^[gimsyd]*$/.test(r.pattern.flags) && safeSource(r.pattern.source);
const prefilterFlags = (r: DetectorRule): number => HS_PREFILTER | HS_MULTILINE | HS_ALLOWEMPTY
  | (r.pattern.flags.includes('i') ? HS_CASELESS : 0) | (r.pattern.flags.includes('s') ? HS_DOTALL : 0);
const literal = (w: string): string => [...w].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');

async function main(): Promise<void> {
  const hs = buildAddon();
  if (!hs) return;
  const experiment = (engine as unknown as { hsExperiment?: Experiment }).hsExperiment;
  const policy = defaultPolicy();
  const min = policy.verify.piiMinConfidence;
  const rules = buildRules(policy.verify, createCanaries().tokens);
  const { text } = mixedText(10 * 1024 * 1024);
  const bytes = Buffer.from(text, 'latin1');
  const mb = bytes.length / 1e6;
  const mbps = (ms: number): string => (mb / (ms / 1000)).toFixed(0);
  const rows: string[] = [];
  const row = (what: string, r: { cpu: number; wall: number }, note = ''): void => {
    rows.push(`| ${what} | ${r.cpu.toFixed(1)} ms | ${mbps(r.cpu)} | ${r.wall.toFixed(1)} ms | ${note} |`);
    console.error(`${what}: ${r.cpu.toFixed(1)} ms CPU ${note}`);
  };

  if (experiment) {
    experiment.addon = addonPath;
    experiment.enabled = false;
  }
  const key = (ms: ReturnType<typeof scanText>): string => ms.map((m) => `${m.rule.id}@${m.start}-${m.end}:${m.confidence.toFixed(4)}`).join('\n');
  const jsFindings = key(scanText(text, rules, { piiMinConfidence: min }));
  row('scanText, JavaScript path (keyword sweep)', await runs(() => scanText(text, rules, { piiMinConfidence: min })));
  const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommend }] };
  const source = { content: text, filePath: '/bench/mixed.log', contentType: 'text' as const };
  row('secretlint core + preset-recommend (baseline)', await runs(() => lintSource({ source, options: { config, maskSecrets: true } }), 3));
  row('phase: keyword sweep with its line ranges (JS)', await runs(() => engine.keywordRanges(text, rules)));
  row('phase: numeric candidate pass (JS)', await runs(() => engine.numericRanges(text)));
  const numericRules = rules.filter((r) => r.numeric);
  row(`phase: all numeric PII (candidates + ${numericRules.length} rules on their items)`, await runs(() => scanText(text, numericRules, { piiMinConfidence: min })),
    'untouched by a line gate');

  // The Vectorscan passes alone (one database each, compiled once, scanned 5 times).
  const keywords = [...new Set(rules.filter((r) => !r.numeric).flatMap((r) => r.keywords))];
  const gated = rules.filter(lineGated);
  const standalone = async (what: string, patterns: string[], flags: number[]): Promise<void> => {
    const t = performance.now();
    const db = hs.compile(patterns, flags);
    const compileMs = performance.now() - t;
    let hits = 0;
    const r = await runs(() => { hits = (hs.scan(db, bytes, bytes.length).length - 1) / 2; });
    row(what, r, `compile ${compileMs.toFixed(0)} ms, ${hits} (pattern, line) hits`);
  };
  await standalone(`Vectorscan: the ${keywords.length} keywords as literals`, keywords.map(literal), keywords.map(() => HS_CASELESS));
  await standalone(`Vectorscan: ${gated.length} line-gated rules in prefilter mode`, gated.map((r) => r.pattern.source), gated.map(prefilterFlags));
  // Without upper bounds (`{4,256}` → `{4,}`, still a superset): Vectorscan's bounded repeats cost most.
  const unbounded = (src: string): string => src.replace(/\{(\d+),\d*\}/g, '{$1,}');
  await standalone(`Vectorscan: the same ${gated.length} in prefilter mode, repeats without upper bounds`, gated.map((r) => unbounded(r.pattern.source)), gated.map(prefilterFlags));
  await standalone('Vectorscan: keywords and prefilters in one database', [...keywords.map(literal), ...gated.map((r) => r.pattern.source)],
    [...keywords.map(() => HS_CASELESS), ...gated.map(prefilterFlags)]);
  const perRule: Array<[string, number]> = [];
  for (const r of gated) {
    const db = hs.compile([r.pattern.source], [prefilterFlags(r)]);
    perRule.push([r.id, (await runs(() => hs.scan(db, bytes, bytes.length), 3)).cpu]);
  }
  perRule.sort((a, b) => b[1] - a[1]);

  // scanText with the prototype's gate: keywords from Vectorscan, and prefilters for some rules.
  const costly = ['secrets.generic-assignment', 'secrets.authorization-header', 'secrets.sql-password', 'secrets.discord-bot-token', 'secrets.twilio-key',
    'secrets.prefixed-token'];
  const variants: Array<[string, string[], boolean]> = [
    ['keywords only', [], false],
    ['keywords + prefilter for 6 rules that cost the JS path most', costly, false],
    ['the same, repeats without upper bounds', costly, true],
    [`keywords + prefilter for every line-gated rule (${gated.length})`, ['all'], false],
    ['the same, repeats without upper bounds', ['all'], true],
  ];
  const identical: string[] = [];
  if (experiment) {
    for (const [what, prefilter, unbounded] of variants) {
      experiment.enabled = true;
      experiment.prefilter = prefilter;
      experiment.unbounded = unbounded;
      const found = key(scanText(text, rules, { piiMinConfidence: min }));
      const compileMs = experiment.compileMs;
      experiment.scanMs = 0;
      experiment.rangesMs = 0;
      const r = await runs(() => scanText(text, rules, { piiMinConfidence: min }));
      identical.push(`${what}: ${found === jsFindings ? 'identical' : 'DIFFERENT'}`);
      row(`scanText with the Vectorscan gate: ${what}`, r, `compile ${compileMs.toFixed(0)} ms; Vectorscan scan ${(experiment.scanMs / 6).toFixed(1)} ms, line ranges from its hits ${(experiment.rangesMs / 6).toFixed(1)} ms (CPU, mean of 6); findings ${found === jsFindings ? 'identical' : 'DIFFERENT'}`);
    }
    experiment.enabled = false;
  }

  console.log(`
Machine: ${machine()}; load average ${os.loadavg()[0]!.toFixed(1)} at the end. One process, one core, medians of 5 runs
(secretlint 3); 10 MiB (${mb.toFixed(2)} MB) mixed text, all ${rules.length} rules. Issue 5's target, 150 MB/s, is ${(mb / 150 * 1000).toFixed(0)} ms.

| pass | median CPU | MB/s (CPU) | median wall | note |
| --- | ---: | ---: | ---: | --- |
${rows.join('\n')}

Single-rule prefilter databases, CPU ms per scan of the text (top 12): ${perRule.slice(0, 12).map(([id, t]) => `${id} ${t.toFixed(1)}`).join(', ')}.
${experiment ? `Findings against the JavaScript path: ${identical.join('; ')}.` : 'Engine prototype not applied: no gated scanText rows.'}
`);
}

await main();
