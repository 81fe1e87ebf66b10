/**
 * @module surfaces/cli/commands/audit
 * `airlock audit`: not built yet (see the open issues).
 */
import { AirlockError } from '../../../core/errors.js';

/** Entry point of `airlock audit`. */
export async function main(_argv: string[]): Promise<number> {
  throw new AirlockError('unavailable', '"airlock audit" is not available in this build yet.');
}
