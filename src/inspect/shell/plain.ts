/**
 * @module inspect/shell/plain
 * Reads plain commands and one-line statements of them from their text, without a parse tree:
 * words of letters, digits and `-./=:,+@%^*?~`, quotes, escapes, plain `$NAME` variables and `{}`,
 * joined by `|`, `||`, `&&`, `;` and `&`. Anything else is refused (`undefined`) and goes to
 * tree-sitter. In this alphabet bash has nothing left to interpret, so the words are exactly what
 * the tree walk gives (tests and a corpus comparison check that); it never splits a script.
 *
 * Extended shapes: `$(…)`, `<(…)`/`>(…)` and one backquoted substitution of a plain statement in
 * an argument, a lone `X=$(…)`, `{}` inside a word (`{}.bak`), backslashes in double quotes,
 * redirections to a plain target, a lone `!` argument, a `$` in double quotes that starts
 * nothing (`"\.txt$"`), special parameters (`$$`, `"$@"`), an escaped space after plain
 * characters (`2TB\ Data`) and `$'…'` strings without an escaped quote. Statements with them
 * always went to tree-sitter before, so they
 * are only read here when tree-sitter reads every word of the statement alike (treeReadsAlike);
 * test/inspect/plain-differential.test.ts compares such statements with the node-by-node walk.
 */

import { NO_SUBSTITUTIONS, decodeAnsiC, type Word } from './words.js';

/**
 * Characters a plain word may hold outside quotes, besides backslash escapes, `{}`, plain
 * variables and substitutions. Inside single quotes everything but a newline is literal; inside
 * double quotes everything but a newline, `` ` `` and a `$` that is neither a plain variable nor a
 * substitution, with `\\` escaping `$`, `` ` ``, `"` and itself.
 */
const BARE = /[\w\-./=:,+@%^*?~]/;
/** BARE as a table over character codes: words are read run by run, not character by character. */
const BARE_CODES = new Uint8Array(128).map((_, code) => (BARE.test(String.fromCharCode(code)) ? 1 : 0));

/** End of the run of BARE characters that starts at `i`. */
function bareRunEnd(text: string, i: number): number {
  let j = i;
  for (let code = text.charCodeAt(j); code < 128 && BARE_CODES[code] === 1; code = text.charCodeAt(++j));
  return j;
}
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
/** Exactly the `NAME=` or `NAME+=` of an assignment. */
const ASSIGNMENT_NAME = /^[A-Za-z_][A-Za-z0-9_]*\+?=$/;

/** `$NAME`, `${NAME}` or `$1`; `$IFS` is left to the tree walk (it splits words). */
const VARIABLE = /^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\}|[0-9])/;

/** A command substitution in a word: where its body starts (from the command's first character) and the statement it holds. */
export interface PlainSubstitution {
  offset: number;
  statement: PlainStatement;
  /** Written in backquotes (tree-sitter pairs several of them in one statement its own way). */
  backquoted?: true;
  /** A process substitution, `<(…)` or `>(…)`. */
  process?: true;
}

/**
 * One word of a plain command: its text after quote removal, as written, and what it substitutes.
 * It is a walker's Word as it stands (`type` as the tree's node would be for the checks that read
 * it: `command_substitution` or `process_substitution` for a word that is one unquoted
 * substitution); `substituted` is filled when the statement is walked.
 */
export interface PlainWord extends Word {
  raw: string;
  quoted: boolean;
  /** `$(…)`, `<(…)`/`>(…)` and backquoted substitutions in the word, in order (absent when none). */
  substitutions?: PlainSubstitution[];
}

/**
 * The `env` of a command without assignments (most): one shared, frozen empty list. The walk hands it
 * to the invocation, which only reads it; frozen, a push into it would throw (inspection fails closed).
 */
const NO_ASSIGNMENTS = Object.freeze([]) as unknown as string[];

