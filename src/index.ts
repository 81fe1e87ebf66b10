/**
 * @module airlock
 * The library entry point: the pipeline, policy loading, and the public contracts. Each layer also
 * has its own subpath export (`airlock/policy`, `airlock/sandbox`, …) for callers that want one.
 *
 * @example
 * import { createAirlock, loadPolicy } from 'airlock';
 * const airlock = createAirlock({ policy: loadPolicy().policy });
 * const result = await airlock.run({ kind: 'command', argv: ['npm', 'test'] });
 */
export * from './core/index.js';
export { createAirlock, summarizeAction, resolveWorkspacePath, protectedPaths, type Airlock, type AirlockOptions, type ApprovalAnswer, type ApprovalRequest, type RunOptions } from './airlock.js';
export { loadPolicy, type LoadedPolicy, type LoadPolicyOptions } from './load-policy.js';
export { defaultPolicy, parsePolicy, parsePolicyText, type Policy, type PolicyInput, type CommandRule } from './policy/index.js';
