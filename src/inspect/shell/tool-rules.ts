/**
 * @module inspect/shell/tool-rules
 * Checks on the developer tools an agent drives: git, package managers, cloud and secret-store
 * CLIs, tunnels. Each is an ordinary program doing a risky thing through its own subcommands
 * (`git push --force`, `gh auth token`, `npm config set registry …`, `ssh -R`), so the checks read
 * the parsed subcommand and options, never the raw text.
 */
import type { RuleId } from '../rules.js';
import type { Invocation } from '../types.js';
import { hasFlag, optionValueAt, positionals } from './programs.js';

type Report = (id: RuleId, match?: string) => void;

/** One check part, in the shape of `Segment` in ./rules.ts (the program names it can report for). */
export interface ToolSegment { on: (program: string) => boolean; run: (inv: Invocation, report: Report) => void }

/** The values of an option given as `--opt value`, `--opt=value` or (short) `-o value` / `-ovalue`. */
function optionValues(args: readonly string[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    for (const n of names) {
      const value = optionValueAt(args, i, n);
      if (value !== undefined) out.push(value);
    }
  }
  return out;
}

/** A plain-HTTP URL to a host other than this machine. */
function cleartextRemote(url: string): boolean {
  return /^http:\/\//i.test(url) && !/^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])([:/]|$)/i.test(url);
}

const PIP = new Set(['pip', 'pip3', 'pipx', 'uv', 'poetry', 'pdm']);
const NODE_PMS = new Set(['npm', 'pnpm', 'yarn', 'bun']);
const PYTHONS = /^python(\d+(\.\d+)?)?$/;

/** The pip arguments of `pip …`, `uv pip …` or `python -m pip …`; undefined when it is not pip. */
function pipArgs(inv: Invocation): string[] | undefined {
  if (inv.program === 'uv') return inv.args[0] === 'pip' ? inv.args.slice(1) : undefined;
  if (PIP.has(inv.program)) return inv.args;
  if (PYTHONS.test(inv.program)) {
    const m = inv.args.indexOf('-m');
    if (m >= 0 && /^pip\d?$/.test(inv.args[m + 1] ?? '')) return inv.args.slice(m + 2);
  }
  return undefined;
}

/** Settings whose values turn TLS certificate checks off, or point a tool at another package source. */
const INSECURE_ENV = /^(NODE_TLS_REJECT_UNAUTHORIZED=0|GIT_SSL_NO_VERIFY=(1|true)|PYTHONHTTPSVERIFY=0|PIP_TRUSTED_HOST=.|PIP_(EXTRA_)?INDEX_URL=http:|npm_config_strict_ssl=false|NPM_CONFIG_STRICT_SSL=false|CURL_CA_BUNDLE=$|REQUESTS_CA_BUNDLE=$)/i;