/** A command read from its text: leading assignments as written, then its words. */
export interface PlainCommand {
  env: string[];
  words: PlainWord[];
  /** Redirections after the last word, in order (absent when none). */
  redirects?: { op: string; target: string; globbed?: boolean }[];
  /** The substitutions of a lone assignment (`X=$(…)`, no program), in order. */
  assigned?: PlainSubstitution[];
  /** tree-sitter reads one of the words as two (an escape right after a closing quote). */
  splitByTree?: true;
  /**
   * Set when the command uses a shape that statements only reached tree-sitter with before this
   * reader took them (substitutions, a lone `X=$(…)`, `{}` inside a word, a backslash in double
   * quotes, redirections): its statement must then be one tree-sitter reads word for word (see
   * treeReadsAlike).
   */
  extended?: true;
}

/**
 * A redirection operator at the start of a word: `>`, `>>`, `>&` (after an optional descriptor 1
 * or 2), `<`, `&>`, `&>>`. tree-sitter reads another descriptor before `<` (`0<f`) as an argument.
 */
const REDIRECT = /([12]?)(>>|>&|>(?![|&>])|<(?![<>&(])|&>>|&>)/y;

/**
 * Reads the redirection at `text[i]` whose target is one plain word (`> out.txt`, `2>/dev/null`,
 * `2>&1`); undefined when there is none there or its target is anything else.
 */
function redirectAt(text: string, i: number): { op: string; target: string; end: number } | undefined {
  REDIRECT.lastIndex = i;
  const m = REDIRECT.exec(text);
  if (!m) return undefined;
  let from = i + m[0].length;
  while (text[from] === ' ' || text[from] === '\t') from++;
  const end = bareRunEnd(text, from);
  if (end === from || (end < text.length && text[end] !== ' ' && text[end] !== '\t')) return undefined;
  if (m[2] === '>&' && text[from] === '-') return undefined; // `>&-` closes: tree-sitter reads no target
  return { op: m[2]!, target: text.slice(from, end), end };
}

/**
 * Characters after which a `$` inside double quotes is literal text in tree-sitter's reading too
 * (the closing quote, `/`, `|`, `)`, `.`); `$` before a blank, `-` or a name is read as an expansion.
 */
const LITERAL_DOLLAR_BEFORE = '"/|).';

/**
 * Length of the special parameter at `text[i]` (a `$`): `$$`, `$@`, `$*`, `$?`, `$!`, `$#`, `$-`
 * (tree-sitter reads each as an expansion, as bash does); 0 for anything else. Read only in
 * extended mode: statements with them always went to tree-sitter before.
 */
function specialAt(text: string, i: number): number {
  return SPECIAL_PARAMETERS.includes(text[i + 1] ?? ' ') ? 2 : 0;
}
const SPECIAL_PARAMETERS = '$@*?!#-';

/** Length of the variable at `text[i]` (a `$`), or 0 when it is not a plain one. */
function variableAt(text: string, i: number): number {
  const m = VARIABLE.exec(text.slice(i, i + 80));
  if (!m || (m[1] ?? m[2]) === 'IFS') return 0;
  return m[0].length;
}

/**
 * Index of the `)` that closes a `$(` whose body starts at `from`, or -1. Quotes and escapes in the
 * body are skipped and unquoted parentheses nest; -1 as well for what this reader does not follow
 * (a newline, backquotes, a substitution inside double quotes in the body).
 */
function substitutionEnd(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      i++;
    } else if (c === "'") {
      i = text.indexOf("'", i + 1);
      if (i === -1) return -1;
    } else if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) {
        const d = text[i]!;
        if (d === '\\') i++;
        else if (d === '`' || (d === '$' && text[i + 1] === '(')) return -1;
      }
      if (i >= text.length) return -1;
    } else if (c === '`' || c === '\n') {
      return -1;
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return i;
    }
  }
  return -1;
}

