#!/usr/bin/env node
// Compiles Airlock's native helpers with gcc, each when it is missing or older than its source:
// - native/airlock-splice.c → dist/native/airlock-splice, the zero-copy relay (without it Airlock
//   uses socat and the Node relay, docs/network.md);
// - native/airlock-scan.c → dist/native/airlock-scan.node, the output scanner's byte passes (without
//   it the scanner runs the same passes in JavaScript, docs/verify.md).
// Without gcc, or when a build fails, it says so and exits 0.
// Usage: node scripts/build-native.mjs [--quiet]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const say = (line) => { if (!quiet) process.stderr.write(`build-native: ${line}\n`); };

if (process.platform !== 'linux') {
  say('not Linux: skipping the native helpers');
  process.exit(0);
}
const cc = process.env.CC || 'gcc';
const haveCc = spawnSync(cc, ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Compiles one helper unless its output is newer than its source. A failure is reported and
 * skipped: each helper has a fallback (see `fallback`).
 */
function compile({ name, source, target, args, fallback }) {
  const src = path.join(root, source);
  const out = path.join(root, target);
  if (existsSync(out) && statSync(out).mtimeMs >= statSync(src).mtimeMs) return;
  if (!haveCc) {
    say(`${cc} not found: ${name} not built; ${fallback}`);
    return;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const r = spawnSync(cc, [...args, '-o', tmp, src], { stdio: 'inherit' });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    say(`${cc} failed: ${name} not built; ${fallback}`);
    return;
  }
  renameSync(tmp, out);
  say(`built ${target}`);
}

compile({
  name: 'airlock-splice', source: 'native/airlock-splice.c', target: 'dist/native/airlock-splice',
  args: ['-O2', '-Wall', '-Wextra'], fallback: "the sandbox's network falls back to socat and the Node relay",
});

// The output scanner's byte passes, as a Node-API addon: built against the headers of the Node
// that runs this script (npm's nodedir setting, else the include directory next to the binary).
const nodeInclude = [process.env.npm_config_nodedir && path.join(process.env.npm_config_nodedir, 'include', 'node'),
  path.resolve(path.dirname(process.execPath), '..', 'include', 'node')].find((d) => d && existsSync(path.join(d, 'node_api.h')));
if (!nodeInclude) say("Node's headers (node_api.h) not found: airlock-scan not built; the scanner uses its JavaScript passes");
else {
  compile({
    name: 'airlock-scan', source: 'native/airlock-scan.c', target: 'dist/native/airlock-scan.node',
    args: ['-O2', '-Wall', '-Wextra', '-shared', '-fPIC', '-fvisibility=hidden', `-I${nodeInclude}`, '-DNAPI_VERSION=8'],
    fallback: 'the scanner uses its JavaScript passes',
  });
}
