/**
 * @module policy
 * The policy: schema, defaults, loading from text, discovery, and units. Pure.
 */
export * from './schema.js';
export * from './load.js';
export * from './units.js';
export * from './starter.js';
export * from './commands.js';
export * from './decide.js';