/**
 * Reads the command substitution `$(…)` (or process substitution `<(…)`, `>(…)`) at `text[i]`
 * whose body is a plain statement; `undefined` for anything else: arithmetic `$((…))`, a body that
 * is not plain or does not end, backslashes in a body inside double quotes. Backquotes are read by
 * backquoteAt, in the fewer shapes where tree-sitter pairs and splits them as bash does.
 */
function substitutionAt(text: string, i: number, inDouble: boolean): { end: number; offset: number; statement: PlainStatement } | undefined {
  if (text[i + 2] === '(') return undefined;
  const from = i + 2;
  const end = substitutionEnd(text, from);
  if (end === -1) return undefined;
  const body = text.slice(from, end);
  if (inDouble && body.includes('\\')) return undefined;
  const statement = plainStatement(body, true);
  return statement && { end: end + 1, offset: from, statement };
}

/**
 * Reads the backquoted substitution at `text[i]` whose body is a plain statement, in the shapes
 * tree-sitter reads as bash does: the only backquotes of the text, ending the word (tree-sitter
 * splits the word after one: `/home/`whoami`/x`, and one that follows other text when an operator
 * comes right after it: `a`b`|c`), or ending a double-quoted string. The body may hold no backslash
 * (bash removes them before parsing it), no `$(` and, inside double quotes, no quotes (they nest
 * differently there). `textEnds`: nothing but the end of the statement follows `text`.
 */
function backquoteAt(text: string, i: number, inDouble: boolean, concatenated: boolean, textEnds: boolean): { end: number; offset: number; statement: PlainStatement } | undefined {
  const close = text.indexOf('`', i + 1);
  if (close === -1 || text.indexOf('`', close + 1) !== -1 || text.lastIndexOf('`', i - 1) !== -1) return undefined;
  const next = text[close + 1];
  if (inDouble ? next !== '"' : next !== undefined && next !== ' ' && next !== '\t') return undefined;
  if (!inDouble && next === undefined && concatenated && !textEnds) return undefined;
  const body = text.slice(i + 1, close);
  if (body.includes('\\') || body.includes('$(') || (inDouble && (body.includes('"') || body.includes("'")))) return undefined;
  const statement = plainStatement(body, true);
  return statement && { end: close + 1, offset: i + 1, statement };
}

/**
 * Reads a command made only of plain words, simple quotes, escapes, plain variables and, with
 * `extended`, substitutions of plain statements in its arguments, `{}` inside words and escapes in
 * double quotes (`grep -r 'a b' "$HOME/src" -name \*.c`, `cd $(dirname $(which x))`) from its text,
 * exactly as the tree walk would; `undefined` for anything else (redirections, operators,
 * brackets, comments, a substitution in the program word or an assignment), which is walked node
 * by node. With `strict` (inside a substitution) or an extended shape, only a command tree-sitter
 * reads word for word is taken; `endsStatement`: nothing but the end of the statement follows
 * `text` (see backquoteAt). Used on nodes tree-sitter parsed as one `command`, and by plainStatement.
 *
 * @example
 * plainCommand("LC_ALL=C grep -r 'a b' src")
 * // { env: ['LC_ALL=C'], words: [{ text: 'grep', … }, { text: '-r', … }, { text: 'a b', raw: "'a b'", … }, …] }
 */
