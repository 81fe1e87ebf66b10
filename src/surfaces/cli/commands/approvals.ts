/**
 * @module surfaces/cli/commands/approvals
 * `airlock approvals`: not built yet (see the open issues).
 */
import { AirlockError } from '../../../core/errors.js';

/** Entry point of `airlock approvals`. */
export async function main(_argv: string[]): Promise<number> {
  throw new AirlockError('unavailable', '"airlock approvals" is not available in this build yet.');
}
