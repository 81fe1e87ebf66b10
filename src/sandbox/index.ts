/**
 * @module sandbox
 * Contained execution: the bubblewrap launch plan, the seccomp filter, limits and the runner.
 */
export * from './runner.js';
export { buildLaunchPlan, ETC_SECRETS, type HostView, type LaunchPlan, type PlanInput, type ExtraBind } from './bubblewrap/plan.js';
export { buildSeccompFilter, describeSeccompFilter, DENIED_SYSCALLS_X86_64 } from './seccomp/filter.js';
export { detectCgroups, createRunCgroup, type RunCgroup } from './limits/cgroup.js';
