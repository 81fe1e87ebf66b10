/**
 * @module surfaces/cli/commands/scan
 * `airlock scan`: not built yet (see the open issues).
 */
import { AirlockError } from '../../../core/errors.js';

/** Entry point of `airlock scan`. */
export async function main(_argv: string[]): Promise<number> {
  throw new AirlockError('unavailable', '"airlock scan" is not available in this build yet.');
}
