/**
 * @module core
 * Public contracts shared by every layer: actions, findings, verdicts, run results and errors.
 */
export * from './contracts.js';
export * from './errors.js';
export * from './mask.js';
