/**
 * @module surfaces/cli/commands/exec
 * `airlock exec`: not built yet (see the open issues).
 */
import { AirlockError } from '../../../core/errors.js';

/** Entry point of `airlock exec`. */
export async function main(_argv: string[]): Promise<number> {
  throw new AirlockError('unavailable', '"airlock exec" is not available in this build yet.');
}