export function plainCommand(text: string, extended = true, strict = false, endsStatement = false): PlainCommand | undefined {
  if (text.includes('\n')) return undefined;
  const out: PlainCommand = { env: NO_ASSIGNMENTS, words: [] };
  const n = text.length;
  let i = 0;
  while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  const first = i; // substitution offsets count from here
  let novel = false; // an extended shape was read
  while (i < n) {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i >= n) break;
    const c0 = text[i];
    const processSub = (c0 === '<' || c0 === '>') && text[i + 1] === '(';
    if (!processSub && (c0 === '>' || c0 === '<' || c0 === '&' || ((c0 === '1' || c0 === '2') && (text[i + 1] === '>')))) {
      // Redirections come after the words (tree-sitter reads words after one as its targets).
      const redirect = extended && out.words.length ? redirectAt(text, i) : undefined;
      if (!redirect) return undefined;
      // A bare target with * or ? is an unquoted glob (the reader takes no `[`).
      (out.redirects ??= []).push(/[*?]/.test(redirect.target) ? { op: redirect.op, target: redirect.target, globbed: true } : { op: redirect.op, target: redirect.target });
      i = redirect.end;
      novel = true;
      continue;
    }
    if (out.redirects) return undefined;
    const start = i;
    let value = '';
    let quoted = false;
    let dynamic = false;
    let subs: PlainSubstitution[] | undefined;
    let bare = ''; // the last unquoted substitution as written
    let literal = true; // the word so far is only BARE runs: its value is its raw text
    let parts = 0; // runs, quotes, escapes, variables and substitutions the word is made of
    let firstPart = 0; // where the second part starts
    let afterRun = false; // the part just read is a run of BARE characters
    while (i < n && text[i] !== ' ' && text[i] !== '\t') {
      const c = text[i]!;
      if (parts++ === 1) firstPart = i;
      const run = bareRunEnd(text, i);
      if (run > i) {
        value += text.slice(i, run);
        i = run;
        afterRun = true;
        continue;
      }
      literal = false;
      const escapable = afterRun;
      afterRun = false;
      if (c === "'") {
        const end = text.indexOf(c, i + 1);
        if (end === -1) return undefined;
        value += text.slice(i + 1, end);
        i = end + 1;
        quoted = true;
      } else if (c === '"') {
        i++;
        for (;;) {
          if (i >= n) return undefined;
          const d = text[i]!;
          if (d === '"') break;
          if (d === '\\') {
            // Inside double quotes a backslash only escapes `$`, a backquote, `"` and itself.
            if (!extended || i + 1 >= n) return undefined;
            const e = text[i + 1]!;
            value += e === '$' || e === '`' || e === '"' || e === '\\' ? e : `\\${e}`;
            i += 2;
            novel = true;
            continue;
          }
          if (d === '`') {
            const sub = extended ? backquoteAt(text, i, true, true, endsStatement) : undefined;
            if (!sub) return undefined;
            value += text.slice(i, sub.end);
            (subs ??= []).push({ offset: sub.offset - first, statement: sub.statement, backquoted: true });
            dynamic = true;
            i = sub.end;
            continue;
          }
          if (d === '$' && text[i + 1] === '(') {
            const sub = extended ? substitutionAt(text, i, true) : undefined;
            if (!sub) return undefined;
            value += text.slice(i, sub.end);
            (subs ??= []).push({ offset: sub.offset - first, statement: sub.statement });
            dynamic = true;
            i = sub.end;
            continue;
          }
          if (d === '$') {
            // A special parameter (`"$@"`) only right before the closing quote.
            const special = extended && text[i + 2] === '"' ? specialAt(text, i) : 0;
            if (special) novel = true;
            const len = special || variableAt(text, i);
            if (!len) {
              // A `$` that starts nothing (`"\.txt$"`, `"s/x$//"`, `"(a$|b$)"`): tree-sitter reads it as
              // text of the string, as bash does. Not before a blank or `-`, which it reads as an expansion.
              if (!extended || i + 1 >= n || !LITERAL_DOLLAR_BEFORE.includes(text[i + 1]!)) return undefined;
              value += d;
              i++;
              novel = true;
              continue;
            }
            value += text.slice(i, i + len);
            i += len;
            dynamic = true;
            continue;
          }
          value += d;
          i++;
        }
        i++;
        quoted = true;
      } else if (c === '\\') {
        // An escaped blank is left to the tree (a word of only a blank, `\ ;` in find -exec), except
        // an escaped space right after plain characters (`2TB\ Data/`), which it reads inside the word.
        if (i + 1 >= n || text[i + 1] === '\t' || (text[i + 1] === ' ' && !(extended && escapable))) return undefined;
        if (text[i + 1] === ' ') novel = true;
        // tree-sitter starts a new word at an escape right after a quote (`"a"\n`, `''\]`).
        if (text[i - 1] === '"' || text[i - 1] === "'") out.splitByTree = true;
        value += text[i + 1];
        i += 2;
      } else if (c === '`' || ((c === '$' || c === '<' || c === '>') && text[i + 1] === '(')) {
        // A process substitution starts its word (tree-sitter splits `a<(b)` into two).
        const sub = !extended || (c !== '$' && c !== '`' && i !== start) ? undefined : c === '`' ? backquoteAt(text, i, false, i !== start, endsStatement) : substitutionAt(text, i, false);
        if (!sub) return undefined;
        bare = text.slice(i, sub.end);
        value += bare;
        const at = { offset: sub.offset - first, statement: sub.statement };
        (subs ??= []).push(c === '`' ? { ...at, backquoted: true } : c === '$' ? at : { ...at, process: true });
        dynamic = true;
        i = sub.end;
      } else if (c === '$' && text[i + 1] === "'") {
        // `$'…'` (ANSI-C), decoded as the walk decodes it. tree-sitter lets `\'` continue the string
        // (bash's reading differs after `\\'`), so a `'` right after a backslash is left to it.
        const close = text.indexOf("'", i + 2);
        if (!extended || close === -1 || text[close - 1] === '\\') return undefined;
        value += decodeAnsiC(text.slice(i + 2, close));
        i = close + 1;
        quoted = true;
        novel = true;
      } else if (c === '$') {
        // A special parameter (`$$`, `$*`) only as a whole word: tree-sitter reads `x$$` as text and
        // splits `$$\x` in two.
        const special = extended && i === start && (i + 2 === n || text[i + 2] === ' ' || text[i + 2] === '\t') ? specialAt(text, i) : 0;
        if (special) novel = true;
        const len = special || variableAt(text, i);
        if (!len) return undefined;
        value += text.slice(i, i + len);
        i += len;
        dynamic = true;
      } else if (c === '!' && i === start && out.words.length && (i + 1 === n || text[i + 1] === ' ' || text[i + 1] === '\t')) {
        // A lone `!` argument (`find . ! -name x`) is a word to bash and tree-sitter alike; in command
        // position it negates (and `!x`, `a!` are left to the tree).
        value += c;
        i++;
        novel = true;
      } else if (c === '{' || c === '}') {
        // Only the `{}` of find -exec/xargs -I, never in command position (where `{` opens a group).
        if (text.slice(i, i + 2) !== '{}' || !out.words.length) return undefined;
        if (i !== start || (text[i + 2] !== undefined && text[i + 2] !== ' ' && text[i + 2] !== '\t')) {
          // tree-sitter starts a new word at an escape after `{}` (`{}\;`): left to it.
          if (!extended || text[i + 2] === '\\') return undefined;
          novel = true; // `{}.bak`, `dest/{}`, `-I{}`
        }
        value += '{}';
        i += 2;
      } else {
        return undefined;
      }
    }
    const raw = literal ? value : text.slice(start, i);
    if (subs && !out.words.length) {
      // A substitution in the program word is walked node by node; in an assignment, only when it is the whole
      // command (below) and the value is one substitution or one double-quoted string (tree-sitter splits some others).
      const single = parts === 2 && ASSIGNMENT_NAME.test(text.slice(start, firstPart)) && (text[firstPart] === '"' || text.slice(firstPart, i) === bare);
      if (!extended || out.env.length || !single) return undefined;
      out.assigned = subs;
      novel = true;
    }
    if (out.assigned && out.words.length) return undefined;
    if (!out.words.length && ASSIGNMENT.test(raw)) {
      if (out.env === NO_ASSIGNMENTS) out.env = [];
      out.env.push(raw);
    }
    else if (!subs) out.words.push({ text: value, raw, quoted, dynamic, substituted: NO_SUBSTITUTIONS, ifs: false, type: quoted ? 'string' : 'word' });
    else out.words.push({ text: value, raw, quoted, dynamic, substituted: [], ifs: false, type: bare !== raw ? (quoted ? 'string' : 'word') : raw[0] === '<' || raw[0] === '>' ? 'process_substitution' : 'command_substitution', substitutions: subs });
  }
  if (novel || out.words.some((w) => w.substitutions)) out.extended = true;
  if ((strict || out.extended) && !treeReadsAlike(out)) return undefined;
  return out;
}

