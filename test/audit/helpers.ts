/** Shared by the audit and approvals tests: temp dirs, running the CLI from source, filling a log. */
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openAuditLog, type AuditLog } from '../../src/audit/index.js';

export const tempDir = (prefix = 'airlock-audit-'): string => mkdtempSync(path.join(os.tmpdir(), prefix));
export const cleanup = (...dirs: string[]): void => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); };

const CLI = path.resolve('src/surfaces/cli/main.ts');
// tsx by absolute URL, so the CLI can run from any working directory.
export const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
export const RUN_CLI = `import(${JSON.stringify(CLI)}).then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`;

/** Runs `airlock ARGS…` from the TypeScript sources (no build needed). */
export function cli(args: string[], options: SpawnSyncOptions = {}) {
  const r = spawnSync(process.execPath, ['--import', TSX, '-e', RUN_CLI, ...args], { encoding: 'utf8', timeout: 60_000, ...options });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** The same, asynchronously (for a CLI call while this process waits on an approval). */
export function cliAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, '-e', RUN_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Appends `n` varied events. */
export function fill(log: AuditLog, n: number): void {
  for (let i = 0; i < n; i++) {
    const session = `s${i % 3}`;
    log.append(i % 2 ? 'decision.made' : 'action.requested', i % 2 ? { verdict: 'allow', reasons: [], i } : { summary: `echo ${i}`, i }, { agent: 'test', session });
  }
}

export function openTemp(dir: string, options: { signingKeyPath?: string; checkpointEvery?: number } = {}): AuditLog {
  return openAuditLog({ path: path.join(dir, 'audit.db'), ...options });
}
