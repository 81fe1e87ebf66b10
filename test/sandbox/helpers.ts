/**
 * Shared helpers for the sandbox suites: throw-away workspaces, a policy over them, and short
 * ways to run shell or Python inside the sandbox. Every attack in these suites runs only inside
 * the sandbox under test.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePolicyPaths, type Policy, type PolicyInput } from '../../src/policy/index.js';
import { parsePolicy } from '../../src/policy/schema.js';
import { runSandboxed, type SandboxRequest, type SandboxResult } from '../../src/sandbox/index.js';

/** A temporary directory removed by `cleanup()`. */
export function tempDir(prefix = 'airlock-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A resolved policy whose workspace is `workspace`, with overrides in policy-file form. */
export function policyFor(workspace: string, overrides: PolicyInput = {}): Policy {
  const parsed = parsePolicy({ ...overrides, workspace });
  if (!parsed.ok) throw new Error(`bad test policy: ${JSON.stringify(parsed.issues)}`);
  return resolvePolicyPaths(parsed.value, workspace, os.homedir());
}

/** Output as text, for assertions. */
export interface TextResult extends Omit<SandboxResult, 'stdout' | 'stderr'> {
  stdout: string;
  stderr: string;
}

/** Runs argv in the sandbox with a policy over `workspace`. */
export async function sandbox(workspace: string, argv: string[], overrides: PolicyInput = {}, extra: Partial<SandboxRequest> = {}): Promise<TextResult> {
  const r = await runSandboxed({ argv, policy: policyFor(workspace, overrides), cwd: workspace, ...extra });
  return { ...r, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** Runs a shell script in the sandbox. */
export function sh(workspace: string, script: string, overrides: PolicyInput = {}, extra: Partial<SandboxRequest> = {}): Promise<TextResult> {
  return sandbox(workspace, ['/bin/sh', '-c', script], overrides, extra);
}

/** Runs Python code in the sandbox. */
export function py(workspace: string, code: string, overrides: PolicyInput = {}, extra: Partial<SandboxRequest> = {}): Promise<TextResult> {
  return sandbox(workspace, ['/usr/bin/python3', '-c', code], overrides, extra);
}

/** Host processes whose command line starts with `marker` (read from the host's /proc). */
export function hostProcessesMatching(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.startsWith(marker)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Removes directories made by the tests. */
export function cleanup(...dirs: string[]): void {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
