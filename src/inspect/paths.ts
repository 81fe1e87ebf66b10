/**
 * @module inspect/paths
 * Classifies paths that matter to safety: credential stores, start-up/persistence locations and
 * account/privilege files. Works on paths as written (`~/.ssh/id_rsa`, `$HOME/.aws/credentials`,
 * `/root/.bashrc`), because inspection happens before anything is resolved.
 */

/** What kind of sensitive path this is, if any. */
export type PathClass = 'credential' | 'persistence' | 'system';

const HOME = String.raw`(?:~[^/]*|\$\{?HOME\}?|/home/[^/]+|/root|/Users/[^/]+|\.\.?)?/`;

const CREDENTIAL: RegExp[] = [
  new RegExp(String.raw`(^|/)\.ssh/(id_[a-z0-9_]+|[^/]*\.pem|identity)(\.pub)?$`),
  /(^|\/)\.ssh\/?$/,
  /(^|\/)\.aws\/(credentials|config)$|(^|\/)\.aws\/?$/,
  /(^|\/)\.config\/gcloud(\/|$)/,
  /(^|\/)\.azure(\/|$)/,
  /(^|\/)\.kube\/config$/,
  /(^|\/)\.docker\/config\.json$/,
  /(^|\/)\.(netrc|git-credentials|pgpass|npmrc|pypirc)$/,
  /(^|\/)\.gnupg(\/|$)/,
  /(^|\/)\.password-store(\/|$)/,
  /(^|\/)\.config\/gh\/hosts\.yml$/,
  /(^|\/)\.env(\.[a-z0-9_-]+)?$/i,
  /^\/etc\/(shadow|gshadow)-?$/,
  /^\/etc\/ssh\/ssh_host_[a-z0-9_]+_key$/,
  /(^|\/)(credentials|secrets?)\.(json|ya?ml|toml)$/i,
  /(^|\/)[^/]*\.(pem|key|p12|pfx|kdbx)$/i,
  /^\/proc\/[^/]+\/(environ|mem)$/,
  /^\/dev\/k?mem$/,
  // Browser profiles: saved passwords, their keys, and session cookies (a logged-in session).
  /(^|\/)\.mozilla\/firefox\/.*(logins\.json|key[34]\.db|cookies\.sqlite)$/,
  /(^|\/)(\.config|Library\/Application Support)\/(google-chrome|chromium|BraveSoftware\/Brave-Browser|microsoft-edge|Google\/Chrome)\/.*(Login Data|Cookies)$/,
  /(^|\/)Library\/Keychains(\/|$)/,
  // Tool credentials: Terraform Cloud, Vault, S3/GCS/rclone, cargo/gem/composer registries, Oracle
  // Cloud, database clients, GNOME keyrings, VNC; and secrets mounted into containers and pods.
  /(^|\/)\.terraform\.d\/credentials\.tfrc\.json$/,
  /(^|\/)\.(vault-token|s3cfg|boto|databrickscfg|my\.cnf)$/,
  /(^|\/)\.config\/(rclone\/rclone\.conf|hub|doctl\/config\.yaml|netlify\/config\.json)$/,
  /(^|\/)\.cargo\/credentials(\.toml)?$|(^|\/)\.gem\/credentials$|(^|\/)\.(config\/)?composer\/auth\.json$/,
  /(^|\/)\.oci\/config$|(^|\/)\.snowsql\/config$|(^|\/)\.m2\/settings-security\.xml$|(^|\/)\.vnc\/passwd$/,
  /(^|\/)\.local\/share\/keyrings(\/|$)/,
  /^(\/var)?\/run\/secrets(\/|$)/,
];

