/**
 * @module policy/schema
 * The policy file's schema (zod), its defaults, and `parsePolicy`, which turns an untrusted object
 * into a resolved `Policy` (durations and sizes in numbers) or the complete list of problems, each
 * with the path of its field. Unknown fields are errors: a typo must never silently widen or narrow
 * a policy. Pure: no file access here (see `policy/discover.ts` and `airlock.ts` for loading).
 */
import { z } from 'zod';
import type { Issue } from '../core/errors.js';
import { parseDuration, parseSize } from './units.js';

const verdict = z.enum(['allow', 'ask', 'deny']);
const severity = z.enum(['low', 'medium', 'high', 'critical']);
const threshold = z.enum(['low', 'medium', 'high', 'critical', 'never']);
const outputAction = z.enum(['redact', 'block', 'report']);

const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like "30s", "5m" or "500ms", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return ms;
});

const size = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const bytes = parseSize(value);
  if (bytes === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected a size like "512MiB", "1MB" or "64k", got ${JSON.stringify(value)}` });
    return z.NEVER;
  }
  return bytes;
});

const positiveInt = z.number().int().positive();
const stringList = z.array(z.string().min(1, 'must not be empty'));

/** Host patterns: `example.com`, `*.example.com`, optionally with `:port`. */
const hostPattern = z.string().regex(
  /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/i,
  'expected a host like "pypi.org", "*.github.com" or "api.example.com:443"',
);

/** A local endpoint opened on purpose: an IP literal and a port, never a range. */
const localEndpoint = z.string().regex(
  /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):\d{1,5}$/i,
  'expected an address and a port like "127.0.0.1:5173" or "[::1]:8080" (ranges are not allowed)',
);

const commandRule = z.strictObject({
  /** Program and leading arguments, e.g. `git push` or `["rm", "-rf"]`; `*` matches one argument. */
  match: z.union([z.string().min(1), z.array(z.string()).min(1)]),
  verdict,
  /** Shown to the agent and the approver. */
  reason: z.string().optional(),
  /** A stable id for the audit log; defaults to `commands[N]`. */
  id: z.string().optional(),
  /** Commands that must (and must not) match this rule; checked when the policy loads. */
  examples: z.strictObject({
    match: z.array(z.string()).prefault([]),
    notMatch: z.array(z.string()).prefault([]),
  }).optional(),
});

const brokeredCredential = z.strictObject({
  /** The one allowed host the secret is attached for, e.g. `api.github.com`. */
  host: hostPattern,
  /** The header to set, e.g. `Authorization`. */
  header: z.string().min(1),
  /** Name of the variable in Airlock's own environment that holds the secret. */
  env: z.string().min(1),
  /** Text placed before the secret, e.g. `Bearer `. */
  prefix: z.string().prefault(''),
});

const userPattern = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'expected a lowercase id like "custom.internal-token"'),
  /** An RE2 regular expression (linear time; no backreferences or lookaround). */
  pattern: z.string().min(1),
  severity: severity.prefault('high'),
  message: z.string().optional(),
});

/** The policy file's schema. Every field has a default; see docs/policy.md. */
export const policySchema = z.strictObject({
  version: z.literal(1, { error: 'expected version: 1 (the only policy format so far)' }).prefault(1),
  mode: z.enum(['enforce', 'monitor']).prefault('enforce'),
  workspace: z.string().min(1).prefault('.'),
  filesystem: z.strictObject({
    read: stringList.prefault([]),
    write: stringList.prefault([]),
    deny: stringList.prefault(['~/.ssh', '~/.aws', '~/.config/gcloud', '**/.env']),
  }).prefault({}),
  network: z.strictObject({
    allow: z.array(hostPattern).prefault([]),
    deny: z.array(hostPattern).prefault([]),
    local: z.array(localEndpoint).prefault([]),
    maxBytesOut: size.optional(),
    maxRequests: positiveInt.optional(),
    credentials: z.array(brokeredCredential).prefault([]),
  }).prefault({}),
  limits: z.strictObject({
    timeout: duration.prefault('30s'),
    cpu: duration.optional(),
    memory: size.prefault('512MiB'),
    processes: positiveInt.prefault(128),
    output: size.prefault('1MiB'),
    fileSize: size.prefault('64MiB'),
  }).prefault({}),
  env: z.strictObject({
    pass: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')).prefault(['PATH', 'LANG', 'TERM', 'HOME']),
    set: z.record(z.string(), z.string()).prefault({}),
  }).prefault({}),
  commands: z.array(commandRule).prefault([]),
  inspect: z.strictObject({
    deny: threshold.prefault('high'),
    ask: threshold.prefault('medium'),
    /** Verdict for programs no rule knows: `allow` (default) or `ask`. */
    unknownPrograms: z.enum(['allow', 'ask']).prefault('allow'),
    /** Inputs larger than this are not parsed and get `ask`. */
    maxInputSize: size.prefault('256KiB'),
  }).prefault({}),
  verify: z.strictObject({
    secrets: outputAction.prefault('redact'),
    pii: outputAction.prefault('redact'),
    canary: outputAction.prefault('block'),
    /** PII findings below this confidence are ignored. */
    piiMinConfidence: z.number().min(0).max(1).prefault(0.5),
    patterns: z.array(userPattern).prefault([]),
    files: z.strictObject({
      /** Workspace paths (globs) a run may never change. */
      protect: stringList.prefault(['.git/hooks/**', '.github/workflows/**']),
      action: z.enum(['revert', 'block', 'report']).prefault('block'),
    }).prefault({}),
  }).prefault({}),
  approvals: z.strictObject({
    timeout: duration.prefault('5m'),
  }).prefault({}),
  audit: z.strictObject({
    store: z.string().min(1).prefault('.airlock/audit.db'),
    /** Path of an Ed25519 private key (PEM) used to sign checkpoints; none = unsigned. */
    signingKey: z.string().optional(),
    checkpointEvery: positiveInt.prefault(1000),
  }).prefault({}),
});

/** A policy file as written (units as strings, fields optional). */
export type PolicyInput = z.input<typeof policySchema>;
/** A resolved policy: every field present, durations in milliseconds, sizes in bytes. */
export type Policy = z.output<typeof policySchema>;
/** One entry of `commands:`. */
export type CommandRule = Policy['commands'][number];

/** The outcome of parsing: a policy, or every problem found. */
export type PolicyParseResult = { ok: true; value: Policy } | { ok: false; issues: Issue[] };

/** Formats a zod path as `commands[2].match`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * Validates an untrusted object as a policy, collecting every problem with its path.
 *
 * @example
 * const r = parsePolicy({ limits: { memory: '256MiB' } });
 * if (r.ok) r.value.limits.memory // 268435456
 */
export function parsePolicy(input: unknown): PolicyParseResult {
  const result = policySchema.safeParse(input ?? {});
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    issues: result.error.issues.map((issue) => {
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') message = `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; check the spelling against docs/policy.md`;
      return { path: formatPath(issue.path), message };
    }),
  };
}

/**
 * The built-in default policy: workspace = the working directory, no network, nothing outside
 * the system set readable, the limits of docs/policy.md.
 *
 * @example
 * defaultPolicy().limits.timeout // 30000
 */
export function defaultPolicy(): Policy {
  const r = parsePolicy({});
  if (!r.ok) throw new Error('internal: the default policy does not validate');
  return r.value;
}
