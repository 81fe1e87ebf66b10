/**
 * @module inspect/shell/extract
 * Walks a tree-sitter-bash tree and lists every program that would run, with its arguments and the
 * context rules need (what is piped into it, its redirections, heredoc text). Follows pipes, lists,
 * subshells, brace groups, functions, `$(…)`, backticks, `<(…)`, heredocs, wrappers (`sudo`, `env`,
 * `timeout`, `xargs`, `find -exec`, …) and inline code (`bash -c`, `eval`, `python -c`, `node -e`),
 * which is handed to the analyzer of its own language through the engine.
 */
import type { Node } from 'web-tree-sitter';
import { finding } from '../rules.js';
import type { Analysis, Engine, Invocation, NestedContext, Redirect, Upstream } from '../types.js';
import { MAX_DEPTH } from '../types.js';
import { expandBraces } from './braces.js';
import { shellQuote } from '../../core/shell-quote.js';
import { FIND_EXEC, SHELLS, interpreterOf, programName, readsCodeFromStdin, stdinLanguage, unwrap } from './programs.js';
import { plainCommand, type PlainCommand, type PlainStatement, type PlainSubstitution } from './plain.js';
import { NO_SUBSTITUTIONS, wordsOf, type Word } from './words.js';

interface Ctx {
  engine: Engine;
  out: Analysis;
  via: string[];
  depth: number;
  upstream: Upstream[];
  stdinText: string | undefined;
  redirects: Redirect[];
  origin: { line: number; column: number } | undefined;
  /** Commands with extended shapes (see PlainCommand.extended) may be read from their text (false only to compare with the node walk). */
  textExtended: boolean;
}

/**
 * Lists the invocations and nested-code findings of a parsed shell program.
 *
 * @example
 * const out = { invocations: [], findings: [] };
 * walkShell(engine, tree.rootNode, { via: [], depth: 0 }, out);
 */
export function walkShell(engine: Engine, root: Node, context: NestedContext, out: Analysis, textExtended = true): void {
  walk(root, {
    engine, out, via: context.via, depth: context.depth, upstream: NO_UPSTREAM, stdinText: undefined, redirects: NO_REDIRECTS,
    origin: context.origin, textExtended,
  });
}

/** What a finding's location is taken from: a tree node, or a command read from its text. */
type Located = Pick<Node, 'startPosition'>;

function loc(node: Located, ctx: Ctx): { line: number; column: number } {
  if (ctx.origin) return ctx.origin;
  const start = node.startPosition; // read once: on a tree node each read crosses into wasm
  return { line: start.row + 1, column: start.column + 1 };
}

/**
 * A context like `ctx` with what a step sees replaced. Built field by field rather than by spreading,
 * so every context has one shape and copying one allocates nothing else.
 */
function derive(ctx: Ctx, via: string[], depth: number, upstream: Upstream[], stdinText: string | undefined, redirects: Redirect[]): Ctx {
  return { engine: ctx.engine, out: ctx.out, via, depth, upstream, stdinText, redirects, origin: ctx.origin, textExtended: ctx.textExtended };
}

/** The context of code or a command that `ctx`'s command runs: one level deeper. */
function deeper(ctx: Ctx, via: string[] = ctx.via): Ctx {
  return derive(ctx, via, ctx.depth + 1, ctx.upstream, ctx.stdinText, ctx.redirects);
}

function plain(ctx: Ctx, via: string[] = ctx.via): Ctx {
  return derive(ctx, via, ctx.depth, NO_UPSTREAM, undefined, NO_REDIRECTS);
}

/**
 * The upstream and redirection lists of a context that has none: one shared, frozen empty list each.
 * Contexts and invocations only read these lists (a step or a redirection makes a new one), and
 * frozen, a push into one would throw (inspection fails closed) instead of changing all of them.
 */
const NO_UPSTREAM = Object.freeze([]) as unknown as Upstream[];
const NO_REDIRECTS = Object.freeze([]) as unknown as Redirect[];

/**
 * Redirections tree-sitter hangs on a whole pipeline or list that bash gives to its last command
 * (`a | b > f`, `a && b > f`), by the id of that command's node while its statement is walked.
 */
const trailing = new Map<number, Redirect[]>();

