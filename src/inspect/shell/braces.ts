/**
 * @module inspect/shell/braces
 * Bash brace expansion of a word as written: `/{etc,usr}` is two words, `/etc` and `/usr`, before
 * any other expansion, so `rm -rf /{etc,usr}` deletes both and a rule that only saw the text
 * `/{etc,usr}` would miss it. Follows bash's rules: a pair expands when it holds a comma or `..` at
 * its own level (`{a,b}`, nested `{a,b{c,d}}`, empty items `{a,}`) or is a sequence (`{1..3}`,
 * `{01..10..3}`, `{a..e}`); a `}` before any such separator is text (`x{},a}`), braces inside
 * quotes, after a backslash, in `${…}` and `$(…)` stay as they are, and a `{` that starts the word
 * followed by `}` (`find -exec {} +`) is text. Expansion stops at `MAX_BRACE_WORDS` words: what a
 * rule needs to see is in the first few, and a word like `{1..9999999}` must not cost memory.
 */

/** At most this many words come out of one word. */
export const MAX_BRACE_WORDS = 256;

/** Where a scan for `stop` ended: the index of `stop`, or the text's length when there is none. */
function scan(raw: string, from: number, stop: '{' | '}' | ','): number {
  let level = 0;
  let quote = '';
  let separators = stop === '}' ? 0 : 1;
  for (let i = from; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && quote !== "'") {
      i++;
      continue;
    }
    if (c === '$' && raw[i + 1] === '{' && quote !== "'") {
      i++; // `${` opens a level of its own; its `{` is no brace expansion
      if (!quote) level++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      continue;
    }
    if ((c === '$' || c === '<' || c === '>') && raw[i + 1] === '(') {
      i = closeParen(raw, i + 2);
      continue;
    }
    if (c === stop && level === 0 && separators > 0) {
      if (c === '{' && i === 0 && raw[1] === '}') continue; // `{}` starting the word is text
      return i;
    }
    if (c === '{') level++;
    else if (c === '}' && level) level--;
    else if (stop === '}' && level === 0 && (c === ',' || (c === '.' && raw[i + 1] === '.' && raw[i + 2] !== '}'))) separators++;
  }
  return raw.length;
}

/** Index of the `)` that closes a substitution whose body starts at `from` (quotes respected). */
function closeParen(raw: string, from: number): number {
  let depth = 1;
  let quote = '';
  for (let i = from; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && quote !== "'") i++;
    else if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return raw.length;
}

/** The words of a sequence body (`1..5`, `05..1..2`, `a..e`), or undefined when it is none. */
function sequence(body: string): string[] | undefined {
  const m = /^([+-]?\d+|[A-Za-z])\.\.([+-]?\d+|[A-Za-z])(?:\.\.([+-]?\d+))?$/.exec(body);
  if (!m) return undefined;
  const [lhs, rhs] = [m[1]!, m[2]!];
  const chars = /^[A-Za-z]$/.test(lhs);
  if (chars !== /^[A-Za-z]$/.test(rhs)) return undefined;
  const a = chars ? lhs.charCodeAt(0) : Number(lhs);
  const b = chars ? rhs.charCodeAt(0) : Number(rhs);
  const step = Math.abs(Number(m[3] ?? 1)) || 1;
  const padded = (t: string): boolean => /^[+-]?0\d/.test(t);
  const width = !chars && (padded(lhs) || padded(rhs)) ? Math.max(lhs.length, rhs.length) : 0;
  const out: string[] = [];
  for (let v = a; (a <= b ? v <= b : v >= b) && out.length < MAX_BRACE_WORDS; v += a <= b ? step : -step) {
    if (chars) out.push(String.fromCharCode(v));
    else out.push(v < 0 ? `-${String(-v).padStart(width - 1, '0')}` : String(v).padStart(width, '0'));
  }
  return out;
}

/** Every `a` followed by every `b`, at most MAX_BRACE_WORDS of them. */
function product(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (const x of a) {
    for (const y of b) {
      out.push(x + y);
      if (out.length >= MAX_BRACE_WORDS) return out;
    }
  }
  return out;
}

/**
 * The words a word expands to by brace expansion, quotes and escapes kept as written; `[raw]`
 * when it has nothing to expand.
 *
 * @example
 * expandBraces('/{etc,usr}')       // ['/etc', '/usr']
 * expandBraces('a{b,c{d,e}}f')     // ['abf', 'acdf', 'acef']
 * expandBraces("'{a,b}'")          // ["'{a,b}'"]
 * expandBraces('file{1..3}.txt')   // ['file1.txt', 'file2.txt', 'file3.txt']
 */
export function expandBraces(raw: string): string[] {
  if (!raw.includes('{')) return [raw];
  // The first `{` that has a closing `}` with a separator before it starts the expansion.
  let open = scan(raw, 0, '{');
  let close = raw.length;
  while (open < raw.length) {
    close = scan(raw, open + 1, '}');
    if (close < raw.length) break;
    open = scan(raw, open + 1, '{');
  }
  if (open >= raw.length) return [raw];
  const preamble = raw.slice(0, open);
  const amble = raw.slice(open + 1, close);
  const postamble = raw.slice(close + 1);
  let items: string[];
  if (/^(?:[^\\,]|\\.)*$/.test(amble)) {
    // No comma at all (bash only skips escapes here): a sequence, or the braces are text.
    const seq = sequence(amble);
    if (seq) items = seq;
    else if (postamble) items = [`{${amble}}`];
    else return [raw];
  } else {
    items = [];
    for (let from = 0; from <= amble.length;) {
      const at = scan(amble, from, ',');
      items.push(...expandBraces(amble.slice(from, at)));
      from = at + 1;
      if (items.length >= MAX_BRACE_WORDS) break;
    }
  }
  const words = product([preamble], items);
  return postamble ? product(words, expandBraces(postamble)) : words;
}
