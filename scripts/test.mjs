#!/usr/bin/env node
// Runs the test suites with node's own test runner (TypeScript through tsx), streams the TAP
// report, and ends with the plain line "N passed, N failed, N skipped" that CI reads.
// Usage: node scripts/test.mjs [DIR|FILE…]   (default: src test)
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const roots = process.argv.slice(2).length ? process.argv.slice(2) : ['src', 'test'];
const files = [];
const walk = (p) => {
  let st;
  try { st = statSync(p); } catch { return; }
  if (st.isDirectory()) {
    if (path.basename(p) === 'node_modules' || path.basename(p) === 'fixtures') return;
    for (const name of readdirSync(p).sort()) walk(path.join(p, name));
  } else if (/\.test\.(ts|mts|js|mjs)$/.test(p)) files.push(p);
};
roots.forEach(walk);
if (files.length === 0) {
  console.error(`no test files under ${roots.join(', ')}`);
  process.exit(1);
}

const child = spawn(process.execPath, [
  '--import', 'tsx', '--test', '--test-reporter=tap', '--test-concurrency=2', '--test-timeout=180000', ...files,
], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, AIRLOCK_TEST: '1' } });

let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tail)?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const skipped = count('skipped') + count('todo');
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);
});