function walk(node: Node, parent: Ctx): void {
  const extra = trailing.size ? trailing.get(node.id) : undefined;
  const ctx = extra ? derive(parent, parent.via, parent.depth, parent.upstream, parent.stdinText, [...parent.redirects, ...extra]) : parent;
  switch (node.type) {
    case 'command': return command(node, ctx);
    case 'declaration_command':
    case 'unset_command': return declaration(node, ctx);
    case 'pipeline': return pipeline(node, ctx);
    case 'redirected_statement': return redirected(node, ctx);
    case 'function_definition': return functionDefinition(node, ctx);
    case 'variable_assignment': {
      const words = wordsOf(node, (sub) => substitution(sub, ctx));
      assignments(words.map((w) => w.text), node, ctx);
      return;
    }
    case 'command_substitution':
    case 'process_substitution':
      substitution(node, ctx);
      return;
    case 'comment':
      return comment(node, ctx);
    default:
      for (const child of node.namedChildren) if (child) walk(child, ctx);
  }
}

/** C preprocessor lines (`#include <…>`, `#define NAME`): shell reads them as comments. */
const C_DIRECTIVE = /^#[ \t]*(include[ \t]*[<"][\w./-]+[>"]|define[ \t]+[A-Z_][A-Z0-9_]*\b|ifn?def[ \t]+[A-Z_]|pragma[ \t]+\w)/;

/**
 * A comment that is a C preprocessor line means the input is C source (a set-uid shell, a library
 * to preload), not shell: as shell it would do nothing, so what was meant to run is unclear.
 * Heredoc bodies are not comments, so `cat > x.c <<EOF` with C in it is not affected.
 */
function comment(node: Node, ctx: Ctx): void {
  const text = node.text;
  if (C_DIRECTIVE.test(text)) ctx.out.findings.push(finding('shell.not-a-command', { location: loc(node, ctx), match: text }));
}

/** Pure assignments (`LD_PRELOAD=x`, `HISTFILE=/dev/null`) are recorded as an `=` pseudo-invocation. */
function assignments(texts: string[], node: Located, ctx: Ctx): void {
  if (!texts.length) return;
  ctx.out.invocations.push({
    program: '=', args: [], via: ctx.via, upstream: [], redirects: [], env: texts, programDynamic: false, substituted: [],
    ...loc(node, ctx),
  });
  codeInAssignments(texts, node, ctx);
}

/** Variables whose value bash runs as code later: `PROMPT_COMMAND` before each prompt. */
const CODE_VARIABLE = /^PROMPT_COMMAND=([\s\S]*)$/;

