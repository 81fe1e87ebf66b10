/**
 * @module surfaces/cli/commands/run
 * `airlock run`: not built yet (see the open issues).
 */
import { AirlockError } from '../../../core/errors.js';

/** Entry point of `airlock run`. */
export async function main(_argv: string[]): Promise<number> {
  throw new AirlockError('unavailable', '"airlock run" is not available in this build yet.');
}
