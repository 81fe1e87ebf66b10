/**
 * @module sandbox/files
 * Workspace snapshots for the file-change manifest.
 */
export { takeSnapshot, readChangedText, readTextStart, type SnapshotOptions } from './snapshot.js';
export { backupProtected, revertProtected, type BackupOptions, type ProtectedBackup, type RevertReport } from './revert.js';
