// Lint: TypeScript recommendations plus the dependency direction of docs/architecture.md.
// Pure layers (core, policy, inspect, verify) may not import I/O modules or the I/O layers.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = ['fs', 'fs/promises', 'child_process', 'net', 'tls', 'http', 'https', 'http2', 'dgram', 'dns', 'worker_threads', 'cluster', 'readline'];
const ioPaths = ioModules.flatMap((m) => [m, `node:${m}`]).map((name) => ({
  name,
  message: 'Pure modules (core, policy, inspect, verify) do no I/O: take data or a callback instead, and do the I/O in sandbox/, audit/, approvals/ or airlock.ts.',
}));
const layer = (names, message) => ({ group: names.flatMap((n) => [`**/${n}`, `**/${n}/**`]), message });

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '**/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/policy/**/*.ts', 'src/inspect/**/*.ts', 'src/verify/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...ioPaths, { name: 'pino', message: 'Pure modules do not log.' }],
        patterns: [
          layer(['sandbox', 'audit', 'approvals', 'integrations', 'surfaces', 'airlock.js'], 'Pure modules may not import the I/O layers (dependency direction: core <- policy/inspect/verify <- sandbox/audit/approvals <- airlock.ts <- integrations <- surfaces).'),
        ],
      }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ioPaths,
        patterns: [layer(['policy', 'inspect', 'verify', 'sandbox', 'audit', 'approvals', 'integrations', 'surfaces'], 'core depends on nothing else in Airlock.')],
      }],
    },
  },
  {
    files: ['src/sandbox/**/*.ts', 'src/audit/**/*.ts', 'src/approvals/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [layer(['integrations', 'surfaces'], 'I/O layers may not import integrations or surfaces.')],
      }],
    },
  },
  {
    files: ['src/integrations/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [layer(['surfaces'], 'Integrations may not import surfaces.')] }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