function insecureSource(inv: Invocation, report: Report): void {
  const p = inv.program;
  const pip = pipArgs(inv);
  if (pip) {
    const sub = positionals(pip)[0];
    if (hasFlag(pip, undefined, '--trusted-host')
      || optionValues(pip, ['--index-url', '-i', '--extra-index-url', '--find-links', '-f']).some(cleartextRemote)
      || (sub === 'config' && ['set', 'add'].includes(positionals(pip)[1] ?? '') && /(index-url|trusted-host|find-links)$/.test(positionals(pip)[2] ?? ''))
      || (p === 'poetry' && sub === 'source' && positionals(pip)[1] === 'add')) report('shell.insecure-source');
    return;
  }
  if (NODE_PMS.has(p)) {
    const pos = positionals(inv.args);
    // `npm config set registry …`, `yarn config set npmRegistryServer …`, `npm set @corp:registry …`, `… strict-ssl false`
    const setIndex = pos[0] === 'config' ? 2 : pos[0] === 'set' ? 1 : -1;
    const key = setIndex > 0 && (pos[0] === 'set' || pos[1] === 'set') ? (pos[setIndex] ?? '').split('=')[0]! : '';
    if (/(^|:)registry$|^npmRegistryServer$|^strict-ssl$|^enableStrictSsl$|^cafile$|^unsafeHttpWhitelist$/i.test(key)
      || optionValues(inv.args, ['--registry']).some(cleartextRemote)
      || inv.args.some((a) => /^--strict-ssl=false$/.test(a))) report('shell.insecure-source');
    return;
  }
  if (p === 'gem' && ((positionals(inv.args)[0] === 'sources' && hasFlag(inv.args, 'a', '--add'))
    || optionValues(inv.args, ['--source', '-s']).some(cleartextRemote))) report('shell.insecure-source');
  if (p === 'git') {
    const settings = [...optionValues(inv.args, ['-c']), ...inv.args.filter((a, i) => inv.args[i - 1] !== '-c')];
    if (settings.some((a) => /^http\.([^=\s]+\.)?sslVerify(=(false|0|no|off))?$/i.test(a))
      && (inv.args.some((a) => /^(false|0|no|off)$/i.test(a)) || settings.some((a) => /sslVerify=(false|0|no|off)$/i.test(a)))) report('shell.insecure-source');
  }
  if (p === 'export' && inv.args.some((a) => INSECURE_ENV.test(a))) report('shell.insecure-source');
}

/** Subcommands that print a stored credential, per program: each entry is the positional words that say so. */
function printsToken(inv: Invocation): boolean {
  const p = inv.program;
  const pos = positionals(inv.args);
  const has = (...words: string[]): boolean => words.every((w, i) => pos[i] === w);
  switch (p) {
    case 'gh': return has('auth', 'token') || (has('auth', 'status') && hasFlag(inv.args, 't', '--show-token'));
    case 'gcloud': return pos.some((w) => /^print-(access|identity)-token$/.test(w)) || (has('secrets', 'versions', 'access'));
    case 'az': return has('account', 'get-access-token') || has('keyvault', 'secret', 'show') || has('keyvault', 'secret', 'download');
    case 'aws': return (has('configure', 'get') && /secret|token|access_key/i.test(pos[2] ?? '')) || has('configure', 'export-credentials')
      || has('secretsmanager', 'get-secret-value') || (has('ssm') && /^get-parameters?(-by-path)?$/.test(pos[1] ?? '') && hasFlag(inv.args, undefined, '--with-decryption'));
    case 'kubectl': case 'oc': {
      const getSecret = pos[0] === 'get' && /^secrets?(\/|$)/.test(pos[1] ?? '') && optionValues(inv.args, ['-o', '--output']).some((o) => /^=?(json|yaml|jsonpath|go-template|template)/.test(o));
      return getSecret || (has('config', 'view') && (hasFlag(inv.args, undefined, '--raw') || hasFlag(inv.args, undefined, '--flatten')));
    }
    case 'git': return has('credential', 'fill') || /^credential-(store|cache)$/.test(pos[0] ?? '') && pos.includes('get');
    case 'heroku': return pos[0] === 'auth:token';
    case 'vault': return has('kv', 'get') || has('read');
    case 'op': return has('read') || (has('item', 'get') && (hasFlag(inv.args, undefined, '--reveal') || optionValues(inv.args, ['--fields']).length > 0));
    case 'pass': case 'gopass': return has('show') || (pos.length === 1 && !['ls', 'list', 'init', 'git', 'find', 'grep', 'insert', 'generate', 'edit', 'rm', 'mv', 'cp', 'help', 'version'].includes(pos[0]!));
    case 'bw': return has('get', 'password') || has('get', 'item') || has('get', 'totp');
    case 'lpass': return has('show') && hasFlag(inv.args, undefined, '--password');
    case 'secret-tool': return has('lookup');
    case 'keyring': return has('get');
    default: return /^docker-credential-[\w-]+$/.test(p) && pos[0] === 'get';
  }
}

