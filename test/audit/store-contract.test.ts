/** Runs the AuditStore contract against the SQLite store. */
import path from 'node:path';
import { openSqliteStore } from '../../src/audit/index.js';
import { cleanup, tempDir } from './helpers.js';
import { runAuditStoreContract } from './store-contract.js';

runAuditStoreContract('sqlite', () => {
  const dir = tempDir('airlock-contract-');
  return { store: openSqliteStore(path.join(dir, 'audit.db')), dispose: () => cleanup(dir) };
});
