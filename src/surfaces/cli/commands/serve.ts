/**
 * @module surfaces/cli/commands/serve
 * `airlock serve`: not built yet (see the open issues).
 */
import { AirlockError } from '../../../core/errors.js';

/** Entry point of `airlock serve`. */
export async function main(_argv: string[]): Promise<number> {
  throw new AirlockError('unavailable', '"airlock serve" is not available in this build yet.');
}
