/**
 * @module surfaces/cli/commands/exec
 * `airlock exec --lang shell|python|javascript [--policy F] [--json] [FILE|-]`: the whole
 * pipeline for a code snippet read from FILE or stdin.
 */
import { readFileSync } from 'node:fs';
import type { Language } from '../../../core/contracts.js';
import { scriptLanguage } from '../../../script-files.js';
import { parseOptions, readStdin, UsageError } from '../shared.js';
import { RUN_OPTIONS, runForCli } from '../run-action.js';

const HELP = `Usage: airlock exec [--lang shell|python|javascript] [--policy F] [--workspace D] [--json] [FILE|-]

Runs a code snippet through Airlock, like \`airlock run\`. The code comes from FILE, or from stdin
when FILE is \`-\` or absent. Shell code runs with bash, Python with python3, JavaScript with node.
Without --lang, a FILE's language comes from its #! line or its extension (.py, .js/.mjs/.cjs,
.sh/.bash); code on stdin needs --lang.

Exit codes: the program's own; 126 denied; 125 Airlock failed.

Examples:
  echo 'print(sum(range(10)))' | airlock exec --lang python
  airlock exec --lang javascript script.mjs --json
  airlock exec tools/report.py
`;

const LANGS: Language[] = ['shell', 'python', 'javascript'];

/** Entry point of `airlock exec`. */
export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseOptions('exec', argv, { ...RUN_OPTIONS, lang: { type: 'string', short: 'l' } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let lang = values.lang as Language | undefined;
  if (lang !== undefined && !LANGS.includes(lang)) throw new UsageError('exec', `--lang must be one of ${LANGS.join(', ')}, got "${lang}"`);
  if (positionals.length > 1) throw new UsageError('exec', `expected at most one FILE, got ${positionals.length}`);
  const file = positionals[0];
  const fromStdin = file === undefined || file === '-';
  if (fromStdin && !lang) throw new UsageError('exec', `code on stdin needs --lang (${LANGS.join(', ')})`);
  if (fromStdin && process.stdin.isTTY) throw new UsageError('exec', 'no FILE given and stdin is a terminal: pass a file, or pipe the code in');
  let code: string;
  try {
    code = fromStdin ? await readStdin() : readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError('exec', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  lang ??= scriptLanguage(file!, code.slice(0, 256));
  if (!lang) throw new UsageError('exec', `cannot tell the language of ${file} from its #! line or extension: pass --lang ${LANGS.join('|')}`);
  return runForCli({ kind: 'code', language: lang, code }, {
    command: 'exec', policy: values.policy, workspace: values.workspace, json: values.json,
    stdin: fromStdin ? 'ignore' : 'inherit',
  });
}