const PERSISTENCE: RegExp[] = [
  new RegExp(String.raw`^${HOME}\.(bashrc|bash_profile|bash_login|bash_logout|profile|zshrc|zprofile|zshenv|zlogin|cshrc|tcshrc|kshrc|config/fish/config\.fish)$`),
  /(^|\/)\.(bashrc|bash_profile|bash_login|profile|zshrc|zprofile|zshenv)$/,
  /^\/etc\/(profile|bash\.bashrc|zsh\/zshrc|environment|rc\.local)$/,
  /^\/etc\/profile\.d\//,
  /^\/etc\/(cron\.(d|daily|hourly|weekly|monthly)(\/|$)|crontab$)/,
  /^\/var\/spool\/cron(\/|$)/,
  /(^|\/)\.config\/systemd\/user\//,
  /^\/(etc|lib|usr\/lib)\/systemd\/system\//,
  /^\/etc\/init\.d\//,
  /(^|\/)\.ssh\/(authorized_keys2?|rc|config)$/,
  /(^|\/)\.git\/hooks(\/|$)/,
  /(^|\/)\.config\/autostart\//,
  /(^|\/)Library\/LaunchAgents\//,
  /^\/etc\/apt\/apt\.conf\.d\//,
  /(^|\/)\.gitconfig$|(^|\/)\.git\/config$/,
  /^\/etc\/update-motd\.d\//,
  /^\/etc\/udev\/rules\.d\//,
  /^\/etc\/(modules-load\.d|modprobe\.d)\//,
];

const SYSTEM: RegExp[] = [
  /^\/etc\/(passwd|group|sudoers|ld\.so\.preload|ld\.so\.conf)$/,
  /^\/etc\/sudoers\.d(\/|$)/,
  /^\/etc\/(pam\.d|security)\//,
  /^\/etc\/sysconfig\/network-scripts\//,
  /^\/etc\/ld\.so\.conf\.d\//,
  /^\/proc\/sys\//,
  /^\/sys\/(kernel|fs\/cgroup|module)\//,
  /(^|\/)(release_agent|notify_on_release|cgroup\.procs)$/,
  /^\/etc\/ssh\/sshd_config$/,
];

/** One alternation per class: a single regex test per path instead of one per pattern. */
const combine = (list: RegExp[]): RegExp => new RegExp(list.map((re) => `(?:${re.source})`).join('|'), 'i');
const SYSTEM_ANY = combine(SYSTEM);
const PERSISTENCE_ANY = combine(PERSISTENCE);
const CREDENTIAL_ANY = combine(CREDENTIAL);

