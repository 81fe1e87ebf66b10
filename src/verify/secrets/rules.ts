/**
 * @module verify/secrets/rules
 * Built-in secret detectors: well-known credential formats (checksums verified where the format
 * has one), private keys, JWTs, URLs with passwords, and generic `password=`/`api_key=`
 * assignments judged by placeholder filters with entropy as a supporting signal.
 */
import type { DetectorRule } from '../types.js';
import { githubTokenChecksumOk, nkeySeedChecksumOk, shannonEntropy } from '../checksums.js';
import { isSpace, isTokenChar } from '../engine.js';

const REMEDIATE = 'Treat this credential as exposed: revoke it, and keep secrets out of program output and files.';

/** Values that look like assignments but are placeholders, references or prose. */
const PLACEHOLDER = /^(?:x+|\*+|\.+|-+|#+|0+|1234.*|password\d*|passwd|pass|secret|token|changeme|change_me|example\w*|dummy\w*|sample\w*|test|testing|none|null|nil|true|false|undefined|redacted|hidden|placeholder|<[^>]*>?|\$\{?\w*\}?|%\w*%?|\{\{.*|process\.env.*|os\.environ.*|getenv.*|env\[.*|str|string|int|bool|required|optional|default)$/i;

/**
 * `my_password`, `YourApiKey`, `MY-SECRET-2`: "my" or "your" and then words (lower, UPPER or
 * Capitalized, joined by `_` or `-`), with a few digits at most. A random credential that only
 * happens to start with "my" (`MYGWbJxp…`) mixes cases or digits inside and is not one.
 */
const PLACEHOLDER_OWNER = /^(?:(?:my|your)[a-z_-]*|(?:MY|YOUR)[A-Z_-]*|(?:[Mm]y|[Yy]our)(?:[_-]?[A-Z][a-z]+)+)\d{0,3}$/;

/**
 * Judges a generic assigned value: rejects placeholders, references and words; returns a
 * confidence that grows with character classes and entropy.
 */
export function judgeAssignedValue(raw: string, context = '', match = ''): number {
  const value = raw.trim();
  // The cheapest rejections first (each test before the score returns 0, so order does not matter).
  if (value.length < 6 || value.length > 256 || PLACEHOLDER.test(value) || /^[A-Za-z_][\w.]*\(/.test(value)) return 0;
  if (PLACEHOLDER_OWNER.test(value)) return 0;
  if (/^[a-z][a-z+.-]{1,15}:\/\/[^\s@/]+(?:[/?#][^\s@]*)?$/i.test(value)) return 0; // a URL with no credentials in it
  const name = context.slice(-24) + match.slice(0, Math.max(0, match.indexOf(raw)));
  if (/pub(?:lic)?[_.-]?key|key[_.-]?(?:id|name|file|size|len|length|store|space|word|ring|chars|type|path|vault|pair|board|code|stroke|frame)|token[_.-]?(?:type|url|uri|endpoint|file|path|name|expir)|pub(?:lic)?[_.-]?token|csrf|xsrf|(?:primary|foreign|sort|partition|cache|map|hash|object|dict)[_.-]?key\b\W*$/i.test(name)) return 0;
  // A name for metadata about a credential (its id, name, length, where it is kept), not the credential.
  if (/(?:pass\w*|secret\w*|token\w*|key\w*|credentials?)[_.-](?:id|name|type|path|file|url|uri|len|length|size|count|hint|field|label|ref|version|prefix|suffix|format|header|param|provider|source|arn|ttl|expiry|expires|template|form|view|page|generator|validator|handler|col|column|required|policy|regex|pattern|rule|min|max|strength|timeout|enabled)\b["'`\]]?\W*$/i.test(name)) return 0;
  if (/^[\w.-]+(?:\/[\w.-]+)+\.[a-z]{2,5}$/i.test(value)) return 0; // a relative file path
  if (/^(?:\.{0,2}\/|~\/)|\.(?:pem|p12|keytab|key|crt|json|ya?ml|txt|cfg|conf|jks|pfx)$/i.test(value)) return 0;
  if (/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/.test(value) && !value.split('.').some((seg) => /[a-z]/.test(seg) && /[A-Z]/.test(seg) && /\d/.test(seg))) return 0; // a reference like config.db_pass
  if (PLACEHOLDER.test(value.replace(/^[<[{(]+|[>\]})]+$/g, ''))) return 0;
  if (/\$\{\s*[\w.:-]+\s*\}|\{\{\s*[\w.|'" -]+\s*\}\}|\$\([\w ./-]+\)/.test(value)) return 0; // a template or substitution, filled in elsewhere
  if (!/[A-Za-z0-9]/.test(value)) return 0; // punctuation only: a separator or mask, not a credential
  if (/(?:\.\.\.|…)$/.test(value)) return 0; // elided in documentation or a log
  if (/^[A-Za-z][A-Za-z_-]*[-_]v?\d+(?:\.\d+){1,3}$/.test(value)) return 0; // an artifact name and version
  if (match.includes(`\`${raw}\``) && /\s/.test(value)) return 0; // a backtick command substitution
  if (/^[a-z]+(?:[._-][a-z]+)*\(?$/i.test(value) && value.length < 12) return 0; // identifiers like `self.password`
  if (/^\.[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/.test(value)) return 0; // a hidden file's name: `['.pgpass', '.git-credentials']`
  if (/^(?:self|this|config|settings|args|opts|options|params|request|req|os|env)\b[.[]/.test(value)) return 0;
  if (/^(.)\1+$/.test(value)) return 0;
  if (/^(?:\$\{.*\}|\{[A-Za-z_]+\d*\}|\$\(.*\)|\$[A-Za-z_]\w*|%[A-Za-z_]\w*%)$/.test(value)) return 0;
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/\d/.test(value)) classes++;
  if (/[^A-Za-z0-9]/.test(value)) classes++;
  const entropy = shannonEntropy(value);
  if (classes === 1 && entropy < 3) return 0.3;
  return Math.min(1, 0.55 + 0.1 * classes + (entropy > 3.5 ? 0.1 : 0));
}

function jwtConfidence(token: string): number {
  try {
    const header = token.slice(0, token.indexOf('.')).replace(/-/g, '+').replace(/_/g, '/');
    const json = JSON.parse(atob(header.padEnd(Math.ceil(header.length / 4) * 4, '='))) as unknown;
    return json && typeof json === 'object' ? 1 : 0.4;
  } catch {
    return 0.4; // the header of a JWT is base64url JSON; anything else is a lookalike
  }
}

/** A base64-encoded PEM block: a private key, unless its headers say it is passphrase-encrypted. */
function base64PemConfidence(value: string): number {
  const head = Buffer.from(value.slice(0, 160), 'base64').toString('latin1');
  if (!/^-----BEGIN [A-Z0-9 ]*PRIVATE/.test(head)) return 0;
  return /ENCRYPTED/.test(head) ? 0 : 1;
}

const secret = (r: Omit<DetectorRule, 'kind' | 'remediation'> & { remediation?: string }): DetectorRule => ({
  kind: 'secret',
  remediation: REMEDIATE,
  ...r,
});

/** Names that introduce a generic credential assignment (with common abbreviations). */
const NAME = String.raw`(?:pass(?:wd|word|phrase|wrd)?|pa?s{1,2}w?o?r?d|pswd|pw|pwd|secrete?|token|api[_-]?key|apikey|access[_-]?key|auth(?:[_-]?(?:key|token))?|private[_-]?key|client[_-]?secret|credentials?|salt|key)s?(?:[_.-]?(?:value|str|string|secure|super[_.-]?secure|b64|base64|hash|\d{1,3}))?`;
/** A quoted value (double, single, backtick, HTML-escaped quotes). */
const QUOTED = String.raw`(?:[rbuf@]?"([^"\n]{4,256})"|[rbuf]?'([^'\n]{4,256})'|` + '`([^`\\n]{4,256})`' + String.raw`|&quot;([^&\n]{4,256})&quot;)`;
/** An unquoted value after an explicit assignment. */
const BARE = String.raw`([^\s"'` + '`' + String.raw`,;]{6,256})`;
const ASSIGN = String.raw`(?:\[\d*\])?["'` + '`' + String.raw`\]]?(?:\s*:\s*[A-Za-z_][\w.]*(?=\s*=))?\s*(?:(?:===|!==|==|!=|:{1,3}=|=>|\?\?=|\?=|\|\|=|=|:)[ \t]*(?:${QUOTED}|${BARE})|(?:\s*,\s*|\s+(?:is\s+|to\s+|by\s+)?)${QUOTED}|\s+is\s+${BARE}|\s+for\s+[\w.@-]{1,32}\s*:[ \t]*${BARE})`;

/**
 * The pattern source `source` with every `\s` outside a character class made `[^\S\n]`
 * (whitespace but a newline), so that no match spans lines. The gated rules (`keywordCheck`) are
 * line-local: their pattern runs on the lines a keyword occurrence passed the check on, so a
 * match reaching into the next line would be found only when that line happened to be scanned
 * too. They also take the `m` flag: `^` and `$` then mean the line's start and end whether the
 * rule runs on one line, on several, or on the whole text.
 */
export function lineLocal(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      out += !inClass && next === 's' ? '[^\\S\\n]' : c + next;
      i++;
    } else {
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      out += c;
    }
  }
  return out;
}

/** Per character code below 128: 1 for the characters `assignmentFollows` skips after a name (`[A-Za-z0-9_.\-[\]"'`]`). */
const NAME_TAIL = Uint8Array.from({ length: 128 }, (_, c) => (/[A-Za-z0-9_.\-[\]"'`]/.test(String.fromCharCode(c)) ? 1 : 0));
/** 1 for the characters an assignment can go on with after the name and spaces: an operator, `,`, a quote, `&quot;`. */
const ASSIGN_START = Uint8Array.from({ length: 128 }, (_, c) => ('=!:?|,"\'`&'.includes(String.fromCharCode(c)) ? 1 : 0));
const lowerCode = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);
const isQuoteCode = (c: number): boolean => c === 34 || c === 39 || c === 96;
/** Per character code below 128: 1 for the characters of an Authorization credential (`[A-Za-z0-9._~+/-]`). */
const AUTH_TOKEN = Uint8Array.from({ length: 128 }, (_, c) => (/[A-Za-z0-9._~+/-]/.test(String.fromCharCode(c)) ? 1 : 0));

/**
 * `keywordCheck` of `secrets.generic-assignment`: after a keyword of `NAME`, past the rest of the
 * name (letters, digits, `_.-`, an index `[0]`, a closing quote or bracket) and any spaces, an
 * assignment must follow: an operator, `,`, a quote or `&quot;`, the words `is`, `to`, `by` or
 * `for`, or a string prefix (`r"`, `b'`, `@"`). Exact as a filter: every character `NAME` and the
 * start of `ASSIGN` can hold before that point is one the scan skips, so it stops where `ASSIGN`
 * goes on. Prose that only mentions a password ("the password expired") fails here and its line
 * is not scanned for this rule.
 */
export function assignmentFollows(text: string, _at: number, end: number): boolean {
  const n = text.length;
  let i = end;
  for (let c = text.charCodeAt(i); i < n && c < 128 && NAME_TAIL[c] === 1; c = text.charCodeAt(++i));
  while (i < n && isSpace(text.charCodeAt(i))) i++;
  if (i >= n) return false;
  const c = text.charCodeAt(i);
  if (c < 128 && ASSIGN_START[c] === 1) return true;
  const c1 = lowerCode(text.charCodeAt(i + 1));
  switch (lowerCode(c)) {
    case 105: return c1 === 115 && isSpace(text.charCodeAt(i + 2)); // is
    case 116: return c1 === 111 && isSpace(text.charCodeAt(i + 2)); // to
    case 98: return (c1 === 121 && isSpace(text.charCodeAt(i + 2))) || isQuoteCode(c1); // by, b"
    case 102: return (c1 === 111 && lowerCode(text.charCodeAt(i + 2)) === 114 && isSpace(text.charCodeAt(i + 3))) || isQuoteCode(c1); // for, f"
    case 114: case 117: case 64: return isQuoteCode(c1); // r", u", @"
    default: return false;
  }
}

/**
 * `keywordCheck` of `secrets.sql-password`: `password` counts only after `with` or `with login`
 * (`identified` always counts): the pattern's two forms are `IDENTIFIED [WITH …] BY|AS` and
 * `WITH [LOGIN] PASSWORD`.
 */
export function sqlPasswordKeyword(text: string, at: number): boolean {
  if (lowerCode(text.charCodeAt(at)) === 105) return true; // identified
  let i = at;
  while (i > 0 && isSpace(text.charCodeAt(i - 1))) i--;
  return i < at && (endsWithWord(text, i, 'with') || endsWithWord(text, i, 'login'));
}

/** True when `text` just before `end` reads `word` (lower case), in any case. */
function endsWithWord(text: string, end: number, word: string): boolean {
  if (end < word.length) return false;
  for (let k = 0; k < word.length; k++) if (lowerCode(text.charCodeAt(end - word.length + k)) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * `keywordCheck` of `secrets.authorization-header`: `authorization` always counts; the scheme
 * words only as the pattern's second form writes them (`Bearer`/`bearer`, `Basic`, `Token`, `NTLM`,
 * `Negotiate`: case-sensitive), followed by spaces and ten or more token characters.
 */
export function authSchemeKeyword(text: string, at: number, end: number): boolean {
  const first = text.charCodeAt(at);
  if (first === 97 || first === 65) return true; // authorization
  // Only B, b, T and N start a scheme as the pattern writes it: most occurrences end here.
  if (first !== 66 && first !== 98 && first !== 84 && first !== 78) return false;
  const word = text.slice(at, end);
  if (!['Bearer', 'bearer', 'Basic', 'Token', 'NTLM', 'Negotiate'].includes(word)) return false;
  let i = at + word.length;
  const spaces = i;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i === spaces) return false;
  let run = 0;
  for (let c = text.charCodeAt(i); run < 10 && c < 128 && AUTH_TOKEN[c] === 1; c = text.charCodeAt(i + ++run));
  return run >= 10;
}

/**
 * `keywordCheck` of `secrets.cli-password`: `token`/`secret` only inside an option name
 * (`--github-token value`, `--client_secret=x`): the run of word characters and dashes before it
 * starts with a dash. The other keywords start with a dash themselves.
 */
export function optionKeyword(text: string, at: number): boolean {
  if (text.charCodeAt(at) === 45) return true;
  let i = at;
  while (i > 0 && isTokenChar(text.charCodeAt(i - 1))) i--;
  return i < at && text.charCodeAt(i) === 45;
}

/**
 * What may stand between the lines of a PEM block: whitespace and escaped newlines, the quotes and
 * `+` of a key pasted into source code, comment markers, and log prefixes like `#5 0.228` or
 * `2026-04-26 12:36:01` (a timestamp on every line of a build log that printed the key). The body
 * may hold the same prefixes on every line, so it takes `.`, `:` and any `-` that does not start the
 * END line: the finding (and so the mask) covers the whole key, not only its first line.
 */
const PEM_GAP = String.raw`(?:[\s"'+*#,;]|\\+[nr"]?|\d+(?:\.\d+)?(?=\s)|\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?Z?(?=\s))*`;

/** The built-in secret rules, most specific first. */
export const SECRET_RULES: readonly DetectorRule[] = [
  secret({ id: 'secrets.private-key', severity: 'critical', message: 'Private key', keywords: ['private key'], multiline: true,
    pattern: new RegExp(String.raw`-----BEGIN[ A-Z0-9-]{0,30}PRIVATE KEY(?: BLOCK)?-----${PEM_GAP}(?:[A-Za-z][\w-]*: [^\n]*${PEM_GAP}){0,4}[A-Za-z0-9+/=]{16}(?:[A-Za-z0-9+/=\s\\"'*,;#.:]|-(?!----)){0,16000}(?:-----END[ A-Z0-9-]{0,30}PRIVATE KEY(?: BLOCK)?-----)?`, 'g') }),
  secret({ id: 'secrets.aws-access-key', severity: 'high', message: 'AWS access key id', keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    pattern: /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b/g }),
  secret({ id: 'secrets.aws-secret-key', generic: true, severity: 'critical', message: 'AWS secret access key', keywords: ['aws', 'secret_access'],
    pattern: /(?:aws|secret_access).{0,24}?(?:secret|key|sak)[\w.-]{0,20}['"]?\s*(?:=|:|=>|,)\s*['"]?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi }),
  secret({ id: 'secrets.github-token', severity: 'high', message: 'GitHub token', keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    pattern: /\b(gh[pousr]_[A-Za-z0-9]{36})\b/g, validate: (v) => (githubTokenChecksumOk(v) ? 1 : 0.7) }),
  secret({ id: 'secrets.github-fine-grained-token', severity: 'high', message: 'GitHub fine-grained token', keywords: ['github_pat_'],
    pattern: /\b(github_pat_[A-Za-z0-9_]{60,90})\b/g }),
  secret({ id: 'secrets.gitlab-token', severity: 'high', message: 'GitLab token', keywords: ['glpat-', 'gldt-', 'glrt-', 'glrtr-', 'glffct-', 'glwt-', 'glptt-', 'glft-', 'glsoat-', 'glcbt-', 'glimt-', 'glagent-', 'gloas-', 'gr1348941'],
    // Body lengths as GitLab documents them: incoming-mail 25, OAuth secret 64, agent 50+, trigger 40.
    pattern: /\b(glpat-[A-Za-z0-9_-]{20,80}|(?:gldt|glrt|glrtr|glft|glffct|glwt|glsoat)-[A-Za-z0-9_-]{20,50}|glimt-[A-Za-z0-9_-]{25}|gloas-[A-Za-z0-9_-]{64}|glagent-[A-Za-z0-9_-]{50,1024}|glptt-[A-Za-z0-9_-]{40}|glcbt-(?:[0-9a-f]{1,5}_)?[A-Za-z0-9_-]{20}|GR1348941[A-Za-z0-9_-]{20,50})(?![A-Za-z0-9_-])/g }),
  secret({ id: 'secrets.slack-token', severity: 'high', message: 'Slack token', keywords: ['xox', 'xapp-'],
    pattern: /\b(xox[abposre]-\d{8,13}-[A-Za-z0-9-]{8,250}|xox[ar]-2-\d{6,13}-\d{6,13}-\d{6,13}-[a-z0-9]{16,}|xox[pe]-1-[A-Za-z0-9]{100,}|xoxe-\d-[A-Z0-9]{100,}|xapp-\d-[A-Z0-9]+-\d+-[a-z0-9]+|xoxe\.xox[bp]-\d-[A-Z0-9]{100,})/g }),
  secret({ id: 'secrets.slack-webhook', severity: 'high', message: 'Slack webhook URL', keywords: ['hooks.slack.com'],
    pattern: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{40,})/g }),
  secret({ id: 'secrets.stripe-key', severity: 'high', message: 'Stripe API key', keywords: ['sk_', 'rk_'],
    // Publishable keys (pk_) are public by design (Stripe puts them in client code): not reported.
    pattern: /\b((?:sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{10,120})\b/g }),
  secret({ id: 'secrets.anthropic-key', severity: 'high', message: 'Anthropic API key', keywords: ['sk-ant-'],
    pattern: /\b(sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{80,120})(?![A-Za-z0-9_-])/g }),
  secret({ id: 'secrets.openai-key', severity: 'high', message: 'OpenAI API key', keywords: ['sk-'],
    pattern: /(?:\b|(?<=\x1b\[[0-9;]*m))(sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{10,120}T3BlbkFJ[A-Za-z0-9_-]{10,120}|sk-[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|sk-[A-Za-z0-9]{48}|sk-[a-f0-9]{32})(?![A-Za-z0-9_-])/g }),
  secret({ id: 'secrets.groq-key', severity: 'high', message: 'Groq API key', keywords: ['gsk_'], pattern: /\b(gsk_[A-Za-z0-9]{52})\b/g }),
  secret({ id: 'secrets.huggingface-token', severity: 'high', message: 'Hugging Face token', keywords: ['hf_', 'api_org_'],
    pattern: /\b(hf_[A-Za-z]{34}|api_org_[A-Za-z]{34})\b/g }),
  secret({ id: 'secrets.npm-token', severity: 'high', message: 'npm access token', keywords: ['npm_'], pattern: /\b(npm_[A-Za-z0-9]{36})\b/g }),
  secret({ id: 'secrets.pypi-token', severity: 'high', message: 'PyPI upload token', keywords: ['pypi-'], pattern: /\b(pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{100,})/g }),
  secret({ id: 'secrets.google-api-key', severity: 'high', message: 'Google API key', keywords: ['aiza'], pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g }),
  secret({ id: 'secrets.sendgrid-key', severity: 'high', message: 'SendGrid API key', keywords: ['sg.'], pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g }),
  secret({ id: 'secrets.twilio-key', severity: 'high', message: 'Twilio API key', keywords: [], minRun: 34, pattern: /\b((?:SK|AC)(?:[0-9a-f]{32}|[0-9A-F]{32}))\b/g }),
  secret({ id: 'secrets.mailchimp-key', severity: 'high', message: 'Mailchimp API key', keywords: ['-us'], pattern: /\b([0-9a-f]{32}-us\d{1,2})\b/g }),
  secret({ id: 'secrets.telegram-bot-token', severity: 'high', message: 'Telegram bot token', keywords: [':aa'], pattern: /\b(\d{8,10}:AA[A-Za-z0-9_-]{33})(?![A-Za-z0-9_-])/g }),
  secret({ id: 'secrets.discord-bot-token', severity: 'high', message: 'Discord bot token', keywords: [], minRun: 24,
    pattern: /\b([MNO][A-Za-z\d_-]{23,25}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,38})(?![A-Za-z\d_-])/g }),
  secret({ id: 'secrets.artifactory-token', severity: 'high', message: 'JFrog Artifactory token', keywords: ['akc', ...'0123456789abcdef'.split('').map((c) => `ap${c}`)],
    pattern: /(?:\s|=|:|"|^)(AKC[A-Za-z0-9]{10,}|AP[\dABCDEF][A-Za-z0-9]{8,})(?![A-Za-z0-9])/g }),
  secret({ id: 'secrets.docker-token', severity: 'high', message: 'Docker Hub access token', keywords: ['dckr_pat_', 'dckr_oat_'], pattern: /\b(dckr_(?:pat|oat)_[A-Za-z0-9_-]{27,32})(?![A-Za-z0-9_-])/g }),
  secret({ id: 'secrets.onepassword-token', severity: 'high', message: '1Password service account token', keywords: ['ops_ey'], pattern: /\b(ops_eyJ[A-Za-z0-9+/_-]{250,})/g }),
  secret({ id: 'secrets.onepassword-secret-key', severity: 'critical', message: '1Password account secret key', keywords: ['a3-'],
    pattern: /\b(A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5})\b/g }),
  secret({ id: 'secrets.atlassian-token', severity: 'high', message: 'Atlassian API token', keywords: ['atatt', 'atctt'], pattern: /\b((?:ATATT|ATCTT)3[A-Za-z0-9_=-]{150,250})/g }),
  secret({ id: 'secrets.digitalocean-token', severity: 'high', message: 'DigitalOcean token', keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'], pattern: /\b(do[opr]_v1_[a-f0-9]{64})\b/g }),
  secret({ id: 'secrets.shopify-token', severity: 'high', message: 'Shopify token', keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], pattern: /\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b/g }),
  // Microsoft's identifiable keys (Azure DevOps PATs and other services since 2024) carry the fixed
  // signature JQQJ9 at offset 52, a version character, and a provider letter at offset 76.
  secret({ id: 'secrets.azure-identifiable-key', severity: 'high', message: 'Azure identifiable key (Azure DevOps PAT or service key)', keywords: ['jqqj9'],
    pattern: /(?<![A-Za-z0-9+/])([A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}[A-Za-z][A-Za-z0-9]{7}(?:[A-Za-z0-9]{2}==)?)(?![A-Za-z0-9+/])/g,
    validate: (v) => (shannonEntropy(v.slice(0, 52)) > 3 ? 1 : 0) }),
  // A NATS nkey seed: S, the key type, and (from how the type bits are packed) always A; CRC-16 at the end.
  secret({ id: 'secrets.nats-nkey-seed', severity: 'critical', message: 'NATS nkey seed', keywords: ['sua', 'saa', 'soa', 'sna', 'sca', 'sxa'],
    pattern: /\b(S[UAONCX]A[A-Z2-7]{55})\b/g, validate: (v) => (nkeySeedChecksumOk(v) ? 1 : 0.7) }),
  secret({ id: 'secrets.azure-storage-key', severity: 'critical', message: 'Azure storage account key', keywords: ['accountkey'],
    pattern: /AccountKey\s*=\s*([A-Za-z0-9+/]{86}==)/gi }),
  secret({ id: 'secrets.vault-token', severity: 'high', message: 'HashiCorp Vault token', keywords: ['hvs.', 'hvb.', 'vault', ': s.', '=s.', '= s.', '"s.', "'s."],
    pattern: /\b(hv[sb]\.[A-Za-z0-9_-]{24,300}|s\.[A-Za-z0-9]{24})(?![A-Za-z0-9_-])/g }),
  secret({ id: 'secrets.prefixed-token', severity: 'high', message: 'Service access token', keywords: ['sgp_', 'ntn_', 'sntrys_', 'sntryu_', 'squ_', 'sqp_', 'sqa_', 'age-secret-key-1', 'fo1_', 'fm1', 'fm2_', 'absk', 's-s4t2', 'lin_api_', 'pplx-', 'xai-', 'dapi', 'glc_', 'glsa_', 'pscale_', 'phc_', 'phx_', 'nrak-', 'pnu_', 'rubygems_', 'oy2', 'sl.', 'dp.', 'atbb', 'figd_', 'tvly-', 'sk-or-', 'r8_', 'wgp_', 'cfat_', 'cfut_', 'cfk_', 'xkeysib-', 'clojars_', 'dnkey-', 'swmtkn-', 'swmkey-', 'dt0c01.', 'gocspx-', 'ya29.', 'hrku-', 'bbdc-', 'akab-', 'ltai', 'atlasv1', 'discord', 'nfp_', 'nrbr-', 'nrii-', 'nrjs-', 'nral', 'pmak-', 'pmat-', 'phs_', 'phr_', 'pha_', 'whsec_', 'sbp_', 'tgp_v1_', 'vcp_', 'sq0atp-', 'sq0csp-', 'key-', 'llx-',
    'pul-', 'tskey-', 'bkua_', 'cfpat-', 'pat-na1-', 'pat-eu1-', 'sk.eyj', 'akid', 'ezak', 'eztk', 'flwseck', 'rdme_', 'tfp_', 'ico-', 'shippo_', 'lsv2_'],
    pattern: /(?:\b|(?<=\x1b\[[0-9;]*m))(sgp_(?:[a-fA-F0-9]{16}_)?[a-fA-F0-9]{40}|sgp_local_[a-fA-F0-9]{40}|ntn_[A-Za-z0-9]{40,}|sntry[su]_[A-Za-z0-9+/=_]{40,}|sq[upa]_[A-Za-z0-9]{40}|AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}|fo1_[A-Za-z0-9_-]{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3}|ABSK[A-Za-z0-9+/]{100,}={0,2}|s-s4t2(?:ud|af)-[a-f0-9]{64}|lin_api_[A-Za-z0-9]{40}|pplx-[A-Za-z0-9]{48}|xai-[A-Za-z0-9]{70,85}|dapi[a-f0-9]{32}(?:-\d)?|glc_[A-Za-z0-9+/]{32,400}={0,2}|glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|pscale_(?:tkn|pw|oauth)_[A-Za-z0-9=._-]{32,64}|ph[csrax]_[A-Za-z0-9]{40,64}|nfp_[A-Za-z0-9]{36}|NR(?:BR|JS)-[a-f0-9]{19}|NRII-[A-Za-z0-9_-]{24,32}|[a-z0-9]{36}NRAL|PMAK-[a-f0-9]{24}-[a-f0-9]{34}|PMAT-[A-Z0-9]{26}|whsec_[A-Za-z0-9+/]{32,}|sbp_(?:v0_)?[a-f0-9]{40}|tgp_v1_[A-Za-z0-9_-]{43}|vcp_[A-Za-z0-9]{56}|sq0atp-[A-Za-z0-9_-]{22}|sq0csp-[A-Za-z0-9_-]{43}|NRAK-[A-Z0-9]{27}|pnu_[A-Za-z0-9]{36}|rubygems_[a-f0-9]{48}|oy2[a-z0-9]{43}|sl\.[A-Za-z0-9_-]{130,}|dp\.(?:pt|st|sa|ct|scim|audit)\.(?:[a-z0-9_-]{1,32}\.)?[A-Za-z0-9]{40,44}|ATBB[A-Za-z0-9_=.-]{28,}|figd_[A-Za-z0-9_-]{40}|tvly-[A-Za-z0-9]{32}|sk-or-v1-[a-f0-9]{64}|r8_[A-Za-z0-9]{37}|wgp_[A-Za-z0-9]{40,}|cf(?:at|ut|k)_[A-Za-z0-9]{40,}|xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}|CLOJARS_[a-f0-9]{60}|dnkey-[A-Z0-9=_-]{26}-[A-Z0-9=_-]{52}|SWM(?:TKN|KEY)-1-[a-z0-9A-Z-]{40,}|dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}|GOCSPX-[A-Za-z0-9_-]{28}|ya29\.[A-Za-z0-9_-]{30,}|HRKU-[A-Za-z0-9_-]{36,60}|BBDC-[A-Za-z0-9+/@_-]{40,50}|akab-[a-z0-9]{16}-[a-z0-9]{16}|LTAI[A-Za-z0-9]{12,20}|[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}|key-[a-f0-9]{32}|[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}|llx-[A-Za-z0-9_-]{40,}|discord(?:app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]{60,}|pul-[a-f0-9]{40}|tskey-(?:auth|api|client|scim|webhook)-[A-Za-z0-9]{6,}-[A-Za-z0-9]{16,}|bkua_[a-f0-9]{40}|CFPAT-[A-Za-z0-9_-]{43}|pat-(?:na|eu)1-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}|sk\.eyJ[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}|AKID[A-Za-z0-9]{32}|EZ[AT]K[a-f0-9]{54}|FLWSECK(?:_TEST)?-[a-h0-9]{32}-X|rdme_[a-z0-9]{70}|tfp_[A-Za-z0-9_-]{40,64}|(?<![./])ico-[A-Za-z0-9]{32}(?!\.)|shippo_(?:live|test)_[a-f0-9]{40}|lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10})(?![A-Za-z0-9_-])/g }),
  // Vendor ids without a distinctive prefix of their own: only next to the vendor's name.
  secret({ id: 'secrets.sumologic-access-id', severity: 'high', message: 'Sumo Logic access id', keywords: ['sumo'],
    pattern: /sumo(?:logic)?(?![a-z])[\w.-]{0,24}["']?\s*(?:={1,2}|:{1,3}=|\?=|=>|:)\s*["'`]?(su[A-Za-z0-9]{12})(?![A-Za-z0-9])/gi,
    validate: (v) => (v.startsWith('su') ? 1 : 0) }),
  secret({ id: 'secrets.sourcegraph-token', severity: 'high', message: 'Sourcegraph access token', keywords: ['sourcegraph', 'src_access'],
    pattern: /(?:sourcegraph|src_access)[\w.-]{0,24}["']?\s*(?:={1,2}|:{1,3}=|\?=|=>|:)\s*["'`]?([a-fA-F0-9]{40})(?![A-Za-z0-9])/gi }),
  secret({ id: 'secrets.jwk-private', severity: 'critical', message: 'Private JSON Web Key', keywords: ['"kty"'], multiline: true,
    // A JWK's private members: d (EC, OKP, RSA) and k (symmetric "oct" keys).
    pattern: /"kty"\s*:\s*"[^"\n]{1,10}"[^{}]{0,400}?"[dk]"\s*:\s*"([A-Za-z0-9_-]{16,})"/g }),
  secret({ id: 'secrets.base64-private-key', severity: 'critical', message: 'Base64-encoded PEM private key', keywords: ['ls0tls1crudjti'],
    pattern: /\b(LS0tLS1CRUdJTi[A-Za-z0-9+/]{20,}={0,2})/g,
    validate: base64PemConfidence }),
  secret({ id: 'secrets.curl-option', generic: true, severity: 'high', message: 'Credential in a libcurl option', keywords: ['curlopt_'],
    pattern: new RegExp(String.raw`CURLOPT_(?:PASSWORD|USERPWD|XOAUTH2_BEARER|KEYPASSWD|PROXYPASSWORD|PROXYUSERPWD|TLSAUTH_PASSWORD)\s*,\s*${QUOTED}`, 'g'),
    validate: judgeAssignedValue }),
  secret({ id: 'secrets.env-default', generic: true, severity: 'medium', message: 'Hard-coded fallback for a credential variable', keywords: ['getenv', 'environ', 'env.get'],
    // PASSWORD = os.environ.get("PASSWORD") or "…", SECRET := getenv("X", "…"): the fallback is a literal credential.
    pattern: new RegExp(String.raw`${NAME}\s*(?:={1,2}|:=)\s*(?:os\.)?(?:getenv|environ\.get|env\.get)\(\s*["'][^"'\n]{1,64}["']\s*(?:,\s*${QUOTED}\s*\)|\)\s*(?:or|\|\||\?\?)\s*${QUOTED})`, 'gi'),
    validate: judgeAssignedValue }),
  // More vendor formats, as their own rule so that their keywords do not run the long alternation above.
  secret({ id: 'secrets.vendor-token', severity: 'high', message: 'Service access token', keywords: ['eaaa', 'igqv', '1//0', 'cmvmdgtuojax', 'eyjrijoi', 'access_token$', 'cosmo_', 'bedrock-api-key-'],
    pattern: /(?:\b|(?<=\/\/))(EAAA[A-Za-z0-9_-]{60}|IGQV[A-Za-z0-9_-]{100,}|1\/\/0[A-Za-z0-9_-]{40,}|cmVmdGtuOjAx[A-Za-z0-9+/]{40,}={0,2}|eyJrIjoi[A-Za-z0-9]{50,400}={0,2}|access_token\$(?:production|sandbox)\$[a-z0-9]{16}\$[a-f0-9]{32}|cosmo_[a-f0-9]{32}|bedrock-api-key-[A-Za-z0-9+/]{30,}={0,2})(?![A-Za-z0-9_-])/g }),
  // Tokens without a literal prefix of their own, each gated by the text that marks it (kept out of
  // secrets.prefixed-token so that rule's long alternation does not run on these keywords' lines).
  secret({ id: 'secrets.session-token', severity: 'high', message: 'Session or bearer token', keywords: ['aaaaaaaaaa', '00d', '_gitlab_session='],
    pattern: /(?:\b|(?<=_gitlab_session=))([A-Za-z0-9]{11}A{10}[A-Za-z0-9_-]{43}|A{20,22}[A-Za-z0-9%]{30,}|00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,}|(?<=_gitlab_session=)[a-f0-9]{32})(?![A-Za-z0-9_-])/g }),
  secret({ id: 'secrets.facebook-token', severity: 'high', message: 'Facebook access token', keywords: ['eaa', 'facebook'],
    pattern: /\b(EAA[A-Za-z0-9]{90,}|\d{15,16}\|[A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])/g }),
  secret({ id: 'secrets.azure-client-secret', severity: 'high', message: 'Azure AD client secret', keywords: ['q~'],
    pattern: /(?:^|[\s'"`=:(>])([A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/g }),
  secret({ id: 'secrets.jwt', severity: 'medium', message: 'JSON Web Token', keywords: ['eyj', 'eyk', 'ewog'],
    pattern: /\b(ey[A-Za-z0-9_-]{12,}\.ey[A-Za-z0-9_-]{12,}(?:\.[A-Za-z0-9_-]*)?)/g, validate: jwtConfidence }),
  secret({ id: 'secrets.url-password', generic: true, severity: 'high', message: 'Password in a URL or connection string', keywords: ['://'],
    // The user may be empty (`redis://:PASSWORD@host`).
    pattern: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@'"`]{0,64}(?:@[^\s:/@'"`]{1,64})?:([^\s:/@'"`]{3,128})@[^\s/'"`]+/gi,
    validate: (v) => (/^(?:\*+|x+|\$\{?\w+\}?|<[^>]*>|password|pass|\{\{.*\}\}|%[^%]*%?)$/i.test(v) ? 0 : 0.9) }),
  secret({ id: 'secrets.authorization-header', generic: true, severity: 'high', message: 'Credential in an Authorization header', keywords: ['bearer', 'basic', 'authorization', 'token', 'ntlm', 'negotiate'],
    keywordCheck: authSchemeKeyword,
    pattern: new RegExp(lineLocal(String.raw`(?:[Aa]uthorization|AUTHORIZATION)["']?\s*[:=]\s*["']?(?:[Bb]earer|[Bb]asic|[Tt]oken|NTLM|Negotiate)?\s*([A-Za-z0-9._~+/-]{10,}={0,2})(?![\w=])|\b(?:[Bb]earer|Basic|Token|NTLM|Negotiate)\s+([A-Za-z0-9._~+/-]{10,}={0,2})(?![\w=])`), 'gm'),
    validate: (v) => (/^[a-z]+$/i.test(v) ? 0 : Math.min(1, 0.4 + shannonEntropy(v) / 8)) }),
  secret({ id: 'secrets.cli-password', generic: true, severity: 'high', message: 'Password on a command line', keywords: ['-u', '--user', '-pass', '-pwd', 'token', 'secret', '-api', '-oauth'],
    keywordCheck: optionKeyword,
    pattern: new RegExp(lineLocal(String.raw`(?:(?:^|\s)-u\s*|--user[= ]\s*)['"]?[^\s:'"]{0,64}['"]?:['"]?([^\s'"]{3,128})|(?:^|\s)-{1,2}(?:password|passwd|pass|pwd|passphrase|[\w-]*(?:token|secret)|api-?key|oauth2-bearer)[= ]\s*['"]?([^\s'"-][^\s'"]{3,128})|(?:(?:^|\s)-u\s*|--user[= ]\s*)['"]?([^\s:'"]{8,128}):['"]?(?=[\s'"]|$)`), 'gim'),
    validate: judgeAssignedValue,
    // Every form starts with a dash (-u, --user, -p…, --…-token): a line without one is skipped.
    requires: /-/ }),
  secret({ id: 'secrets.cli-short-password', generic: true, severity: 'high', message: 'Password on a command line', keywords: ['-p'],
    // sshpass takes the password after -p with or without a space; for the database clients a space
    // after -p means "prompt" and the next word is the database.
    pattern: /(?:mysql|mysqldump|mariadb|sshpass|mongo|mongosh|redis-cli|sqlcmd|isql)\b[^\n]{0,80}?\s-p['"]?([^\s'"-][^\s'"]{5,128})|\bsshpass\b[^\n]{0,40}?\s-p\s+['"]?([^\s'"-][^\s'"]{3,128})/g,
    validate: judgeAssignedValue }),
  secret({ id: 'secrets.config-credential', generic: true, severity: 'medium', message: 'Credential in a configuration entry', keywords: ['key=', 'name=', 'machine'],
    // .NET appSettings / connection entries (`<add key="DbPassword" value="…"/>`) and .netrc lines
    // (`machine HOST login USER password PASS`).
    pattern: new RegExp(String.raw`<add\s+(?:key|name)\s*=\s*"[\w.:-]*${NAME}[\w.:-]*"\s+value\s*=\s*"([^"
]{4,256})"|\bmachine\s+\S+\s+login\s+\S+\s+password\s+(\S{4,256})`, 'gi'),
    validate: judgeAssignedValue }),
  secret({ id: 'secrets.sql-password', generic: true, severity: 'high', message: 'Password in an SQL statement', keywords: ['identified', 'password'], keywordCheck: sqlPasswordKeyword,
    pattern: new RegExp(lineLocal(String.raw`(?:identified\s+(?:with\s+\S+\s+)?(?:by|as)|\bwith\s+(?:login\s+)?password)\s+(?:${QUOTED}|([^\s"'` + '`' + String.raw`;\\]{6,128}))`), 'gim'), validate: judgeAssignedValue }),
  secret({ id: 'secrets.bundler-credentials', generic: true, severity: 'high', message: 'Gem source credentials in a Bundler setting', keywords: ['bundle_'],
    pattern: /\bBUNDLE_[A-Z0-9_]*?__[A-Z]{2,}["']?\s*[:=]\s*["']?([^\s"':;&]{3,128}:[^\s"';&]{3,128})/g }),
  secret({ id: 'secrets.powershell-securestring', generic: true, severity: 'high', message: 'Plain-text password turned into a SecureString', keywords: ['convertto-securestring'],
    pattern: /ConvertTo-SecureString(?:\s+-(?:String|AsPlainText|Force))*\s+[\\"']*([^\s"'\\-][^\s"'\\]{5,128})/gi, validate: judgeAssignedValue }),
  secret({ id: 'secrets.ntlm-message', severity: 'high', message: 'NTLM authentication message', keywords: ['tlrmtvntuaa'],
    pattern: /\b(TlRMTVNTUAA[A-Za-z0-9+/]{20,}={0,2})/g }),
  secret({ id: 'secrets.xml-credential', generic: true, severity: 'medium', message: 'Credential in an XML element', keywords: ['<pass', '<pwd', '<secret', '<token', '<api', '<access', '<auth', '<client', '<private'],
    pattern: new RegExp(String.raw`<(?:[\w-]+:)?${NAME}\b[^<>\n]{0,200}>([^<\n]{4,256})</`, 'gi'), validate: judgeAssignedValue }),
  secret({ id: 'secrets.define-credential', generic: true, severity: 'medium', message: 'Credential in a macro definition', keywords: ['define'],
    // C and RPM macros: #define API_TOKEN "…", %define token …; a numeric constant (0x…, 42) is not a credential.
    pattern: new RegExp(String.raw`[#%]define[ \t]+(?!CURLOPT_)\w*?${NAME}\w*[ \t]+(?:${QUOTED}|(?!0x)([A-Za-z0-9+/=_-]{8,256})(?![\w"']))`, 'gi'),
    validate: judgeAssignedValue }),
  secret({ id: 'secrets.generic-assignment', generic: true, severity: 'medium', message: 'Credential assigned in text',
    // Every spelling NAME takes holds one of these (pa?s{1,2}w?o?r?d without the a or w: psd,
    // pssd, psod, psrd, psord…), which `assignmentFollows` relies on.
    keywords: ['pas', 'pw', 'psw', 'pssw', 'psd', 'pssd', 'psod', 'psso', 'psrd', 'pssr', 'psor', 'secret', 'token', 'key', 'auth', 'credential', 'salt'],
    keywordCheck: assignmentFollows,
    // The second form: a string literal that goes on past the line (''' or a trailing backslash).
    pattern: new RegExp(lineLocal(String.raw`${NAME}(?:_[a-z0-9]+){0,5}(?:${ASSIGN}|\s*=\s*(?:'''|"""|["'])([A-Za-z0-9+/=_-]{16,256})\\?(?=\r?\n|$))`), 'gim'),
    validate: judgeAssignedValue }),
  secret({ id: 'secrets.generic-comparison', generic: true, severity: 'medium', message: 'Credential compared in code', keywords: ['==', '!='],
    pattern: new RegExp(String.raw`${QUOTED}\s*[!=]==?\s*[\w.]{0,32}${NAME}`, 'gi'),
    validate: judgeAssignedValue }),
];
