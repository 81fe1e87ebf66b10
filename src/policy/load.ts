/**
 * @module policy/load
 * Turning policy text into a `Policy`, and finding `airlock.policy.yaml` upward from a directory.
 * Pure: the caller supplies the file access (`PolicyFs`), so this module never touches the disk
 * itself. Relative paths in a policy (`workspace`, `audit.store`, filesystem lists) are resolved
 * against the directory of the file they came from.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Issue } from '../core/errors.js';
import { parsePolicy, type Policy, type PolicyParseResult } from './schema.js';

/** The file names searched for, in order, in each directory. */
export const POLICY_FILE_NAMES = ['airlock.policy.yaml', 'airlock.policy.yml', 'airlock.policy.json'] as const;

/** The file access `findPolicyFile` needs. */
export interface PolicyFs {
  isFile(path: string): boolean;
}

/**
 * Parses policy text (YAML, or JSON when the name ends in `.json`), collecting every problem.
 *
 * @example
 * parsePolicyText('version: 1\nlimits: { timeout: 10s }\n', 'airlock.policy.yaml')
 */
export function parsePolicyText(text: string, fileName = 'policy.yaml'): PolicyParseResult {
  let data: unknown;
  if (fileName.endsWith('.json')) {
    try {
      data = JSON.parse(text);
    } catch (error) {
      return { ok: false, issues: [{ path: '', message: `not valid JSON: ${(error as Error).message}` }] };
    }
  } else {
    // Loaded on first use: a JSON policy or the built-in default never needs the YAML parser.
    const { parseDocument } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const issues: Issue[] = doc.errors.map((e) => ({ path: '', message: `YAML: ${e.message.split('\n')[0]}` }));
      return { ok: false, issues };
    }
    data = doc.toJS();
  }
  if (data !== null && data !== undefined && (typeof data !== 'object' || Array.isArray(data))) {
    return { ok: false, issues: [{ path: '', message: 'a policy must be a mapping of fields (see docs/policy.md)' }] };
  }
  return parsePolicy(data ?? {});
}

/**
 * Looks for a policy file in `startDir` and each parent, nearest first.
 *
 * @example
 * findPolicyFile(process.cwd(), { isFile: (p) => fs.existsSync(p) })
 */
export function findPolicyFile(startDir: string, fs: PolicyFs): string | undefined {
  let dir = path.resolve(startDir);
  for (;;) {
    for (const name of POLICY_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (fs.isFile(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Expands `~` and `~/…` against `home`; leaves other paths alone. */
export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/')) return path.join(home, p.slice(2));
  return p;
}

/**
 * Resolves the relative paths of a policy against `baseDir` (the policy file's directory, or the
 * working directory for the built-in default) and `~` against `home`. Glob patterns starting with
 * `**` stay patterns.
 *
 * @example
 * resolvePolicyPaths(policy, '/repo', '/home/me').workspace // '/repo'
 */
export function resolvePolicyPaths(policy: Policy, baseDir: string, home: string): Policy {
  const resolve = (p: string): string => {
    if (p.startsWith('**')) return p;
    return path.resolve(baseDir, expandHome(p, home));
  };
  return {
    ...policy,
    workspace: resolve(policy.workspace),
    filesystem: {
      read: policy.filesystem.read.map(resolve),
      write: policy.filesystem.write.map(resolve),
      deny: policy.filesystem.deny.map(resolve),
    },
    audit: {
      ...policy.audit,
      store: resolve(policy.audit.store),
      ...(policy.audit.signingKey ? { signingKey: resolve(policy.audit.signingKey) } : {}),
    },
  };
}
