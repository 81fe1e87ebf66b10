#!/usr/bin/env node
// Bundles the CLI into dist/cli/ with esbuild: one entry plus lazily loaded chunks per command.
// Node 20 spends most of a short CLI run resolving and loading hundreds of ESM files; a bundle
// loads a handful, which keeps `airlock check`/`run` start-up close to bare Node's (docs/benchmarks.md).
// Packages with native code, wasm next to their JS, or optional peers stay external.
//
// A second bundle, dist/cli/main.cjs, holds the same CLI as one CommonJS file for the short-lived
// commands: bin/airlock compiles it through vm.Script with a V8 code cache stored next to it
// (written on first use), which Node 20 cannot do for ES modules. Long-lived commands (serve, mcp,
// demo, audit) keep the ES module bundle: `serve` looks its MCP handler up by a computed import().
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const external = [
  // yaml and re2js are required lazily (only for YAML policies and verify.patterns).
  'yaml', 're2js',
  'better-sqlite3', 'web-tree-sitter', 'tree-sitter-bash', 'tree-sitter-python', 'tree-sitter-javascript',
  'playwright-core', 'ai', '@openai/agents', '@langchain/core', 'secretlint', '@secretlint/*',
];

// Start clean: chunk names carry content hashes, so old builds would otherwise pile up.
rmSync('dist/cli', { recursive: true, force: true });

await build({
  entryPoints: { main: 'src/surfaces/cli/main.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  packages: 'bundle',
  external,
  banner: { js: "import { createRequire as __airlockRequire } from 'node:module'; const require = __airlockRequire(import.meta.url);" },
});

await build({
  entryPoints: ['src/surfaces/cli/main.ts'],
  outfile: 'dist/cli/main.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  packages: 'bundle',
  external,
  // Less to read and hash on every start; names are kept for stack traces and error classes.
  minifyWhitespace: true,
  keepNames: true,
  // bin/airlock runs this file as a CommonJS module body (exports, require, module, __filename, __dirname).
  define: { 'import.meta.url': '__airlock_import_meta_url' },
  banner: { js: "const __airlock_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});

// bin/airlock runs main.cjs in a vm.Script, where a dynamic import() throws. Only `serve` (which
// bin/airlock never runs from main.cjs) may keep one; anything else must be a static import or require.
const SERVE_ONLY_IMPORTS = ['import("node:fs")', 'import(new URL(candidate,__airlock_import_meta_url)'];
const dynamicImports = readFileSync('dist/cli/main.cjs', 'utf8').match(/(?<![\w.$])import\([^)]*\)?/g) ?? [];
const unexpected = dynamicImports.filter((i) => !SERVE_ONLY_IMPORTS.some((ok) => i.startsWith(ok)));
if (unexpected.length) {
  console.error(`bundle-cli: dist/cli/main.cjs has dynamic import() that a short command could reach: ${unexpected.join(', ')}`);
  process.exit(1);
}
