/**
 * @module surfaces/cli/commands/scan
 * `airlock scan [--policy F] [--json|--sarif] [FILE…|-]`: output verification on its own. Scans
 * files (or stdin) for secrets, PII and policy patterns; exit 0 clean, 1 findings, 2 error.
 * Findings carry masked matches only, and `location.source` = the file name (`-` for stdin).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../../../core/contracts.js';
import { loadPolicy } from '../../../load-policy.js';
import { readTextStart } from '../../../sandbox/files/index.js';
import { buildRules, describeBuiltinRules, scanSource, toSarif } from '../../../verify/index.js';
import { registerNativeScan } from '../../../native-scan.js';
import { parseOptions, readStdin, UsageError, writeJson } from '../shared.js';

// The scanner's native byte passes, loaded at the first large output (src/native-scan.ts).
registerNativeScan();

const HELP = `Usage: airlock scan [--policy F] [--json|--sarif] [--redact] [FILE…|DIR…|-]

Scans text for secrets (cloud keys, tokens, private keys, passwords…), personal data
(emails, cards with Luhn, IBAN, SSN, national ids…) and the policy's own patterns
(verify.patterns, RE2). Reads stdin when no FILE is given or FILE is "-". A DIR is walked:
every text file below it, without following symbolic links and skipping .git, .hg, .svn and
node_modules; binary files and files over 64 MiB are skipped (counted on stderr).

Options:
  --policy F   policy file (default: airlock.policy.yaml found upward, else the built-in default);
               verify.piiMinConfidence and verify.patterns apply
  --json       print {"findings": [...]} (matches masked)
  --sarif      print a SARIF 2.1.0 log (for code scanning UIs)
  --redact     print the input with matches replaced by [REDACTED:<rule id>] (one file or stdin)
  --rules      list the built-in rule ids and exit
  -h, --help   this help

Exit codes: 0 nothing found, 1 findings, 2 error.

Examples:
  airlock scan build.log
  airlock scan .                                   # the whole tree, minus .git and node_modules
  my-tool 2>&1 | airlock scan --json -
  airlock scan --sarif src/config/*.env > airlock.sarif
  airlock scan --redact - < output.txt > output.clean.txt
`;

const MAX_INPUT = 64 * 1024 * 1024;

function readInput(name: string): string {
  let size: number;
  try {
    size = statSync(name).size;
  } catch (error) {
    throw new UsageError('scan', `cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (size > MAX_INPUT) throw new UsageError('scan', `${name} is larger than ${MAX_INPUT} bytes; split it or pipe it through \`airlock scan -\` in parts.`);
  return readFileSync(name, 'utf8');
}

/** Directories a tree walk does not enter: version control data and installed dependencies. */
const SKIP_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules']);

/** The text files below `dir` in a stable order, and how many files were skipped (binary, too large). */
function walk(dir: string): { files: string[]; skipped: number } {
  const files: string[] = [];
  let skipped = 0;
  const visit = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) visit(full);
      } else if (entry.isFile()) {
        if (statSync(full).size > MAX_INPUT || !readTextStart(full, 8192)) skipped++;
        else files.push(full);
      }
    }
  };
  visit(dir);
  return { files, skipped };
}

/** Entry point of `airlock scan`. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('scan', argv, {
    policy: { type: 'string' },
    json: { type: 'boolean' },
    sarif: { type: 'boolean' },
    redact: { type: 'boolean' },
    rules: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.rules) {
    for (const r of describeBuiltinRules()) process.stdout.write(`${r.id.padEnd(40)} ${r.severity.padEnd(9)} ${r.message}\n`);
    return 0;
  }
  if (values.json && values.sarif) throw new UsageError('scan', '--json and --sarif are exclusive; pick one output format.');
  const given = positionals.length ? positionals : ['-'];
  const inputs: string[] = [];
  let skipped = 0;
  for (const name of given) {
    let isDir = false;
    try { isDir = name !== '-' && statSync(name).isDirectory(); } catch { /* reported by readInput */ }
    if (!isDir) {
      inputs.push(name);
      continue;
    }
    if (values.redact) throw new UsageError('scan', `--redact prints one text; ${name} is a directory: give one FILE or "-".`);
    const tree = walk(name);
    inputs.push(...tree.files);
    skipped += tree.skipped;
  }
  if (values.redact && inputs.length > 1) throw new UsageError('scan', '--redact prints one text; give one FILE or "-".');
  const { policy } = loadPolicy({ file: values.policy });
  // The CLI always reports and redacts on request; the policy's redact/block actions apply in runs.
  const verify = { ...policy.verify, secrets: 'redact', pii: 'redact', canary: 'redact' } as const;
  const rules = buildRules(verify);
  const findings: Finding[] = [];
  let redactedText = '';
  for (const name of inputs) {
    const text = name === '-' ? await readStdin() : readInput(name);
    const scanned = scanSource(text, name, rules, verify);
    findings.push(...scanned.findings);
    redactedText = scanned.text;
  }
  if (values.redact) process.stdout.write(redactedText);
  else if (values.sarif) writeJson(toSarif(findings, '0.1.0'));
  else if (values.json) writeJson({ findings });
  else {
    for (const f of findings) {
      const loc = f.location ? `${f.location.source}:${f.location.line}:${f.location.column}` : '';
      const conf = f.confidence !== undefined ? ` (confidence ${f.confidence})` : '';
      process.stdout.write(`${loc}: ${f.severity} ${f.rule}: ${f.match ?? ''}${conf}\n`);
    }
    const walked = inputs.length !== given.length || skipped ? ` in ${inputs.length} file(s)${skipped ? ` (${skipped} binary or over 64 MiB skipped)` : ''}` : '';
    process.stderr.write(findings.length ? `${findings.length} finding(s)${walked}.\n` : `No secrets or personal data found${walked}.\n`);
  }
  return findings.length ? 1 : 0;
}
