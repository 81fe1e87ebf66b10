/**
 * `npm run bench [-- AREA…]`: runs bench/<area>.bench.ts for each area (all by default), one after
 * another so they do not compete for the two cores, then assembles docs/benchmarks.md from the
 * sections in docs/bench/. `npm run bench -- --assemble` only assembles.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const all = readdirSync('bench').filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace('.bench.ts', '')).sort();
const args = process.argv.slice(2);
const assembleOnly = args.includes('--assemble');
const wanted = assembleOnly ? [] : args.length ? args : all;
let failed = 0;
for (const area of wanted) {
  if (!all.includes(area)) {
    console.error(`no benchmark "${area}" (have: ${all.join(', ')})`);
    failed++;
    continue;
  }
  console.error(`bench: ${area}…`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('bench', `${area}.bench.ts`)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
const sections = readdirSync('docs/bench').filter((f) => f.endsWith('.md')).sort()
  .map((f) => readFileSync(path.join('docs/bench', f), 'utf8').trim());
writeFileSync('docs/benchmarks.md', `# Benchmarks

Every number here was measured by \`npm run bench\` (or \`npm run bench -- AREA\`) on the machine named in its
section, with the baseline measured in the same run. These machines are shared and noisy: compare ratios
within a section, not absolute numbers across sections. Sections are regenerated from docs/bench/*.md.

${sections.join('\n\n')}
`);
process.exit(failed ? 1 : 0);
