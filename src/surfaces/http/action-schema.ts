/**
 * @module surfaces/http/action-schema
 * Validates the JSON body of `POST /v1/sessions/:id/runs` into an `Action` (the same shapes as
 * the MCP tools and the library), listing every problem with its path.
 */
import { z } from 'zod';
import type { Action } from '../../core/contracts.js';

const timeoutMs = z.number().int().positive().max(24 * 3600_000).optional();

/** The `Action` union as a zod schema. */
export const actionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('command'), argv: z.array(z.string().max(65_536)).min(1).max(4096), stdin: z.string().optional(), timeoutMs }),
  z.strictObject({ kind: z.literal('code'), language: z.enum(['shell', 'python', 'javascript']), code: z.string(), stdin: z.string().optional(), timeoutMs }),
  z.strictObject({ kind: z.literal('read_file'), path: z.string().min(1).max(4096) }),
  z.strictObject({ kind: z.literal('write_file'), path: z.string().min(1).max(4096), content: z.string() }),
  z.strictObject({ kind: z.literal('list_files'), path: z.string().max(4096).optional() }),
]);

/**
 * Parses an action; problems come back as values.
 *
 * @example
 * parseAction({ kind: 'command', argv: ['ls'] }) // { ok: true, value: { kind: 'command', argv: ['ls'] } }
 */
export function parseAction(input: unknown): { ok: true; value: Action } | { ok: false; issues: string[] } {
  const parsed = actionSchema.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data as Action };
  return { ok: false, issues: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(body)'}: ${i.message}`) };
}