/** git subcommands that throw away work or rewrite shared history. */
function gitDestructive(inv: Invocation): boolean {
  const a = inv.args;
  const pos = positionals(a);
  switch (pos[0]) {
    case 'push': return hasFlag(a, 'f', '--force') || hasFlag(a, undefined, '--force-with-lease') || hasFlag(a, undefined, '--mirror')
      || hasFlag(a, 'd', '--delete') || pos.slice(2).some((r) => /^[+:]/.test(r));
    case 'reset': return hasFlag(a, undefined, '--hard');
    case 'clean': return (hasFlag(a, 'f', '--force')) && !hasFlag(a, 'n', '--dry-run');
    case 'checkout': return hasFlag(a, 'f', '--force') || pos.slice(1).some((t) => t === '.' || t === ':/' || t === '*');
    // `git restore --staged .` only unstages; with --worktree (or without --staged) it discards edits.
    case 'restore': return (!hasFlag(a, 'S', '--staged') || hasFlag(a, 'W', '--worktree')) && pos.slice(1).some((t) => t === '.' || t === ':/' || t === '*');
    case 'stash': return pos[1] === 'drop' || pos[1] === 'clear';
    case 'branch': return a.includes('-D') || (hasFlag(a, 'd', '--delete') && hasFlag(a, 'f', '--force'));
    case 'filter-branch': case 'filter-repo': return true;
    case 'reflog': return pos[1] === 'expire' && a.some((x) => /^--expire(-unreachable)?=(now|all)/.test(x));
    case 'gc': return a.some((x) => /^--prune=(now|all)/.test(x));
    case 'update-ref': return hasFlag(a, 'd', '--delete');
    default: return false;
  }
}

/** `git push https://host/repo.git …`, `git push user@host:repo …`: the repository sent to a place named on the spot. */
function gitPushToUrl(inv: Invocation): string | undefined {
  const pos = positionals(inv.args);
  if (pos[0] !== 'push') return undefined;
  const target = pos[1] ?? '';
  return /^[a-z][\w+.-]*:\/\//i.test(target) || /^[\w.-]+@[\w.-]+:/.test(target) ? target : undefined;
}

const TUNNELS = new Set(['ngrok', 'cloudflared', 'lt', 'localtunnel', 'bore', 'frpc', 'tmate', 'sshuttle', 'pagekite', 'pagekite.py', 'gost', 'rathole', 'zrok', 'telebit']);
const SSH_CLIENTS = new Set(['ssh', 'autossh', 'dbclient']);

/** A tunnel that lets a remote host reach into this machine, or relays traffic through it. */
function opensTunnel(inv: Invocation): boolean {
  const p = inv.program;
  if (SSH_CLIENTS.has(p)) {
    return inv.args.some((a, i) => /^-[A-Za-z]*[RD]/.test(a) && !/^-[A-Za-z]*[bcEeFIiJLlmOopQSWw][A-Za-z]*[RD]/.test(a)
      || (inv.args[i - 1] === '-o' && /^(RemoteForward|DynamicForward)\b/i.test(a)) || /^-o(RemoteForward|DynamicForward)\b/i.test(a));
  }
  if (p === 'cloudflared') return positionals(inv.args)[0] === 'tunnel' || positionals(inv.args)[0] === 'access';
  if (p === 'tailscale') return positionals(inv.args)[0] === 'funnel';
  if (p === 'bore') return positionals(inv.args)[0] === 'local';
  // localtunnel's CLI is `lt --port N`; a bare `lt` is too short a name to be sure of.
  if (p === 'lt') return hasFlag(inv.args, 'p', '--port');
  return TUNNELS.has(p);
}