/** Words that start a compound or declaration command or change how the statement parses: never read as a program here. */
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in', 'function', 'time', 'coproc', 'declare', 'typeset', 'export', 'readonly', 'local', 'unset']);

/**
 * Only blanks, tabs and newlines from `lastIndex` to the end. Not `\s`: bash runs a no-break space
 * (U+00A0) after `;` as a command, as tree-sitter reads it.
 */
const BLANK_REST = /[ \t\n]*$/y;

/** A program word tree-sitter always reads as one `command_name`. */
const SIMPLE_PROGRAM = /^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/;

/**
 * True when tree-sitter reads the command's words one for one. A statement that holds a
 * substitution was always parsed by tree-sitter, so its reading is the one to reproduce, quirks
 * included: it drops `==`/`=~` (test operators) and a leading `-`, fails on program words such as
 * `a@` or `a%`, and reads `_=` as a program. Such commands, and assignments, are left to it.
 */
function treeReadsAlike(command: PlainCommand): boolean {
  if (command.splitByTree) return false;
  // A lone `X=$(…)`: tree-sitter walks every substitution inside it, nested ones twice; only unnested ones here.
  if (command.assigned) return command.env.length === 1 && !command.words.length && !command.redirects && command.assigned.every((sub) => !substitutes(sub.statement));
  if (command.env.length || !SIMPLE_PROGRAM.test(command.words[0]?.raw ?? '')) return false;
  // With a redirection it also drops a `-` argument before `2>&1`.
  const redirected = command.redirects !== undefined;
  return command.words.every((w) => !w.raw.startsWith('==') && !w.raw.startsWith('=~') && !(redirected && w.raw === '-'));
}

