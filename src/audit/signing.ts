/**
 * @module audit/signing
 * Ed25519 signatures over checkpoints. The private key is a PEM file held outside the sandbox
 * (`audit.signingKey`); verification needs only the public key, which can be handed to an auditor.
 * A key id (first 16 hex digits of the SHA-256 of the public key's DER) names the key in each
 * checkpoint so a verifier can tell "signed by another key" from "forged".
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import { canonicalJson } from './canonical.js';

/** A loaded signing key. */
export interface CheckpointSigner {
  keyId: string;
  publicKey: KeyObject;
  sign(upTo: number, hash: string): string;
}

/**
 * The key id of a public key.
 *
 * @example
 * keyIdOf(loadVerifyKey('audit-key.pem.pub')) // '3cbab3a01c7ceebd'
 */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/**
 * What a checkpoint signature covers: the canonical JSON of `{ hash, upTo }`.
 *
 * @example
 * checkpointMessage(1000, hash).toString() // '{"hash":"…","upTo":1000}'
 */
export function checkpointMessage(upTo: number, hash: string): Buffer {
  return Buffer.from(canonicalJson({ hash, upTo }), 'utf8');
}

/**
 * Loads an Ed25519 private key from a PEM file.
 *
 * @example
 * const signer = loadSigner('/etc/airlock/audit-key.pem');
 */
export function loadSigner(file: string): CheckpointSigner {
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(file));
  } catch (error) {
    throw new ConfigError(`audit.signingKey: cannot read an Ed25519 private key (PEM) from ${file}: ${(error as Error).message}. Create one with \`openssl genpkey -algorithm ed25519 -out ${file}\`.`, { cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new ConfigError(`audit.signingKey: ${file} holds a ${key.asymmetricKeyType} key; expected an Ed25519 key (\`openssl genpkey -algorithm ed25519\`).`);
  }
  const publicKey = createPublicKey(key);
  return {
    keyId: keyIdOf(publicKey),
    publicKey,
    sign: (upTo, hash) => sign(null, checkpointMessage(upTo, hash), key).toString('base64'),
  };
}

/**
 * Loads a public key for verification from a PEM file holding either the public or the private key.
 *
 * @example
 * const key = loadVerifyKey('audit-key.pub.pem');
 */
export function loadVerifyKey(file: string): KeyObject {
  const pem = readFileSync(file, 'utf8');
  try {
    const key = pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : createPublicKey(pem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key, expected Ed25519`);
    return key;
  } catch (error) {
    throw new ConfigError(`--public-key: ${file} is not an Ed25519 key in PEM: ${(error as Error).message}.`, { cause: error });
  }
}

/**
 * Checks a checkpoint signature.
 *
 * @example
 * verifyCheckpoint(publicKey, cp.upTo, cp.hash, cp.signature) // true
 */
export function verifyCheckpoint(publicKey: KeyObject, upTo: number, hash: string, signature: string): boolean {
  try {
    return verify(null, checkpointMessage(upTo, hash), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Generates a key pair as PEM text (tests, `airlock audit keygen`).
 *
 * @example
 * const { privateKeyPem, publicKeyPem } = generateSigningKey();
 */
export function generateSigningKey(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
