/**
 * @module load-policy
 * Loads the policy in force: an explicit file, or `airlock.policy.yaml` found upward from the
 * working directory, or the built-in default. A file that exists but does not validate is an
 * error listing every problem: Airlock never falls back to the default when a policy was meant.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from './core/errors.js';
import { defaultPolicy, type Policy } from './policy/schema.js';
import { findPolicyFile, parsePolicyText, resolvePolicyPaths } from './policy/load.js';

/** A policy with where it came from and the hash recorded in the audit log. */
export interface LoadedPolicy {
  policy: Policy;
  /** The file's absolute path, or `null` for the built-in default. */
  source: string | null;
  /** SHA-256 of the file's bytes (or of the default policy's JSON). */
  hash: string;
}

/** Options for `loadPolicy`. */
export interface LoadPolicyOptions {
  /** An explicit policy file; when absent, discovery runs from `cwd`. */
  file?: string | undefined;
  cwd?: string;
  home?: string;
  /** Override the workspace (the CLI's `--workspace`). */
  workspace?: string | undefined;
}

const isFile = (p: string): boolean => {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
};

/**
 * Loads, validates and resolves the policy in force.
 *
 * @example
 * const { policy, source } = loadPolicy({ cwd: '/repo' });
 */
export function loadPolicy(options: LoadPolicyOptions = {}): LoadedPolicy {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const home = options.home ?? os.homedir();
  const file = options.file ? path.resolve(cwd, options.file) : findPolicyFile(cwd, { isFile });
  let loaded: LoadedPolicy;
  if (file === undefined) {
    const policy = defaultPolicy();
    loaded = {
      policy: resolvePolicyPaths(policy, cwd, home),
      source: null,
      hash: createHash('sha256').update(JSON.stringify(policy)).digest('hex'),
    };
  } else {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read policy file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
    }
    const parsed = parsePolicyText(text, file);
    if (!parsed.ok) {
      throw new ConfigError(`policy file ${file} has ${parsed.issues.length} problem(s):`, { issues: parsed.issues });
    }
    loaded = {
      policy: resolvePolicyPaths(parsed.value, path.dirname(file), home),
      source: file,
      hash: createHash('sha256').update(text).digest('hex'),
    };
  }
  if (options.workspace) loaded.policy = { ...loaded.policy, workspace: path.resolve(cwd, options.workspace) };
  return loaded;
}
