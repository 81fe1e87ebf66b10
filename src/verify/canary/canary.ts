/**
 * @module verify/canary/canary
 * Canary tokens: per-run, unique, realistic-looking but fake credentials that the sandbox plants
 * in the environment and in decoy files under the sandbox's own HOME. Nothing legitimate ever
 * reads them, so seeing one in output, a changed file or egress is a fact, not a guess: the
 * program went looking for credentials.
 */
import { BASE32, base62, crc32 } from '../checksums.js';
import type { DetectorRule } from '../types.js';

/** What the sandbox plants for one run. */
export interface CanarySet {
  /** Environment variables to set in the sandbox. */
  env: Record<string, string>;
  /** Decoy files, path relative to the sandbox's own HOME (e.g. `.aws/credentials`). */
  files: Array<{ path: string; content: string }>;
  /** Every token value, for detection. */
  tokens: string[];
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const B64 = `${ALNUM}+/`;

/** A random string over `alphabet` from the platform's CSPRNG (Web Crypto; no I/O). */
function random(alphabet: string, length: number): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

/**
 * Creates a fresh canary set: an AWS key pair, a GitHub token (with a valid checksum), an
 * OpenAI-style key, an npm token and a database URL password, in env and decoy files.
 *
 * @example
 * const canaries = createCanaries();
 * canaries.env.AWS_ACCESS_KEY_ID // 'AKIA…' (fake, unique to this run)
 */
export function createCanaries(): CanarySet {
  const awsId = `AKIA${random(BASE32, 16)}`;
  const awsSecret = random(B64, 40);
  const ghBody = random(ALNUM, 30);
  const github = `ghp_${ghBody}${base62(crc32(ghBody), 6)}`;
  const openai = `sk-proj-${random(`${ALNUM}_-`, 56)}T3BlbkFJ${random(`${ALNUM}_-`, 56)}`;
  const npm = `npm_${random(ALNUM, 36)}`;
  const dbPassword = random(ALNUM, 24);
  return {
    env: {
      AWS_ACCESS_KEY_ID: awsId,
      AWS_SECRET_ACCESS_KEY: awsSecret,
      GITHUB_TOKEN: github,
      OPENAI_API_KEY: openai,
      NPM_TOKEN: npm,
      DATABASE_URL: `postgres://app:${dbPassword}@db.internal:5432/app`,
    },
    files: [
      { path: '.aws/credentials', content: `[default]\naws_access_key_id = ${awsId}\naws_secret_access_key = ${awsSecret}\n` },
      { path: '.config/gh/hosts.yml', content: `github.com:\n    user: deploy-bot\n    oauth_token: ${github}\n    git_protocol: https\n` },
      { path: '.npmrc', content: `//registry.npmjs.org/:_authToken=${npm}\n` },
      { path: '.pgpass', content: `db.internal:5432:app:app:${dbPassword}\n` },
    ],
    tokens: [awsId, awsSecret, github, openai, npm, dbPassword],
  };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The part of base64(`prefix` + token) that depends on the token's bytes alone. */
function base64Core(token: Buffer, prefix: number, url: boolean): string {
  const all = Buffer.concat([Buffer.alloc(prefix), token]).toString(url ? 'base64url' : 'base64');
  return all.slice(prefix ? 4 : 0, Math.floor((prefix + token.length) / 3) * 4);
}

/**
 * A token and the encodings a program would use to slip it past a plain-text match: reversed,
 * hex (both cases), percent-encoded, and base64 / base64url at each of the three byte alignments it
 * can take inside a longer encoded text (only the characters that depend on the token alone, so
 * `base64 ~/.aws/credentials` is found whatever precedes the token in the file, also when a line
 * break falls inside it). Forms shorter than 12 characters are left out: too short to be unique.
 *
 * @example
 * canaryForms('AKIAQWERTYUIOPASDFGH').includes(Buffer.from('AKIAQWERTYUIOPASDFGH').toString('hex')) // true
 */
export function canaryForms(token: string): string[] {
  const bytes = Buffer.from(token);
  const hex = bytes.toString('hex');
  const forms = [token, [...token].reverse().join(''), hex, hex.toUpperCase(), encodeURIComponent(token)];
  forms.push(forms[4]!.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  for (const prefix of [0, 1, 2]) {
    for (const url of [false, true]) {
      // `base64` wraps its output at 76 columns: a newline may split the core once, and whichever
      // side of the split is longer holds the core's first or its second half whole.
      const core = base64Core(bytes, prefix, url);
      const half = Math.ceil(core.length / 2);
      forms.push(core, core.slice(0, half), core.slice(core.length - half));
    }
  }
  return [...new Set(forms)].filter((f, i) => i === 0 || f.length >= 12);
}

/** Lower-cased forms without those that contain another one (a base64 core holds its halves). */
function gatingWords(forms: readonly string[]): string[] {
  const lower = [...new Set(forms.map((f) => f.toLowerCase()))].sort((a, b) => a.length - b.length);
  return lower.filter((w, i) => !lower.slice(0, i).some((shorter) => w.includes(shorter)));
}

/**
 * The detector for a run's canary tokens (`canary.token`, critical); `null` when there are none.
 *
 * @example
 * canaryRule(createCanaries().tokens)?.id // 'canary.token'
 */
export function canaryRule(tokens: readonly string[]): DetectorRule | null {
  const usable = [...new Set(tokens.filter((t) => t.length >= 8).flatMap(canaryForms))];
  if (!usable.length) return null;
  return {
    id: 'canary.token',
    kind: 'canary',
    severity: 'critical',
    message: 'Canary credential planted by Airlock (the program read decoy credentials)',
    remediation: 'Nothing legitimate reads these decoys: treat the run as an attempt to steal credentials.',
    keywords: gatingWords(usable),
    pattern: new RegExp(usable.map(escape).sort((a, b) => b.length - a.length).join('|'), 'g'),
  };
}
