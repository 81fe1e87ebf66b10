/**
 * @module surfaces/cli/open-airlock
 * How a CLI command gets its pipeline: the policy from `--policy`/discovery (with `--workspace`),
 * recorded with its source and hash, and a requester that names the command and the user. Kept
 * out of `shared.ts` so that commands which never run anything do not load the pipeline.
 */
import type { Requester } from '../../core/contracts.js';
import { createAirlock, type Airlock, type AirlockOptions } from '../../airlock.js';
import { loadPolicy } from '../../load-policy.js';
import { setWarmLauncher } from '../../sandbox/runner.js';

/** What a command passes through to `createAirlock`. */
export interface OpenAirlockOptions {
  policy?: string | undefined;
  workspace?: string | undefined;
  /** Where policy discovery starts (default: the working directory). */
  cwd?: string | undefined;
  /** Who asks; `user` defaults to `$USER`. */
  requester: Requester;
  approvals?: AirlockOptions['approvals'];
  /** The process runs one action and exits: no launcher is started ahead for a next run. */
  oneShot?: boolean;
}

/**
 * Loads the policy in force and creates the pipeline for a CLI command.
 *
 * @example
 * const airlock = openAirlock({ policy: values.policy, requester: { agent: 'cli' } });
 */
export function openAirlock(options: OpenAirlockOptions): Airlock {
  if (options.oneShot) setWarmLauncher(false);
  const loaded = loadPolicy({ file: options.policy, workspace: options.workspace, ...(options.cwd ? { cwd: options.cwd } : {}) });
  return createAirlock({
    policy: loaded.policy,
    policySource: loaded.source,
    policyHash: loaded.hash,
    requester: { user: process.env.USER ?? 'unknown', ...options.requester },
    ...(options.approvals ? { approvals: options.approvals } : {}),
  });
}
