/**
 * @module inspect/shell/split
 * Splits a long shell script into top-level pieces at newlines a cheap scanner knows are statement
 * ends (no open quote, bracket, substitution, heredoc, line continuation or if/for/while/case
 * block). tree-sitter-bash parses many small pieces much faster than one long script (its cost grows
 * faster than the length, most of all after an error), and an error stays inside its piece. The
 * scanner is conservative: when unsure it does not split, and the engine merges a piece that does
 * not parse with the pieces after it before it reports a parse error.
 */

/** Text that is not only white space (what `trim()` would leave non-empty, without making the trimmed copy). */
const NOT_BLANK = /\S/;

/** One piece of a script and the 0-based line it starts on. */
export interface ScriptPiece {
  text: string;
  line: number;
}

const OPEN = new Set(['if', 'for', 'while', 'until', 'case', 'select']);
const CLOSE = new Set(['fi', 'done', 'esac']);
const KEEP_CMD = new Set(['then', 'do', 'else', 'elif', 'fi', 'done', 'esac', 'time', 'sudo', 'exec', 'command', 'builtin']);
const WORD_END = /[\s;&|()<>]/;
/** WORD_END over ASCII character codes (the scanner tests every character). */
const WORD_END_CODES = new Uint8Array(128).map((_, code) => (WORD_END.test(String.fromCharCode(code)) ? 1 : 0));

/**
 * ASCII characters that, inside a word (not at its start, not in quotes), only continue it: none of
 * the characters the scanner acts on (quotes, escapes, comments, brackets, operators, `<`, newline)
 * and none that ends a word.
 */
const INSIDE_WORD_CODES = new Uint8Array(128).map((_, code) => (WORD_END_CODES[code] === 1 || '\n\'"`\\#(){};&|<'.includes(String.fromCharCode(code)) ? 0 : 1));

/** True when the character at `i` ends a word (WORD_END). */
function endsWord(code: string, i: number): boolean {
  const c = code.charCodeAt(i);
  return c < 128 ? WORD_END_CODES[c] === 1 : WORD_END.test(code[i]!);
}

/**
 * Pieces of `code` that are complete top-level statements (each one line or more).
 *
 * @example
 * splitScript('ls\nif x; then\n y\nfi\npwd').map((p) => p.line) // [0, 1, 4]
 */
export function splitScript(code: string): ScriptPiece[] {
  const pieces: ScriptPiece[] = [];
  const n = code.length;
  let start = 0;
  let startLine = 0;
  let line = 0;
  let depth = 0; // ( { $( ${ [[ nesting
  let blocks = 0; // if/for/while/case … not yet closed
  let quote = ''; // ' " or `
  const heredocs: { tag: string; strip: boolean }[] = [];
  let wordStart = true;
  let cmdPos = true; // the next word is in command position (where if/for/… are keywords)
  let i = 0;
  while (i < n) {
    const c = code.charCodeAt(i);
    if (!quote && !wordStart && c < 128 && INSIDE_WORD_CODES[c] === 1) {
      // Inside a word, a character with no meaning of its own: what the general steps below do for it.
      cmdPos = false;
      i++;
      continue;
    }
    if (quote) {
      const ch = code[i]!;
      if (ch === '\\' && quote !== "'") { if (code[i + 1] === '\n') line++; i += 2; continue; }
      if (ch === '\n') line++;
      if (ch === quote || (quote === 'A' && ch === "'")) quote = '';
      i++;
      continue;
    }
    if (c === 10) { // newline
      line++;
      i++;
      if (heredocs.length) {
        // Skip heredoc bodies up to their delimiter lines.
        while (heredocs.length && i < n) {
          const end = code.indexOf('\n', i);
          const text = code.slice(i, end < 0 ? n : end);
          const h = heredocs[0]!;
          if ((h.strip ? text.replace(/^\t+/, '') : text) === h.tag) heredocs.shift();
          i = end < 0 ? n : end + 1;
          if (end >= 0) line++;
        }
        if (heredocs.length) break; // unterminated heredoc: the rest stays one piece
      }
      if (depth === 0 && blocks === 0) {
        const text = code.slice(start, i);
        if (NOT_BLANK.test(text)) pieces.push({ text, line: startLine });
        start = i;
        startLine = line;
      }
      wordStart = true;
      cmdPos = true;
      continue;
    }
    const ch = code[i]!;
    if (ch === '\\') { if (code[i + 1] === '\n') line++; i += 2; wordStart = false; continue; }
    // $'…' (ANSI-C) lets a backslash escape the quote: 'A' marks it.
    if (ch === "'" || ch === '"' || ch === '`') { quote = ch === "'" && code[i - 1] === '$' ? 'A' : ch; i++; wordStart = false; continue; }
    if (ch === '#' && wordStart) {
      const end = code.indexOf('\n', i);
      i = end < 0 ? n : end;
      continue;
    }
    if (ch === '(' || ch === '{') { wordStart = cmdPos = code[i - 1] !== '$'; depth++; i++; continue; }
    if (ch === ')' || ch === '}') { depth = Math.max(0, depth - 1); i++; wordStart = true; cmdPos = false; continue; }
    if (ch === ';' || ch === '&' || ch === '|') { i++; wordStart = cmdPos = true; continue; }
    if (ch === '<' && code[i + 1] === '<' && code[i + 2] === '<') { i += 3; wordStart = true; continue; }
    if (ch === '<' && code[i + 1] === '<') {
      const m = /^<<(-?)\s*(['"]?)([A-Za-z0-9_.-]+)\2(?=[\s;&|<>)]|$)/.exec(code.slice(i, i + 80));
      if (m) { heredocs.push({ tag: m[3]!, strip: m[1] === '-' }); i += m[0].length; wordStart = false; continue; }
      return [{ text: code, line: 0 }]; // a heredoc form this scanner does not know: do not split
    }
    if (wordStart && c >= 97 && c <= 122) { // a-z
      let j = i;
      while (j < n && code.charCodeAt(j) >= 97 && code.charCodeAt(j) <= 122) j++;
      const word = j >= n || endsWord(code, j) ? code.slice(i, j) : '';
      if (cmdPos && OPEN.has(word)) blocks++;
      else if (cmdPos && CLOSE.has(word)) blocks = Math.max(0, blocks - 1);
      cmdPos = KEEP_CMD.has(word);
      i = j;
      wordStart = false;
      continue;
    }
    wordStart = endsWord(code, i);
    if (!wordStart) cmdPos = false;
    i++;
  }
  const rest = code.slice(start);
  if (NOT_BLANK.test(rest) || !pieces.length) pieces.push({ text: rest, line: startLine });
  return pieces;
}