/** Normalises quoting leftovers and `//` so patterns see a plain path. */
function normalise(path: string): string {
  // `${HOME:?}`, `${HOME:-/x}`, `${HOME?}`: still the home directory when HOME is set.
  return path.trim().replace(/^['"]|['"]$/g, '').replace(/\/{2,}/g, '/').replace(/\$\{HOME:?[-?=+][^}]*\}/g, '$HOME');
}

/**
 * Which sensitive class a path belongs to, or `undefined`.
 *
 * @example
 * classifyPath('~/.ssh/id_ed25519') // 'credential'
 * classifyPath('/home/u/.bashrc')   // 'persistence'
 * classifyPath('src/main.ts')       // undefined
 */
export function classifyPath(path: string): PathClass | undefined {
  // Every class needs a `/` or a `.` (classifyLiteral), and normalising adds neither: most arguments stop here.
  if (!path.includes('/') && !path.includes('.')) return undefined;
  return classifyRemembered(path);
}
const CACHE_SIZE = 4096;

/**
 * `judge` with its recent answers remembered: paths and globs repeat across the invocations of one
 * script and across calls, and judging a glob builds a regex and tries every example.
 */
function remembered(judge: (path: string) => PathClass | undefined): (path: string) => PathClass | undefined {
  const seen = new Map<string, PathClass | ''>();
  return (path) => {
    const hit = seen.get(path);
    if (hit !== undefined) return hit || undefined;
    const cls = judge(path);
    if (seen.size >= CACHE_SIZE) seen.clear();
    seen.set(path, cls ?? '');
    return cls;
  };
}
const classifyRemembered = remembered(classifyUncached);
const classifyGlobRemembered = remembered(classifyGlobUncached);

function classifyUncached(path: string): PathClass | undefined {
  const p = normalise(path);
  if (!p || p.length > 4096) return undefined;
  return classifyLiteral(p);
}

function classifyLiteral(p: string): PathClass | undefined {
  if (!p.includes('/') && !p.startsWith('.') && !/\.(pem|key|p12|pfx|kdbx|json|ya?ml|toml)$/i.test(p)) return undefined;
  if (SYSTEM_ANY.test(p)) return 'system';
  if (PERSISTENCE_ANY.test(p)) return 'persistence';
  if (CREDENTIAL_ANY.test(p)) return 'credential';
  return undefined;
}

/**
 * Well-known sensitive files, one or more per pattern family above, written from a home directory
 * (`~/`) or as absolute or relative paths. A glob is judged by the files it could name: the shell
 * expands `~/.a?s/cred*` to `~/.aws/credentials` before the program sees it.
 */
const SENSITIVE_EXAMPLES = [
  '~/.ssh', '~/.aws', '~/.gnupg', '~/.config/gcloud', '~/.ssh/id_rsa', '~/.ssh/id_ed25519', '~/.ssh/id_ecdsa', '~/.ssh/identity', '~/.ssh/authorized_keys', '~/.ssh/config',
  '~/.aws/credentials', '~/.aws/config', '~/.config/gcloud/credentials.db', '~/.azure/accessTokens.json', '~/.kube/config',
  '~/.docker/config.json', '~/.netrc', '~/.git-credentials', '~/.pgpass', '~/.npmrc', '~/.pypirc', '~/.gnupg/secring.gpg',
  '~/.password-store/x.gpg', '~/.config/gh/hosts.yml', '~/.terraform.d/credentials.tfrc.json', '~/.vault-token', '~/.s3cfg',
  '~/.config/rclone/rclone.conf', '~/.cargo/credentials.toml', '~/.local/share/keyrings/login.keyring',
  '/var/run/secrets/kubernetes.io/serviceaccount/token', '/run/secrets/db_password', '~/.mozilla/firefox/x.default/cookies.sqlite',
  '~/.mozilla/firefox/x.default/logins.json', '~/.config/google-chrome/Default/Cookies', '~/.config/google-chrome/Default/Login Data', '~/.bashrc', '~/.bash_profile', '~/.profile', '~/.zshrc', '~/.zprofile',
  '~/.gitconfig', '~/.config/autostart/x.desktop', '~/.config/systemd/user/x.service',
  '.env', 'x/.env', '.git/hooks/pre-commit', '.git/config', 'x/.git/hooks/pre-commit',
  '/etc/shadow', '/etc/gshadow', '/etc/passwd', '/etc/group', '/etc/sudoers', '/etc/sudoers.d/x', '/etc/ld.so.preload',
  '/etc/ssh/ssh_host_rsa_key', '/etc/ssh/ssh_host_ed25519_key', '/etc/ssh/sshd_config', '/etc/crontab', '/etc/cron.d/x',
  '/etc/profile', '/etc/profile.d/x.sh', '/etc/rc.local', '/etc/bash.bashrc', '/var/spool/cron/crontabs/root',
  '/proc/self/environ', '/proc/1/environ', '/proc/self/mem', '/dev/mem', '/dev/kmem',
];

/** The home-directory spellings a glob may start with, each with the examples written from it. */
function examplesFor(glob: string): string[] {
  const home = /^(~[^/]*|\$\{?HOME\}?|\/root|\/home\/[^/]+|\/Users\/[^/]+)\//.exec(glob)?.[1];
  const homes = home ? [home] : ['/root', '/home/u'];
  const out: string[] = [];
  for (const ex of SENSITIVE_EXAMPLES) {
    if (ex.startsWith('~/')) for (const h of homes) out.push(h + ex.slice(1));
    else out.push(ex);
  }
  return out;
}

/** A shell glob as a regex over whole paths: `*` and `?` stay within a segment and, as in bash, never match a leading dot. */
function globRegex(glob: string): RegExp | undefined {
  let re = '';
  let segmentStart = true;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '/') {
      re += '/';
      segmentStart = true;
      continue;
    }
    const guard = segmentStart ? '(?!\\.)' : '';
    segmentStart = false;
    if (c === '*') re += `${guard}[^/]*`;
    else if (c === '?') re += `${guard}[^/]`;
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) return undefined;
      let body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `${guard}[${body.replace(/^\^?\]/, (m) => m.replace(']', '\\]'))}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return undefined;
  }
}

/**
 * The class of a path as code names it, where a `*`, `?` or `[` is a glob (Python's `glob.glob`,
 * pathlib's `.glob`, node's `fs.globSync`): the literal path's class, else the glob's.
 *
 * @example
 * classifyPathOrGlob('~/.ssh/id_*') // 'credential'
 */
export function classifyPathOrGlob(path: string): PathClass | undefined {
  return classifyPath(path) ?? (/[*?[]/.test(path) ? classifyGlob(path) : undefined);
}

/**
 * The strictest sensitive class among the files an unquoted shell glob could expand to
 * (`~/.a?s/cred*`, `/???/shadow`, `~/.ssh/id_*`), or `undefined`. Globs with fewer than two
 * literal letters or digits (`.*`, any dir then `/.*`) name "any hidden file" rather than a target and are left
 * alone. Only for words the shell expands: a quoted pattern (`find -name '.*'`) is not a path.
 *
 * @example
 * classifyGlob('~/.a?s/credentials') // 'credential'
 * classifyGlob('src/*.ts')           // undefined
 */
export function classifyGlob(path: string): PathClass | undefined {
  return classifyGlobRemembered(path);
}

function classifyGlobUncached(path: string): PathClass | undefined {
  const p = normalise(path);
  if (!p || p.length > 1024 || !/[*?[]/.test(p)) return undefined;
  if ((p.replace(/\[[^\]]*\]/g, '').match(/[a-z0-9]/gi)?.length ?? 0) < 2) return undefined;
  const re = globRegex(p);
  if (!re) return undefined;
  let found: PathClass | undefined;
  for (const ex of examplesFor(p)) {
    if (!re.test(ex)) continue;
    const cls = classifyLiteral(ex);
    if (cls === 'credential') return cls;
    if (cls === 'system' || (cls === 'persistence' && !found)) found = cls;
  }
  return found;
}

/** Resolves `.` and `..` segments of an absolute path (`/usr/../.` → `/`). */
function resolveDots(path: string): string {
  const home = /^(~[^/]*|\$\{?HOME\}?)(\/.*)?$/.exec(path);
  if (home) {
    // `~/.`, `$HOME/x/..`: the same directory as the home itself; `~/..` climbs out of it (to /home).
    const out: string[] = [];
    for (const seg of (home[2] ?? '').split('/')) {
      if (seg === '' || seg === '.') continue;
      if (seg === '..') { if (!out.length) return '/home'; out.pop(); } else out.push(seg);
    }
    return out.length ? `${home[1]}/${out.join('/')}` : home[1]!;
  }
  if (!path.startsWith('/')) return path;
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  return `/${out.join('/')}${path.endsWith('/*') && out.length ? '' : ''}`;
}

/**
 * True when `path` is the root, a home directory or a top-level system directory.
 *
 * @example
 * isCriticalTree('/usr/..') // true
 * isCriticalTree('./build') // false
 */
export function isCriticalTree(path: string): boolean {
  const p = resolveDots(normalise(path).replace(/\/\*?$/, '') || '/').replace(/\/\*?$/, '') || '/';
  if (p === '/' || p === '/*' || p === '') return true;
  if (/^(~[^/]*|\$\{?HOME\}?|\/root|\/home(\/[^/]+)?|\/Users\/[^/]+)$/.test(p)) return true;
  if (/^(~|\$\{?HOME\}?)\/\.?\*$/.test(normalise(path))) return true;
  return /^\/(bin|boot|dev|etc|lib|lib32|lib64|opt|proc|sbin|srv|sys|usr|var|home|root|mnt|media|snap)(\/\*)?$/.test(p)
    || p === '/.*';
}
