/* eslint-disable @typescript-eslint/no-explicit-any -- hook outputs are parsed JSON of any shape */
/** Spawning `bin/airlock hook AGENT` with a payload on stdin, in a throwaway project. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scratchDir } from '../tmp.js';

const BIN = path.resolve('bin/airlock');

/** Runs the hook CLI with `payload` (an object is JSON-encoded) on stdin. */
export function hook(agent: string, payload: unknown, args: string[] = []): { code: number | null; stdout: string; stderr: string; json: any } {
  const input = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const r = spawnSync(process.execPath, [BIN, 'hook', agent, ...args], { input, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.homedir() } });
  let json: any = null;
  try { json = r.stdout.trim() ? JSON.parse(r.stdout) : null; } catch { json = undefined; }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json };
}

/** A project folder with an airlock.policy.yaml that asks about unknown tools and has command rules. */
export function makeProject(extra = ''): string {
  const dir = scratchDir('airlock-hook-');
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'airlock.policy.yaml'), [
    'version: 1',
    'inspect: { unknownPrograms: ask }',
    'commands:',
    '  - { match: "rm -rf", verdict: deny, reason: "recursive deletes are not allowed", id: test.no-rm-rf }',
    '  - { match: "git push", verdict: ask, reason: "pushing needs a human", id: test.ask-push }',
    extra,
    '',
  ].join('\n'));
  return dir;
}
