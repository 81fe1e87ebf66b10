/**
 * @module surfaces/cli/commands/hook
 * `airlock hook`: not built yet (see the open issues).
 */
import { AirlockError } from '../../../core/errors.js';

/** Entry point of `airlock hook`. */
export async function main(_argv: string[]): Promise<number> {
  throw new AirlockError('unavailable', '"airlock hook" is not available in this build yet.');
}
