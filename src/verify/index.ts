/**
 * @module verify
 * Output verification: secrets, PII and canary tokens found in stdout, stderr and changed files
 * before the agent sees them; redaction per policy; the file-change manifest; SARIF.
 */
export { verifyOutput, scanSource, type ScannedText } from './verify-output.js';
export { createStreamScanner, type StreamScanner, type StreamScannerOptions } from './stream.js';
export { createCanaries, canaryRule, type CanarySet } from './canary/canary.js';
export { detectCanaries } from './canary/detect.js';
export { scanText, locate, resolveOverlaps, type ScanTextOptions } from './engine.js';
export { buildRules, describeBuiltinRules, SECRET_RULES, PII_RULES } from './rules.js';
export { compilePatterns } from './patterns.js';
export { redactText, redactionLabel, toFindings, actionFor, blockReason } from './redact.js';
export { diffSnapshots, checkProtected, partialSnapshotFinding, type Snapshot, type FileEntry, type SnapshotDiff } from './files.js';
export { toSarif, SARIF_SCHEMA, type SarifLog } from './sarif.js';
export { luhn, iban, crc32, base62, githubTokenChecksumOk, verhoeff, shannonEntropy } from './checksums.js';
export type { DetectorRule, DetectorKind, RawMatch, VerifyInput, VerifyResult, VerifyPolicy, OutputAction, FileContent } from './types.js';