/** Analyses the value given to a code-carrying variable (`PROMPT_COMMAND='curl x | sh'`) as shell. */
function codeInAssignments(texts: string[], node: Located, ctx: Ctx): void {
  for (const t of texts) {
    const m = CODE_VARIABLE.exec(t);
    if (!m || !m[1]) continue;
    const value = /^(['"])[\s\S]*\1$/.test(m[1]) ? m[1].slice(1, -1) : m[1];
    if (value) nested('shell', value, [...ctx.via, 'PROMPT_COMMAND'], deeper(ctx), node);
  }
}

/** Walks a `$(…)`/`<(…)` body as its own statements; returns the programs it ran. */
function substitution(node: Node, ctx: Ctx): string[] {
  const before = ctx.out.invocations.length;
  const label = node.type === 'process_substitution' ? '<(…)' : '$(…)';
  for (const child of node.namedChildren) if (child) walk(child, plain(ctx, [...ctx.via, label]));
  return ctx.out.invocations.slice(before).map((i) => i.program);
}

function command(node: Node, ctx: Ctx): void {
  // Most commands are plain words: read them from the text, without a trip into the tree per word.
  const plain = plainCommand(node.text, ctx.textExtended);
  if (plain) return emitPlain(plain, node, ctx);
  const env: string[] = [];
  const words: Word[] = [];
  const redirects = [...ctx.redirects];
  let stdinText = ctx.stdinText;
  const walkSub = (sub: Node): string[] => substitution(sub, ctx);
  for (const child of node.namedChildren) {
    if (!child) continue;
    const type = child.type; // each .type crosses into wasm: read it once
    if (type === 'variable_assignment') env.push(...wordsOf(child, walkSub).map((w) => w.text));
    else if (type === 'file_redirect') redirects.push(...redirectOf(child, ctx));
    else if (type === 'herestring_redirect') {
      const value = child.namedChildren.find((c) => c);
      if (value) stdinText = wordsOf(value, walkSub).map((w) => w.text).join(' ');
    }
    else if (type === 'command_name') words.push(...wordsOf(child.firstNamedChild ?? child, walkSub));
    else words.push(...wordsOf(child, walkSub, type));
  }
  if (!words.length) {
    assignments(env, node, ctx);
    return;
  }
  emit(words, env, derive(ctx, ctx.via, ctx.depth, ctx.upstream, stdinText, redirects), node);
}

function emitPlain(plain: PlainCommand, at: Located, ctx: Ctx): void {
  if (!plain.words.length) {
    // `X=$(…)`: the substitutions run first, then the assignment is recorded (as the tree walk does).
    if (plain.assigned) plainSubstitutions(plain.assigned, at.startPosition, ctx);
    return assignments(plain.env, at, ctx);
  }
  // Substitutions are walked word by word, in order, before the command itself (as the tree walk does).
  let start: Located['startPosition'] | undefined;
  for (const w of plain.words) if (w.substitutions) w.substituted = plainSubstitutions(w.substitutions, (start ??= at.startPosition), ctx);
  // Redirection lists are never changed once made: without redirections of its own the command sees ctx's.
  emit(plain.words, plain.env, plain.redirects ? derive(ctx, ctx.via, ctx.depth, ctx.upstream, ctx.stdinText, [...ctx.redirects, ...plain.redirects]) : ctx, at);
}

/** Walks the `$(…)` bodies of a word read from text, placed from the command's `start`; returns the programs they ran. */
function plainSubstitutions(substitutions: PlainSubstitution[], start: Located['startPosition'], ctx: Ctx): string[] {
  const before = ctx.out.invocations.length;
  for (const sub of substitutions) walkStatement(sub.statement, plain(ctx, [...ctx.via, sub.process ? '<(…)' : '$(…)']), start.row, start.column + sub.offset);
  return ctx.out.invocations.slice(before).map((i) => i.program);
}

/**
 * Lists the invocations of a statement read from its text (see plainStatement): the same programs,
 * pipes and positions the tree walk gives for it.
 *
 * @example
 * walkPlainStatement(engine, plainStatement('ls | wc -l')!, { via: [], depth: 0 }, out);
 */
export function walkPlainStatement(engine: Engine, statement: PlainStatement, context: NestedContext, out: Analysis): void {
  const ctx: Ctx = { engine, out, via: context.via, depth: context.depth, upstream: NO_UPSTREAM, stdinText: undefined, redirects: NO_REDIRECTS, origin: context.origin, textExtended: true };
  walkStatement(statement, ctx, 0, 0);
}

/** Walks a statement read from text whose first character is at `row`, `column`. */
function walkStatement(statement: PlainStatement, ctx: Ctx, row: number, column: number): void {
  for (const commands of statement) {
    if (commands.length === 1) {
      const c = commands[0]!;
      emitPlain(c.command, { startPosition: { row, column: column + c.column } }, ctx);
      continue;
    }
    pipe(commands.length, (k, stepCtx) => emitPlain(commands[k]!.command, { startPosition: { row, column: column + commands[k]!.column } }, stepCtx), ctx);
  }
}

function declaration(node: Node, ctx: Ctx): void {
  const walkSub = (sub: Node): string[] => substitution(sub, ctx);
  const args = node.namedChildren.flatMap((c) => (c ? wordsOf(c, walkSub) : []));
  const keyword = node.firstChild?.text ?? node.type;
  ctx.out.invocations.push({
    program: keyword, args: args.map((w) => w.text), via: ctx.via, upstream: ctx.upstream, redirects: ctx.redirects,
    env: keyword === 'unset' ? [] : args.map((w) => w.text).filter((t) => t.includes('=')), programDynamic: false,
    substituted: [[], ...args.map((w) => w.substituted)], ...loc(node, ctx),
  });
  if (keyword !== 'unset') codeInAssignments(args.map((w) => w.text), node, ctx);
}

/** A word as written (quotes and escapes kept): read from the text, else from its node. */
function asWritten(w: Word): string {
  return w.raw ?? w.node?.text ?? w.text;
}

/** Characters a glob needs (module-level: a literal in a function is a new object per evaluation). */
const GLOB_CHARS = /[*?[]/;

/**
 * True when a word as written holds `*`, `?` or `[…]` outside quotes and escapes: bash expands it
 * into file names, so as a program word (`/???/c?t`, `/usr/bin/r?`) what runs is only known then.
 */
function unquotedGlob(raw: string): boolean {
  if (!GLOB_CHARS.test(raw)) return false;
  let quote = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (quote === '"' && c === '\\') i++;
    } else if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '*' || c === '?') return true;
    else if (c === '[' && raw.indexOf(']', i + 2) !== -1) return true; // `[` alone (test, `[[`) is no glob
  }
  return false;
}

