/**
 * @module surfaces/cli/commands/scan
 * `airlock scan [--policy F] [--json|--sarif] [FILE…|-]`: output verification on its own. Scans
 * files (or stdin) for secrets, PII and policy patterns; exit 0 clean, 1 findings, 2 error.
 * Findings carry masked matches only, and `location.source` = the file name (`-` for stdin).
 */
import { readFileSync, statSync } from 'node:fs';
import type { Finding } from '../../../core/contracts.js';
import { loadPolicy } from '../../../load-policy.js';
import { buildRules, describeBuiltinRules, scanSource, toSarif } from '../../../verify/index.js';
import { parseOptions, readStdin, UsageError, writeJson } from '../shared.js';

const HELP = `Usage: airlock scan [--policy F] [--json|--sarif] [--redact] [FILE…|-]

Scans text for secrets (cloud keys, tokens, private keys, passwords…), personal data
(emails, cards with Luhn, IBAN, SSN, national ids…) and the policy's own patterns
(verify.patterns, RE2). Reads stdin when no FILE is given or FILE is "-".

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
  const inputs = positionals.length ? positionals : ['-'];
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
    process.stderr.write(findings.length ? `${findings.length} finding(s).\n` : 'No secrets or personal data found.\n');
  }
  return findings.length ? 1 : 0;
}
