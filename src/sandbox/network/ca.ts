/**
 * @module sandbox/network/ca
 * The per-run certificate authority used for credential brokering over HTTPS. The system `openssl`
 * binary makes it (node:crypto can make keys but cannot sign X.509 certificates, and no extra
 * package is needed for two commands). The CA's private key lives in a host-only directory
 * (mode 0700, never bind-mounted into the sandbox) and is deleted by `dispose()`; only the
 * certificate goes into the sandbox. The CA carries X.509 name constraints limited to the brokered
 * hosts, so even a leaked key could not mint a trusted certificate for any other name.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SandboxError } from '../../core/errors.js';

const run = promisify(execFile);

/** A certificate and its key, PEM. */
export interface KeyPair {
  cert: string;
  key: string;
}

/** The CA of one run. */
export interface RunCa {
  /** The CA certificate (PEM), safe to show to the sandbox. */
  certPem: string;
  /** A leaf certificate for `host`, signed by this CA (cached per host). */
  leaf(host: string): Promise<KeyPair>;
  /** Deletes the private key and everything else on disk. */
  dispose(): void;
}

/** Where `openssl` is; `$AIRLOCK_OPENSSL` overrides. */
function opensslPath(): string {
  return process.env.AIRLOCK_OPENSSL ?? 'openssl';
}

/**
 * Makes a CA for one run, name-constrained to `domains` (host names without `*.`; a constraint on
 * `example.com` also covers its subdomains).
 *
 * @example
 * const ca = await createRunCa('run-1', ['api.github.com']);
 * const { cert, key } = await ca.leaf('api.github.com');
 * ca.dispose();
 */
export async function createRunCa(runId: string, domains: string[]): Promise<RunCa> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'airlock-ca-'));
  const caKey = path.join(dir, 'ca.key');
  const caCert = path.join(dir, 'ca.pem');
  const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const permitted = [...new Set(domains)].map((d) => `permitted;DNS:${d}`).join(',');
  const cn = `Airlock run ${runId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 40)} CA`;
  try {
    await run(opensslPath(), [
      'req', '-x509', ...curve, '-keyout', caKey, '-out', caCert, '-days', '2', '-subj', `/CN=${cn}`,
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
      '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      ...(permitted ? ['-addext', `nameConstraints=critical,${permitted}`] : []),
    ], { timeout: 15_000 });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new SandboxError('spawn', `network.credentials: could not create the per-run CA with openssl (${(err as Error).message.split('\n')[0]}); install openssl or set AIRLOCK_OPENSSL`, { cause: err });
  }
  const certPem = readFileSync(caCert, 'utf8');
  const cache = new Map<string, Promise<KeyPair>>();
  let serial = 1;
  let disposed = false;
  const issue = async (host: string): Promise<KeyPair> => {
    if (disposed) throw new SandboxError('internal', 'network.credentials: the per-run CA was already disposed');
    const id = serial++;
    const keyFile = path.join(dir, `leaf-${id}.key`);
    const certFile = path.join(dir, `leaf-${id}.pem`);
    try {
      await run(opensslPath(), [
        'req', '-x509', '-new', ...curve, '-keyout', keyFile, '-out', certFile, '-days', '2',
        '-subj', `/CN=${host}`, '-CA', caCert, '-CAkey', caKey, '-set_serial', String(1000 + id),
        '-addext', `subjectAltName=DNS:${host}`, '-addext', 'extendedKeyUsage=serverAuth',
        '-addext', 'basicConstraints=critical,CA:FALSE',
      ], { timeout: 15_000 });
      return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
    } finally {
      for (const f of [keyFile, certFile]) rmSync(f, { force: true });
    }
  };
  return {
    certPem,
    leaf(host) {
      const key = host.toLowerCase();
      let p = cache.get(key);
      if (!p) {
        p = issue(key);
        cache.set(key, p);
        p.catch(() => cache.delete(key));
      }
      return p;
    },
    dispose() {
      disposed = true;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
