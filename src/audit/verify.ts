/**
 * @module audit/verify
 * Walks the chain from the first event and names the first one that does not fit: a wrong
 * sequence number (deleted or inserted events), a `prev_hash` that is not the previous event's
 * hash (reordered, deleted or inserted), a hash that does not match the content (changed), or a
 * checkpoint whose signature fails. With a public key, signed checkpoints anchor everything before
 * them: rewriting earlier events and recomputing every hash still breaks a signature.
 */
import type { KeyObject } from 'node:crypto';
import { sha256Hex } from './canonical.js';
import { GENESIS_HASH, hashInput, type StoredEvent } from './events.js';
import { keyIdOf, verifyCheckpoint } from './signing.js';

/** What kind of damage was found. */
export type ChainProblem =
  | 'sequence-gap' // an event is missing or one was inserted (seq not previous + 1)
  | 'broken-link' // prev_hash is not the previous event's hash (reordered, deleted, inserted)
  | 'hash-mismatch' // the event's content was changed after it was written
  | 'bad-checkpoint' // a checkpoint that does not cover the event before it, or is malformed
  | 'bad-signature' // a checkpoint's signature fails with the given key
  | 'unknown-key' // a checkpoint signed by another key than the one given
  | 'missing-checkpoint'; // more events than `requireCheckpointEvery` without a valid signed checkpoint

/** The outcome of `verifyChain`. */
export interface VerifyResult {
  ok: boolean;
  /** Events checked (up to and including the first bad one). */
  events: number;
  /** The last good event, or `null`. */
  head: { seq: number; hash: string } | null;
  checkpoints: { total: number; verified: number; unchecked: number };
  /** Events after the last verified signed checkpoint (not anchored by a signature). */
  unanchored: number;
  /** The first bad event. */
  firstBad?: { seq: number; id: string; type: string; problem: ChainProblem; message: string };
}

/** Options for `verifyChain`. */
export interface VerifyOptions {
  /** Checks checkpoint signatures with this Ed25519 public key. */
  publicKey?: KeyObject;
  /**
   * With a key: fail when more than this many events follow each other without a valid signed
   * checkpoint (catches checkpoints deleted together with a rewrite). The tail after the last
   * checkpoint is reported as `unanchored`, not failed.
   */
  requireCheckpointEvery?: number;
}

/**
 * Verifies a chain of stored events, in sequence order, from the first.
 *
 * @example
 * const result = verifyChain(store.iterate(), { publicKey });
 * if (!result.ok) console.log(`event ${result.firstBad.seq}: ${result.firstBad.message}`);
 */
export function verifyChain(events: Iterable<StoredEvent>, options: VerifyOptions = {}): VerifyResult {
  const keyId = options.publicKey ? keyIdOf(options.publicKey) : null;
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  let lastAnchor = 0;
  let head: VerifyResult['head'] = null;
  const checkpoints = { total: 0, verified: 0, unchecked: 0 };
  const fail = (e: StoredEvent, problem: ChainProblem, message: string): VerifyResult => ({
    ok: false,
    events: count,
    head,
    checkpoints,
    unanchored: (head?.seq ?? 0) - lastAnchor,
    firstBad: { seq: e.seq, id: e.id, type: e.type, problem, message },
  });

  for (const e of events) {
    count++;
    if (e.seq !== expectedSeq) {
      return fail(e, 'sequence-gap', e.seq > expectedSeq
        ? `expected event #${expectedSeq}, found #${e.seq}: ${e.seq - expectedSeq} event(s) missing`
        : `expected event #${expectedSeq}, found #${e.seq}: an event was inserted or duplicated`);
    }
    if (e.prevHash !== prevHash) {
      return fail(e, 'broken-link', `event #${e.seq} does not follow event #${e.seq - 1} (prev_hash ${e.prevHash.slice(0, 12)}… ≠ ${prevHash.slice(0, 12)}…): events were deleted, inserted or reordered`);
    }
    const hash = sha256Hex(hashInput(e));
    if (hash !== e.hash) {
      return fail(e, 'hash-mismatch', `event #${e.seq} (${e.type}) was changed after it was written: its content does not match its hash`);
    }
    if (e.type === 'audit.checkpoint') {
      checkpoints.total++;
      let cp: { upTo?: unknown; hash?: unknown; keyId?: unknown; signature?: unknown };
      try {
        cp = JSON.parse(e.payload) as typeof cp;
      } catch {
        return fail(e, 'bad-checkpoint', `checkpoint #${e.seq} has a payload that is not JSON`);
      }
      if (cp.upTo !== e.seq - 1 || cp.hash !== prevHash || typeof cp.signature !== 'string') {
        return fail(e, 'bad-checkpoint', `checkpoint #${e.seq} does not cover event #${e.seq - 1}`);
      }
      if (options.publicKey) {
        if (cp.keyId !== keyId) return fail(e, 'unknown-key', `checkpoint #${e.seq} was signed by key ${String(cp.keyId)}, not by the given key ${keyId}`);
        if (!verifyCheckpoint(options.publicKey, cp.upTo, cp.hash, cp.signature)) {
          return fail(e, 'bad-signature', `checkpoint #${e.seq}: the signature over event #${cp.upTo} does not verify: the log before it was rewritten or the checkpoint forged`);
        }
        checkpoints.verified++;
        lastAnchor = e.seq;
      } else {
        checkpoints.unchecked++;
      }
    } else if (options.publicKey && options.requireCheckpointEvery && e.seq - lastAnchor > options.requireCheckpointEvery * 2 + 1) {
      // Checkpoints follow every N events of each writer; allow one missed interval for writers without the key.
      return fail(e, 'missing-checkpoint', `no valid signed checkpoint between event #${lastAnchor} and #${e.seq}: checkpoints were removed`);
    }
    prevHash = e.hash;
    expectedSeq++;
    head = { seq: e.seq, hash: e.hash };
  }
  return { ok: true, events: count, head, checkpoints, unanchored: (head?.seq ?? 0) - lastAnchor };
}