const MINERS = /^(xmrig(-(cuda|nvidia|amd|notls|proxy))?|xmr-stak(-rx|-cpu)?|minerd|cpuminer(-multi|-opt|-gr)?|cgminer|bfgminer|ethminer|t-rex|nbminer|lolminer|phoenixminer|gminer|teamredminer|nanominer|srbminer(-multi)?|ccminer|nheqminer|bzminer|rigel|wildrig(-multi)?|cryptodredge|xmr-node-proxy)(\.exe)?$/i;
/** A mining pool address (`stratum+tcp://pool:3333`), whatever the miner is called: ./rules.ts tests it on hinted arguments. */
export const STRATUM = /[sS][tT][rR][aA][tT][uU][mM]\d?(\+[a-zA-Z]{2,3})?:\/\//;

const GREPS = new Set(['grep', 'egrep', 'fgrep', 'rg', 'ag', 'ack']);
const SECRET_WORDS = /pass(wd|word|phrase)?|secret|token|api[_-]?key|private[_ ]?key|BEGIN [A-Z ]*PRIVATE|aws_(secret|access)|credential/i;

/**
 * `grep -r password ~/.config`, `rg -i 'api_key' /etc`: a recursive search for credentials in a
 * home directory or system tree (inside the project it is an ordinary code search).
 */
function searchesForSecrets(inv: Invocation): boolean {
  const p = inv.program;
  const recursive = p === 'rg' || p === 'ag' || p === 'ack' || hasFlag(inv.args, 'r', '--recursive') || hasFlag(inv.args, 'R', '--dereference-recursive');
  if (!recursive) return false;
  const explicit = optionValues(inv.args, ['-e', '--regexp']);
  const pos = positionals(inv.args);
  const pattern = explicit.length ? explicit.join('|') : pos[0] ?? '';
  const targets = explicit.length ? pos : pos.slice(1);
  return SECRET_WORDS.test(pattern) && targets.some((t) => /^(~[^/]*|\$\{?HOME\}?|\/home|\/root|\/etc|\/Users|\/var|\/opt)(\/|$)|^\/$/.test(t));
}

/** The checks of this module, for ./rules.ts to dispatch with its own. */
export const TOOL_CHECKS: ToolSegment[] = [
  {
    on: (p) => PIP.has(p) || NODE_PMS.has(p) || PYTHONS.test(p) || p === 'gem' || p === 'git' || p === 'export',
    run: insecureSource,
  },
  {
    on: (p) => MINERS.test(p),
    run: (inv, report) => { if (!inv.programDynamic) report('shell.crypto-miner'); },
  },
  {
    on: (p) => ['gh', 'gcloud', 'az', 'aws', 'kubectl', 'oc', 'git', 'heroku', 'vault', 'op', 'pass', 'gopass', 'bw', 'lpass', 'secret-tool', 'keyring'].includes(p) || p.startsWith('docker-credential-'),
    run: (inv, report) => { if (printsToken(inv)) report('shell.token-print'); },
  },
  {
    on: (p) => p === 'git',
    run: (inv, report) => {
      if (gitDestructive(inv)) report('shell.git-destructive');
      const url = gitPushToUrl(inv);
      if (url !== undefined) report('shell.exfil-upload', `git push ${url}`);
    },
  },
  {
    on: (p) => SSH_CLIENTS.has(p) || TUNNELS.has(p) || p === 'tailscale',
    run: (inv, report) => { if (opensTunnel(inv)) report('shell.tunnel'); },
  },
  {
    on: (p) => GREPS.has(p),
    run: (inv, report) => { if (searchesForSecrets(inv)) report('shell.credential-search'); },
  },
  {
    on: (p) => p === 'shred' || p === 'wipe' || p === 'srm',
    run: (inv, report) => { if (positionals(inv.args).some((t) => !t.startsWith('/dev/'))) report('shell.secure-delete'); },
  },
];

/** Environment prefixes (`NODE_TLS_REJECT_UNAUTHORIZED=0 npm install`) that turn certificate checks off; any program. */
export function insecureEnv(inv: Invocation, report: Report): void {
  if (inv.env.some((e) => INSECURE_ENV.test(e))) report('shell.insecure-source');
}
