#!/usr/bin/env node
// Compiles Airlock's zero-copy helper (native/airlock-splice.c) into dist/native/airlock-splice
// with gcc, when gcc is there and the binary is missing or older than its source. Without gcc it
// says so and exits 0: Airlock then uses socat and the Node relay (docs/network.md).
// Usage: node scripts/build-native.mjs [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'native', 'airlock-splice.c');
const target = path.join(root, 'dist', 'native', 'airlock-splice');
const quiet = process.argv.includes('--quiet');
const say = (line) => { if (!quiet) process.stderr.write(`build-native: ${line}\n`); };

if (process.platform !== 'linux') {
  say('not Linux: skipping airlock-splice');
  process.exit(0);
}
if (existsSync(target) && statSync(target).mtimeMs >= statSync(source).mtimeMs) process.exit(0);
const cc = process.env.CC || 'gcc';
if (spawnSync(cc, ['--version'], { stdio: 'ignore' }).status !== 0) {
  say(`${cc} not found: airlock-splice not built; the sandbox's network falls back to socat and the Node relay`);
  process.exit(0);
}
mkdirSync(path.dirname(target), { recursive: true });
const tmp = `${target}.${process.pid}.tmp`;
const r = spawnSync(cc, ['-O2', '-Wall', '-Wextra', '-o', tmp, source], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(tmp, { force: true });
  say(`${cc} failed: airlock-splice not built; falling back to socat and the Node relay`);
  process.exit(0);
}
renameSync(tmp, target);
say(`built ${path.relative(root, target)}`);