/** True when a command of the statement holds a substitution. */
function substitutes(statement: PlainStatement): boolean {
  return statement.some((pipeline) => pipeline.some((c) => c.command.assigned || c.command.words.some((w) => w.substitutions)));
}

/** True when tree-sitter reads every command of the statement word for word (see treeReadsAlike). */
function treeReadsAll(statement: PlainStatement): boolean {
  return statement.every((pipeline) => pipeline.every((c) => treeReadsAlike(c.command)));
}

/** ASCII characters plainStatement's scan passes over outside quotes (all but quotes, escapes, substitutions and operators). */
const PASSED_CODES = new Uint8Array(128).map((_, code) => ('`$<>\'"\\|&;'.includes(String.fromCharCode(code)) ? 0 : 1));

/** A statement of plain commands: pipelines (joined by `&&`, `||`, `;`, `&`), each a list of commands with their column. */
export type PlainStatement = { column: number; command: PlainCommand }[][];

/**
 * Reads a one-line statement made only of plain commands (see plainCommand) joined by `|`, `||`,
 * `&&`, `;` and `&`, so it needs no parse tree; `undefined` for anything else (any other
 * character, a newline inside, a reserved word such as `if`/`time` where a program would be, an
 * assignment without a command, an operator without a command on both sides). In this alphabet
 * bash has nothing else to interpret, and the engine's tests check the result against the tree walk.
 *
 * @example
 * plainStatement('ls -l | wc -l && echo done')
 * // [[{ column: 0, command: ls… }, { column: 8, command: wc… }], [{ column: 19, command: echo… }]]
 */
