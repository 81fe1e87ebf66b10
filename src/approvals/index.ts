/**
 * @module approvals
 * Pending asks answered by a human through the CLI, a TTY prompt or (later) HTTP; expiry is a
 * deny; "remember for this session" rules. See docs/approvals.md.
 */
export {
  createApprovalQueue, ruleKeyOf,
  type AnswerInput, type AnswerResult, type ApprovalAnswer, type ApprovalQueue, type ApprovalQueueOptions,
  type ApprovalRequest, type PendingApproval, type SessionRule,
} from './queue.js';
