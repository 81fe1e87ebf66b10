/**
 * @module surfaces/cli/commands/demo
 * `airlock demo`: not built yet (see the open issues).
 */
import { AirlockError } from '../../../core/errors.js';

/** Entry point of `airlock demo`. */
export async function main(_argv: string[]): Promise<number> {
  throw new AirlockError('unavailable', '"airlock demo" is not available in this build yet.');
}