export function plainStatement(text: string, strict = false): PlainStatement | undefined {
  let end = text.length;
  while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t' || text[end - 1] === '\n')) end--;
  const body = end === text.length ? text : text.slice(0, end);
  if (!body || body.includes('\n')) return undefined;
  const out: PlainStatement = [[]];
  let start = 0;
  let quote = '';
  let extended = false; // a command uses an extended shape: every command must then read as tree-sitter reads it
  let listStart = true; // the next command starts the statement or follows `;` or `&`
  let backquotes = 0; // words with backquotes: tree-sitter pairs a second one its own way
  // `piped`: a `|` follows the command (it is not the last of its pipeline).
  const take = (from: number, to: number, piped: boolean): boolean => {
    const segment = body.slice(from, to);
    const command = plainCommand(segment, true, strict, to === body.length);
    const first = command?.words[0];
    // A lone assignment with substitutions is a statement of its own: tree-sitter reads it as one assignment.
    const alone = !!command?.assigned && !strict && from === 0 && to === body.length;
    if (!command || (!first && !alone) || (first && RESERVED.has(first.text))) return false;
    if (command.extended) extended = true;
    for (const w of command.words) if (w.substitutions?.some((sub) => sub.backquoted) && ++backquotes > 1) return false;
    // After `|`, `&&` or `||` tree-sitter gives a redirection to the pipeline or list so far, and the
    // walk gives it to the last command of that (see extract.ts, redirected): the same as reading it
    // here, unless a `|` follows (the pipeline so far is then one step of a longer one) or inside a
    // substitution.
    if (command.redirects && !listStart && (piped || strict)) return false;
    // plainCommand accepted the segment, so only blanks and tabs come before its first word.
    let column = from;
    while (body[column] === ' ' || body[column] === '\t') column++;
    out[out.length - 1]!.push({ column, command });
    return true;
  };
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    if (!quote && code < 128 && PASSED_CODES[code] === 1) continue; // nothing this loop acts on
    const c = body[i]!;
    // A substitution's operators are its own (plainCommand reads it): go past it.
    if (quote !== "'" && (c === '`' || (c === '$' && body[i + 1] === '(') || (!quote && (c === '<' || c === '>') && body[i + 1] === '('))) {
      const end = c === '`' ? body.indexOf('`', i + 1) : substitutionEnd(body, i + 2);
      if (end === -1) return undefined;
      i = end;
      continue;
    }
    if (quote) {
      if (c === quote) quote = '';
      else if (quote === '"' && c === '\\') i++;
      continue;
    }
    if (c === "'" || c === '"') { quote = c; continue; }
    if (c === '\\') { i++; continue; }
    if (c !== '|' && c !== '&' && c !== ';') continue;
    if (c === '&' && (body[i - 1] === '>' || body[i + 1] === '>')) continue; // `2>&1`, `&> f`
    const pair = body[i + 1] === c && c !== ';';
    if (!take(start, i, c === '|' && !pair)) return undefined;
    listStart = c === ';' || (c === '&' && !pair);
    i += pair ? 1 : 0;
    if (/[|&;]/.test(body[i + 1] ?? '')) return undefined; // `|&`, `;;`, `&&&`, …
    start = i + 1;
    BLANK_REST.lastIndex = start;
    const last = BLANK_REST.test(body); // nothing but white space after the operator
    if (c === '|' && !pair) {
      if (last) return undefined; // `a |` waits for more input
    } else {
      if (last && (pair || c === '|')) return undefined; // `a &&`, `a ||`
      if (last) return strict || !extended || treeReadsAll(out) ? out : undefined; // `a ;`, `a &`
      out.push([]);
    }
  }
  if (quote || !take(start, body.length, false)) return undefined;
  return strict || !extended || treeReadsAll(out) ? out : undefined;
}
