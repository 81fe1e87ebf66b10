/**
 * @module verify/canary/detect
 * Canary detection for any text outside the output streams (egress request bodies, URLs, headers):
 * one call, critical `canary.token` findings with masked matches.
 */
import type { Finding } from '../../core/contracts.js';
import { scanText } from '../engine.js';
import { toFindings } from '../redact.js';
import { canaryRule } from './canary.js';

/**
 * Findings for every canary token in `text` (empty when none, or when there are no tokens).
 *
 * @example
 * detectCanaries(requestBody, canaries.tokens, 'egress:api.example.com') // [{ rule: 'canary.token', severity: 'critical', … }]
 */
export function detectCanaries(text: string, tokens: readonly string[], source: string): Finding[] {
  const rule = canaryRule(tokens);
  if (!rule || !text) return [];
  return toFindings(text, scanText(text, [rule]), source);
}
