/**
 * @module sandbox/files
 * Workspace snapshots for the file-change manifest.
 */
export { takeSnapshot, readChangedText, type SnapshotOptions } from './snapshot.js';