/**
 * Files an analysis has seen written with literal content (`echo 'rm -rf /' > x.sh`, `cat > x.py
 * <<EOF …`), so that running one later in the same input (`bash x.sh`, `./x.sh`, `python3 x.py`,
 * `. x.sh`) is analysed as that code. Keyed by the analysis; nothing outlives it.
 */
const writtenCode = new WeakMap<Analysis, Map<string, string>>();
/** `./x` and `././x` name `x`. Most words have no `./` in front: they are returned without a regex replace (this runs for every program word once a file was written). */
const cleanPath = (p: string): string => (p.startsWith('./') ? p.replace(/^(\.\/)+/, '') : p);

function rememberWrittenCode(inv: Invocation, ctx: Ctx): void {
  if (!inv.redirects.length) return;
  const targets = inv.redirects.filter((r) => r.op === '>' || r.op === '>>' || r.op === '>|');
  if (!targets.length) return;
  const text = inv.program === 'cat' && !inv.args.length ? inv.stdinText : literalOutput([inv]);
  if (text === undefined) return;
  let files = writtenCode.get(ctx.out);
  if (!files) writtenCode.set(ctx.out, (files = new Map()));
  for (const r of targets) {
    const file = cleanPath(r.target);
    files.set(file, r.op === '>>' ? `${files.get(file) ?? ''}${text}\n` : `${text}\n`);
  }
}

function writtenCodeRun(inv: Invocation, programWord: string, ctx: Ctx): { language: 'shell' | 'python' | 'javascript' | 'script'; code: string; file: string } | undefined {
  const files = writtenCode.get(ctx.out);
  if (!files) return undefined;
  const direct = files.get(cleanPath(programWord));
  if (direct !== undefined && programWord.includes('/')) return { language: 'shell', code: direct, file: programWord };
  const language = inv.program === 'source' || inv.program === '.' ? 'shell' : interpreterOf(inv.program);
  if (!language || inv.args.some((a) => a === '-c' || a === '-e' || a === '-m')) return undefined;
  const file = inv.args.find((a) => !a.startsWith('-'));
  const code = file === undefined ? undefined : files.get(cleanPath(file));
  return code === undefined ? undefined : { language, code, file: file! };
}

const AWKS = new Set(['awk', 'gawk', 'mawk', 'nawk']);
/** awk options that take a value (the program is the first argument that is not an option or a value). */
const AWK_VALUE_OPTS = new Set(['-F', '-v', '-f', '--field-separator', '--assign', '--file']);

/** The awk program given on the command line (not with -f), or undefined. */
function awkProgram(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-f' || a === '--file') return undefined;
    if (AWK_VALUE_OPTS.has(a)) { i++; continue; }
    if (a === '--') return args[i + 1];
    if (a.startsWith('-')) continue;
    return a;
  }
  return undefined;
}

/** The literal shell commands an awk program runs: `system("…")`, `print … | "…"`, `("…" | getline)`. */
const AWK_STRING = String.raw`"((?:[^"\\]|\\.)*)"`;
/**
 * The forms of awkCommands, built once (matchAll works on a copy of each, so they keep no state).
 * Only a string that is the whole command: `system("a" $1)` builds it at run time and is left alone.
 */
const AWK_FORMS = [
  new RegExp(String.raw`\bsystem\s*\(\s*${AWK_STRING}\s*\)`, 'g'),
  new RegExp(String.raw`\|\s*${AWK_STRING}\s*(?=[;})\n]|$)`, 'g'),
  new RegExp(String.raw`(?<=(?:^|[({;=])\s*)${AWK_STRING}\s*\|\s*getline`, 'g'),
];

