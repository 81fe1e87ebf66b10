/**
 * @module surfaces/cli/commands/policy
 * `airlock policy init [FILE]` writes the commented starter; `airlock policy check FILE` lists
 * every problem with its path (exit 1) or says the policy is valid (exit 0); `airlock policy show`
 * prints the resolved policy in force as JSON.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { STARTER_POLICY } from '../../../policy/starter.js';
import { ConfigError, formatIssues, isAirlockError } from '../../../core/errors.js';
import { loadPolicy } from '../../../load-policy.js';
import { checkCommandRuleExamples } from '../../../policy/commands.js';
import { parseOptions, UsageError, writeJson } from '../shared.js';

const HELP = `Usage:
  airlock policy init [FILE] [--force]   write a commented starter (default ./airlock.policy.yaml)
  airlock policy check [FILE] [--json]   validate FILE (default: the policy found upward); exit 0 valid, 1 invalid
  airlock policy show [--policy F]       print the resolved policy in force as JSON

Every field is documented in docs/policy.md.
`;

/** Entry point of `airlock policy`. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('policy', argv, {
    force: { type: 'boolean' },
    json: { type: 'boolean' },
    policy: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const [sub, file] = positionals;
  if (values.help || sub === undefined) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (sub === 'init') {
    const target = path.resolve(file ?? 'airlock.policy.yaml');
    if (existsSync(target) && !values.force) {
      process.stderr.write(`airlock policy init: ${target} already exists; pass --force to overwrite it.\n`);
      return 1;
    }
    writeFileSync(target, STARTER_POLICY);
    process.stderr.write(`wrote ${target}\nNext: edit it, then \`airlock policy check ${path.relative(process.cwd(), target) || target}\`.\n`);
    return 0;
  }
  if (sub === 'check') {
    try {
      const loaded = loadPolicy({ file });
      const problems = await checkCommandRuleExamples(loaded.policy);
      if (problems.length) throw new ConfigError(`${loaded.source ?? 'the built-in default policy'}: ${problems.length} command rule example(s) do not hold:`, { issues: problems });
      if (values.json) writeJson({ valid: true, source: loaded.source, hash: loaded.hash, issues: [] });
      else process.stdout.write(`${loaded.source ?? 'built-in default policy'}: valid\n`);
      return 0;
    } catch (error) {
      if (!isAirlockError(error)) throw error;
      if (values.json) writeJson({ valid: false, issues: error.issues });
      else process.stdout.write(`${error.message}\n${formatIssues(error.issues)}\n`);
      return 1;
    }
  }
  if (sub === 'show') {
    const loaded = loadPolicy({ file: values.policy ?? file });
    writeJson({ source: loaded.source, hash: loaded.hash, policy: loaded.policy });
    return 0;
  }
  throw new UsageError('policy', `unknown subcommand "${sub}" (expected init, check or show)`);
}
