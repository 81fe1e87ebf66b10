/**
 * One process, one job: the built library (dist/) inspects the inspection bench's 1,000-line script,
 * and tree-sitter parses it whole, in a process that has done nothing else (no corpus runs in its
 * heap, no second copy of the engine alternating with it). Prints one JSON line:
 * { script, early, parse } in ms: the median of runs 26-45 after 25 warm-up runs, the median of
 * runs 6-25 (as the in-process row reports), and tree-sitter's whole parse (median of 10).
 * Run by bench/inspect.bench.ts; alone: node bench/inspect-script.mjs (after npm run build).
 */
import { readFileSync } from 'node:fs';
import process from 'node:process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpora = path.resolve(repo, '../shared/corpora');
const { inspectCode } = await import(pathToFileURL(path.join(repo, 'dist/inspect/index.js')).href);
const { getParsers } = await import(pathToFileURL(path.join(repo, 'dist/inspect/parsers.js')).href);

// The same script as bench/inspect.bench.ts: the first 1,000 nl2bash records, one per line.
const lines = readFileSync(path.join(corpora, 'nl2bash.jsonl'), 'utf8').split('\n').filter(Boolean)
  .map((l) => JSON.parse(l).content).slice(0, 1000);
const script = lines.join('\n');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const runs = [];
for (let i = 0; i < 45; i++) {
  const t = performance.now();
  await inspectCode('shell', script);
  runs.push(performance.now() - t);
}
const { shell } = await getParsers();
const parses = [];
for (let i = 0; i < 10; i++) {
  const t = performance.now();
  shell.parse(script)?.delete();
  parses.push(performance.now() - t);
}
process.stdout.write(`${JSON.stringify({ script: median(runs.slice(25)), early: median(runs.slice(5, 25)), parse: median(parses) })}\n`);
