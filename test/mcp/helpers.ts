/**
 * Shared set-up for the MCP tests: a throwaway workspace with a policy file, the real pipeline on
 * it, and a stand-in pipeline that refuses in a known way (for the answer-format tests that must
 * not depend on which inspection rules exist).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createAirlock, type Airlock } from '../../src/airlock.js';
import { emptyLimits, type Action, type RunResult } from '../../src/core/contracts.js';
import { loadPolicy } from '../../src/load-policy.js';
import { scratchDir } from '../tmp.js';

/** A temporary workspace (inside a parent folder, so `..` is a real place) with a policy file. */
export function makeWorkspace(): { root: string; workspace: string; policyFile: string } {
  const root = scratchDir('airlock-mcp-');
  const workspace = path.join(root, 'ws');
  const policyFile = path.join(root, 'airlock.policy.yaml');
  mkdirSync(workspace);
  writeFileSync(path.join(root, 'outside.txt'), 'not for the agent\n');
  writeFileSync(policyFile, [
    'version: 1',
    `workspace: ${JSON.stringify(workspace)}`,
    'commands:',
    '  - { match: "rm -rf", verdict: deny, reason: "recursive deletes are not allowed", id: test.no-rm-rf }',
    '  - { match: "git push", verdict: ask, reason: "pushing needs a human", id: test.ask-push }',
    `audit: { store: ${JSON.stringify(path.join(root, 'audit', 'audit.db'))} }`,
    '',
  ].join('\n'));
  return { root, workspace, policyFile };
}

/** The real pipeline on a workspace's policy. */
export function realAirlock(policyFile: string, workspace: string): Airlock {
  const loaded = loadPolicy({ file: policyFile, workspace });
  return createAirlock({ policy: loaded.policy, policySource: loaded.source, policyHash: loaded.hash });
}

/** True when the pipeline's decide stage applies the policy's command rules (not a stub). */
export async function pipelineDenies(airlock: Airlock): Promise<boolean> {
  const d = await airlock.check({ kind: 'command', argv: ['/bin/sh', '-c', 'rm -rf ./build'] });
  return d.verdict === 'deny';
}

/**
 * A stand-in pipeline: refuses any action whose text contains `rm -rf` with a known finding, and
 * answers any action containing `git push` as an ask whose approval was denied; runs the rest
 * through the real pipeline. It stands in for the decide stage only, so that the MCP answer
 * format is tested whatever inspection rules exist.
 */
export function refusingAirlock(real: Airlock): Airlock {
  const text = (a: Action): string => JSON.stringify(a);
  const refused = (a: Action): RunResult | null => {
    const base = {
      exitCode: null, signal: null, stdout: '', stderr: '', limits: emptyLimits(), network: [], files: { changed: [] },
      durationMs: 1, auditId: 'evt-test-1', ran: false,
    } satisfies Partial<RunResult>;
    if (text(a).includes('rm -rf')) {
      return {
        ...base, verdict: 'deny', reasons: ['Deletes files recursively.'],
        findings: [{ rule: 'shell.recursive-delete', severity: 'high', category: 'destruction', message: 'rm -rf deletes a whole tree', match: 'rm -rf' }],
      };
    }
    if (text(a).includes('git push')) {
      return {
        ...base, verdict: 'deny', reasons: ['pushing needs a human', 'Denied by alice.'], findings: [],
        approval: { id: 'apr-42', answer: 'denied', by: 'alice' },
      };
    }
    return null;
  };
  return {
    policy: real.policy,
    async check(action) {
      const r = refused(action);
      return r ? { verdict: r.verdict, findings: r.findings, reasons: r.reasons, ruleIds: r.findings.map((f) => f.rule) } : real.check(action);
    },
    async run(action, options) {
      return refused(action) ?? real.run(action, options);
    },
    close: () => real.close(),
  };
}
