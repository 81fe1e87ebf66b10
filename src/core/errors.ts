/**
 * @module core/errors
 * The few exception classes Airlock throws. Decisions and findings are values, never exceptions;
 * these are for "could not decide" or "could not run". Each has a stable `code`, keeps its
 * `cause`, and is recognised across module copies by `isAirlockError` (a symbol brand, not
 * `instanceof`, so two installed copies of Airlock still agree).
 */

const BRAND = Symbol.for('airlock.error');

/** One problem found in a configuration or policy, with the path of the field. */
export interface Issue {
  /** Dotted path of the field, e.g. `limits.memory` or `commands[2].match`. */
  path: string;
  message: string;
}

/** Base class: every Airlock error has a `code` and may carry `issues`. */
export class AirlockError extends Error {
  readonly code: string;
  readonly issues: Issue[];
  readonly [BRAND] = true;

  constructor(code: string, message: string, options: { cause?: unknown; issues?: Issue[] } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
  }
}
AirlockError.prototype.name = 'AirlockError';

/** A configuration file or option is invalid. `issues` lists every problem, not only the first. */
export class ConfigError extends AirlockError {
  constructor(message: string, options: { cause?: unknown; issues?: Issue[] } = {}) {
    super('config', message, options);
  }
}
ConfigError.prototype.name = 'ConfigError';

/** A policy is invalid or could not be evaluated. */
export class PolicyError extends AirlockError {
  constructor(message: string, options: { cause?: unknown; issues?: Issue[] } = {}) {
    super('policy', message, options);
  }
}
PolicyError.prototype.name = 'PolicyError';

/** Why the sandbox failed: it could not isolate (`unsupported`), could not start (`spawn`), … */
export type SandboxErrorCode = 'unsupported' | 'spawn' | 'timeout' | 'violation' | 'internal';

/** The sandbox could not do its job. It never falls back to running a program unconfined. */
export class SandboxError extends AirlockError {
  readonly reason: SandboxErrorCode;
  /** What the user can do about it. */
  readonly hint: string | undefined;

  constructor(reason: SandboxErrorCode, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(`sandbox.${reason}`, message, options);
    this.reason = reason;
    this.hint = options.hint;
  }
}
SandboxError.prototype.name = 'SandboxError';

/** An integration (MCP, hooks, HTTP) received something it cannot translate. */
export class IntegrationError extends AirlockError {
  constructor(message: string, options: { cause?: unknown; issues?: Issue[] } = {}) {
    super('integration', message, options);
  }
}
IntegrationError.prototype.name = 'IntegrationError';

/**
 * True for any error thrown by Airlock, even from another copy of the package.
 *
 * @example
 * try { await airlock.run(action) } catch (e) { if (isAirlockError(e)) console.error(e.code) }
 */
export function isAirlockError(value: unknown): value is AirlockError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

/** Formats issues as one line each: `  - limits.memory: expected a size like 512MiB, got "lots"`. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `  - ${i.path || '(root)'}: ${i.message}`).join('\n');
}