function awkCommands(script: string): string[] {
  const out: string[] = [];
  // Every form needs a `"`: most awk programs (`{print $1}`) have none.
  if (!script.includes('"')) return out;
  for (const re of AWK_FORMS) for (const m of script.matchAll(re)) out.push(m[1]!.replace(/\\(["\\])/g, '$1'));
  return out;
}

/**
 * The command xargs runs when what it reads is known (`echo / | xargs rm -rf` runs `rm -rf /`): the
 * input's words appended, or with `-I R` (`-i`, `--replace`) each of the first input lines put in
 * place of R. Only for literal input (echo/printf with literal words upstream).
 */
function xargsInput(words: Word[], index: number, input: string): Word[] {
  const command = words.slice(index);
  const literal = (text: string): Word => ({ text, raw: text, dynamic: false, substituted: [], ifs: false, type: 'word' });
  const options = words.slice(0, index).map((w) => w.text);
  const at = options.findIndex((o) => o === '-I' || o === '-i' || o.startsWith('--replace') || (o.startsWith('-I') && o.length > 2));
  if (at === -1) return [...command, ...input.split(/\s+/).filter(Boolean).slice(0, 256).map(literal)];
  const o = options[at]!;
  const marker = o === '-I' ? options[at + 1] ?? '{}' : o.startsWith('-I') ? o.slice(2) : o.includes('=') ? o.slice(o.indexOf('=') + 1) : '{}';
  const line = input.split('\n').find((l) => l.trim() !== '') ?? '';
  return command.map((w) => (w.text.includes(marker) ? literal(w.text.split(marker).join(line.trim())) : w));
}

/** The text a word as written stands for when it holds only literal characters, quotes and escapes. */
function unquoteStatic(raw: string): string | undefined {
  if (/[$`]/.test(raw)) return undefined;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end === -1) return undefined;
      out += raw.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < raw.length && raw[j] !== '"'; j++) {
        if (raw[j] === '\\' && /["\\]/.test(raw[j + 1] ?? '')) j++;
        out += raw[j];
      }
      if (j >= raw.length) return undefined;
      i = j;
    } else if (c === '\\') out += raw[++i] ?? '';
    else out += c;
  }
  return out;
}

/**
 * The words after brace expansion (`rm -rf /{etc,usr}` runs `rm -rf /etc /usr`). A word whose
 * alternatives cannot be read exactly (a substitution inside the braces) is kept as written.
 */
function braceWords(words: Word[]): Word[] {
  let out: Word[] | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    // Any unquoted brace of the word as written is in its text too; reading `node.text` crosses into wasm.
    const raw = w.text.includes('{') ? asWritten(w) : '';
    // Without a `,` or `..` no braces expand (expandBraces would give the word back): `{}` of find -exec.
    const alts = raw.includes('{') && (raw.includes(',') || raw.includes('..')) ? expandBraces(raw) : undefined;
    if (!alts || (alts.length === 1 && alts[0] === raw)) {
      out?.push(w);
      continue;
    }
    const texts = alts.map(unquoteStatic);
    const fromText = expandBraces(w.text);
    const ok = texts.every((t) => t !== undefined) || fromText.length === alts.length;
    out ??= words.slice(0, i);
    if (!ok) {
      out.push(w);
      continue;
    }
    // Unquoted empty results are dropped, as bash drops them (`x{a,}` is `xa x`, `{a,}` is `a`).
    alts.forEach((a, k) => { if (a !== '') out!.push({ ...w, raw: a, text: texts[k] ?? fromText[k]!, node: undefined }); });
  }
  return out ?? words;
}

/**
 * The `substituted` of an invocation none of whose `count` words substitutes anything (most): one
 * shared, frozen list per length, as NO_SUBSTITUTIONS is for a word. Rules only read it; a push
 * into it would throw (inspection fails closed).
 */
function noSubstitutions(count: number): string[][] {
  let list = noSubstitutionLists[count];
  if (list === undefined) {
    list = Object.freeze(new Array<string[]>(count).fill(NO_SUBSTITUTIONS)) as unknown as string[][];
    if (count < 64) noSubstitutionLists[count] = list;
  }
  return list;
}
const noSubstitutionLists: string[][][] = [];

/** A program word shaped like an injection payload (see emit). */
const INJECTION_SHAPE = /%[0-9a-f]{2}|\\n|.\\r|\\r\/|[;|&`\n]/i;

function emit(unexpanded: Word[], env: string[], ctx: Ctx, node: Located): void {
  const words = braceWords(unexpanded);
  const first = words[0];
  if (!first) return;
  const program = programName(first.text.trim());
  if (!program) return;
  // One pass over the arguments (words after the first) for what the invocation records of them;
  // the arguments as words (`rest`) are only sliced off for the few programs that run another. The
  // lists are made at their final length and filled (every element is set): an empty list grown by
  // push reserves 17 slots, and every invocation keeps both lists.
  const count = words.length;
  const args: string[] = new Array<string>(count - 1);
  let substitutes = first.substituted !== NO_SUBSTITUTIONS;
  let globChars = false;
  let dynamic = first.dynamic;
  for (let k = 1; k < count; k++) {
    const w = words[k]!;
    args[k - 1] = w.text;
    if (w.substituted !== NO_SUBSTITUTIONS) substitutes = true;
    if (!globChars && GLOB_CHARS.test(w.text)) globChars = true;
    if (w.dynamic) dynamic = true;
  }
  let substituted: string[][];
  if (substitutes) {
    substituted = new Array<string[]>(count);
    for (let k = 0; k < count; k++) substituted[k] = words[k]!.substituted;
  } else substituted = noSubstitutions(count);
  // What loc(node, ctx) gives, without an object for it: the invocation keeps only the two numbers.
  const origin = ctx.origin;
  const start = origin ? undefined : node.startPosition;
  const inv: Invocation = {
    program, args, via: ctx.via, line: origin?.line ?? start!.row + 1, column: origin?.column ?? start!.column + 1,
    upstream: ctx.upstream, redirects: ctx.redirects, env, programDynamic: first.dynamic || unquotedGlob(asWritten(first)), substituted,
  };
  if (globChars) {
    const globbed: boolean[] = new Array<boolean>(count - 1);
    for (let k = 1; k < count; k++) globbed[k - 1] = unquotedGlob(asWritten(words[k]!));
    if (globbed.includes(true)) inv.globbed = globbed;
  }
  if (first.text.includes('/')) inv.path = first.text;
  // `\rm` is a quoting trick handled above; `\n` inside or before a path is an injection payload.
  if (first.type !== 'command_substitution' && INJECTION_SHAPE.test(asWritten(first))) inv.injectionShape = true;
  if (dynamic) inv.dynamic = true;
  if (ctx.stdinText !== undefined) inv.stdinText = ctx.stdinText;
  ctx.out.invocations.push(inv);
  rememberWrittenCode(inv, ctx);
  if (env.length) {
    codeInAssignments(env, node, ctx);
    if (SHELLS.has(program)) startupFiles(env, node, ctx);
  }

  if (ctx.depth >= MAX_DEPTH) {
    ctx.out.findings.push(finding('shell.too-deep', { location: loc(node, ctx) }));
    return;
  }
  if (program === 'alias') {
    for (const a of args) {
      const eq = a.indexOf('=');
      if (eq > 0) nested('shell', a.slice(eq + 1), [...ctx.via, 'alias'], deeper(ctx), node);
    }
    return;
  }
  const ran = writtenCodeRun(inv, first.text, ctx);
  if (ran) nested(ran.language, ran.code, [...ctx.via, `${program} ${ran.file}`], deeper(ctx), node);
  if (AWKS.has(program)) {
    // awk runs shell commands of its own: system("…"), print | "…", "…" | getline.
    const script = awkProgram(args);
    if (script) for (const command of awkCommands(script)) nested('shell', command, [...ctx.via, `${program} system`], deeper(ctx), node);
  }
  const inner = unwrap(program, args);
  if (!inner) return emitStdinCode(program, args, ctx, node);
  const rest = words.slice(1);
  if (inner.kind === 'argv' && inner.via === 'find -exec') {
    // Every -exec/-execdir/-ok runs its own command, ended by `;` or `+`.
    for (let i = 0; i < rest.length; i++) {
      if (!FIND_EXEC.has(rest[i]!.text)) continue;
      const end = rest.findIndex((w, j) => j > i && (w.text === ';' || w.text === '+'));
      emit(rest.slice(i + 1, end === -1 ? undefined : end), [], deeper(ctx, [...ctx.via, 'find -exec']), node);
      if (end !== -1) i = end;
    }
  } else if (inner.kind === 'argv') {
    const command = inner.via === 'xargs' && ctx.stdinText !== undefined ? xargsInput(rest, inner.index, ctx.stdinText) : rest.slice(inner.index);
    emit(command, [], deeper(ctx, [...ctx.via, inner.via]), node);
  } else if (inner.kind === 'code') {
    const code = inner.attached !== undefined ? { ...rest[0]!, text: inner.attached } : rest[inner.code];
    if (code) inlineCode(inner.language, [code], [...ctx.via, inner.via], deeper(ctx), node);
  } else if (inner.kind === 'joined-shell') {
    inlineCode('shell', rest.slice(inner.from), [...ctx.via, inner.via], deeper(ctx), node);
  }
  emitStdinCode(program, args, ctx, node);
}

/** An interpreter that reads its program from stdin runs the literal text piped into it (`echo CODE | sh`). */
function emitStdinCode(program: string, args: string[], ctx: Ctx, node: Located): void {
  if (ctx.stdinText === undefined) return;
  const language = stdinLanguage(program);
  if (language && readsCodeFromStdin(program, args)) {
    nested(language, ctx.stdinText, [...ctx.via, `${program} <stdin`], deeper(ctx), node);
  }
}

/**
 * `BASH_ENV=setup.sh bash -c …`: a non-interactive bash sources that file before anything else
 * (`ENV=` for sh, dash and ksh): read as a `. FILE` run first, so the file is followed like any
 * sourced script (script-files reads it from the workspace).
 */
function startupFiles(env: string[], node: Located, ctx: Ctx): void {
  for (const e of env) {
    const m = /^(BASH_ENV|ENV)=(.+)$/s.exec(e);
    if (!m) continue;
    // The value as the shell would read it: a process substitution (`<(curl …)`) or a variable stays code.
    const value = m[2]!;
    const file = /^<\(.*\)$|^[\w./~$@{}+-]+$/s.test(value) ? value : shellQuote([value.replace(/^(['"])(.*)\1$/s, '$2')]);
    nested('shell', `. ${file}`, [...ctx.via, m[1]!], deeper(ctx), node);
  }
}

function inlineCode(language: 'shell' | 'python' | 'javascript' | 'script', words: Word[], via: string[], ctx: Ctx, node: Located): void {
  if (words.some((w) => w.dynamic)) {
    ctx.out.findings.push(finding('shell.eval-dynamic', { location: loc(node, ctx), match: words.map((w) => w.text).join(' ') }));
  }
  nested(language, words.map((w) => w.text).join(' '), via, ctx, node);
}

function nested(language: 'shell' | 'python' | 'javascript' | 'script', code: string, via: string[], ctx: Ctx, node: Located): void {
  const result = ctx.engine.analyze(language, code, { via, depth: ctx.depth, origin: loc(node, ctx) });
  // Programs found inside inline code inherit what is piped into the outer command.
  for (const inv of result.invocations) if (!inv.upstream.length && ctx.upstream.length) inv.upstream = ctx.upstream;
  ctx.out.invocations.push(...result.invocations);
  ctx.out.findings.push(...result.findings);
}

function pipeline(node: Node, ctx: Ctx): void {
  const steps: Node[] = [];
  for (const child of node.namedChildren) if (child) steps.push(child);
  pipe(steps.length, (k, c) => walk(steps[k]!, c), ctx);
}

/**
 * Runs the `count` steps of a pipeline (`step(k, ctx)` walks step k): each sees the programs before
 * it as upstream, and echo's literal output as stdin.
 */
function pipe(count: number, step: (index: number, c: Ctx) => void, ctx: Ctx): void {
  // Upstream lists are never changed once made (each step gets a new one): the first step shares ctx's.
  let upstream: Upstream[] = ctx.upstream;
  let stdinText = ctx.stdinText;
  const invocations = ctx.out.invocations; // only ever appended to
  for (let index = 0; index < count; index++) {
    const before = invocations.length;
    step(index, derive(ctx, ctx.via, ctx.depth, upstream, index === 0 ? ctx.stdinText : stdinText, NO_REDIRECTS));
    if (index + 1 === count) break; // nothing follows the last step
    // The next step's upstream: this one's and the programs this step ran, in a list of its final length.
    const next = new Array<Upstream>(upstream.length + invocations.length - before);
    for (let k = 0; k < upstream.length; k++) next[k] = upstream[k]!;
    for (let k = before; k < invocations.length; k++) next[upstream.length + k - before] = { program: invocations[k]!.program, args: invocations[k]!.args };
    upstream = next;
    stdinText = invocations.length === before + 1 ? literalOutputOf(invocations[before]!) : undefined;
  }
}

/** What `echo …`/`printf …` with literal arguments writes, so `echo CODE | sh` is analysed as code. */
function literalOutput(produced: Invocation[]): string | undefined {
  return produced.length === 1 ? literalOutputOf(produced[0]!) : undefined;
}

/** literalOutput of one invocation. */
function literalOutputOf(inv: Invocation): string | undefined {
  if (inv.dynamic || (inv.program !== 'echo' && inv.program !== 'printf')) return undefined;
  const args = inv.program === 'echo' ? inv.args.filter((a) => !/^-[neE]+$/.test(a)) : inv.args.slice(0, 1);
  const text = args.join(' ');
  // Only a backslash starts an escape to decode: most output has none, and is returned as it is.
  if (!text.includes('\\')) return text;
  return text.replace(/\\n/g, '\n').replace(/\\x([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function redirectOf(node: Node, ctx: Ctx): Redirect[] {
  const walkSub = (sub: Node): string[] => substitution(sub, ctx);
  if (node.type === 'herestring_redirect') return [];
  const op = node.children.find((c) => c && !c.isNamed)?.type ?? '>';
  const dest = node.childForFieldName('destination');
  if (!dest) return node.namedChildren.filter((c) => c && c.type !== 'file_descriptor').map((c) => ({ op, target: c!.text }));
  // A glob target names the one file it matches (bash refuses a redirection to several).
  return wordsOf(dest, walkSub).map((w) => (unquotedGlob(asWritten(w)) ? { op, target: w.text, globbed: true } : { op, target: w.text }));
}

function redirected(node: Node, ctx: Ctx): void {
  const redirects: Redirect[] = [...ctx.redirects];
  let stdinText = ctx.stdinText;
  const followers: Node[] = [];
  const walkSub = (sub: Node): string[] => substitution(sub, ctx);
  for (const r of node.childrenForFieldName('redirect')) {
    if (!r) continue;
    if (r.type === 'file_redirect') redirects.push(...redirectOf(r, ctx));
    else if (r.type === 'herestring_redirect') {
      const value = r.namedChildren.find((c) => c);
      if (value) stdinText = wordsOf(value, walkSub).map((w) => w.text).join(' ');
    } else if (r.type === 'heredoc_redirect') {
      const body = r.namedChildren.filter((c) => c && c.type === 'heredoc_body').map((c) => c!.text).join('\n');
      stdinText = body;
      for (const c of r.namedChildren) if (c && !['heredoc_start', 'heredoc_body', 'heredoc_end', 'file_redirect'].includes(c.type)) followers.push(c);
      for (const c of r.namedChildren) if (c && c.type === 'file_redirect') redirects.push(...redirectOf(c, ctx));
    }
  }
  const body = node.childForFieldName('body');
  const before = ctx.out.invocations.length;
  if (body && (body.type === 'pipeline' || body.type === 'list') && redirects.length > ctx.redirects.length) {
    // `echo x | cat >> /etc/passwd`: the redirection is cat's alone, not the pipeline's.
    let tail: Node = body;
    while ((tail.type === 'pipeline' || tail.type === 'list') && tail.lastNamedChild) tail = tail.lastNamedChild;
    trailing.set(tail.id, redirects.slice(ctx.redirects.length));
    try {
      walk(body, derive(ctx, ctx.via, ctx.depth, ctx.upstream, stdinText, ctx.redirects));
    } finally {
      trailing.delete(tail.id);
    }
  } else if (body) walk(body, derive(ctx, ctx.via, ctx.depth, ctx.upstream, stdinText, redirects));
  const produced = ctx.out.invocations.slice(before);
  // `cat <<EOF | python3`: the heredoc flows through cat into the rest of the pipeline.
  const passes = produced.length === 1 && produced[0]!.program === 'cat' && produced[0]!.args.length === 0;
  const upstream = [...ctx.upstream, ...produced.map((p) => ({ program: p.program, args: p.args }))];
  for (const f of followers) walk(f, derive(ctx, ctx.via, ctx.depth, upstream, passes ? stdinText : undefined, NO_REDIRECTS));
}

function functionDefinition(node: Node, ctx: Ctx): void {
  const name = node.childForFieldName('name')?.text;
  const body = node.childForFieldName('body');
  if (!body) return;
  const before = ctx.out.invocations.length;
  walk(body, plain(ctx, [...ctx.via, `function ${name ?? ''}`.trim()]));
  const selfCalls = ctx.out.invocations.slice(before).filter((i) => i.program === name).length;
  if (name && selfCalls > 0 && /[|&]/.test(body.text)) ctx.out.findings.push(finding('shell.fork-bomb', { location: loc(node, ctx), match: node.text }));
}
