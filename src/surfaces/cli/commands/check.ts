/**
 * @module surfaces/cli/commands/check
 * `airlock check`: not built yet (see the open issues).
 */
import { AirlockError } from '../../../core/errors.js';

/** Entry point of `airlock check`. */
export async function main(_argv: string[]): Promise<number> {
  throw new AirlockError('unavailable', '"airlock check" is not available in this build yet.');
}
