/**
 * @module surfaces/cli/commands/mcp
 * `airlock mcp`: not built yet (see the open issues).
 */
import { AirlockError } from '../../../core/errors.js';

/** Entry point of `airlock mcp`. */
export async function main(_argv: string[]): Promise<number> {
  throw new AirlockError('unavailable', '"airlock mcp" is not available in this build yet.');
}
