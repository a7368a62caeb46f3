import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// The same build-time constants serverless-esbuild puts in the bundle.
const { buildDefines } = createRequire(import.meta.url)('./esbuild.config.cjs');

/**
 * The quick loop (`npm run test:quick`, two files at a time): every suite that needs no moto, no
 * serverless-offline and no packaging; in-process, or the CLI as a process against local servers.
 */
const QUICK = [
  'tests/unit/**/*.test.ts',
  'tests/hardening/fuzz.test.ts',
  'tests/hardening/secrets.test.ts',
  'tests/hardening/verifier-faults.test.ts',
  'tests/hardening/verifier-hostile.test.ts',
  'tests/integration/cli-start.test.ts',
  'tests/hardening/hanging-aws.test.ts',
];

export default defineConfig({
  define: buildDefines(),
  test: {
    env: { POWERTOOLS_DEV: '', POWERTOOLS_LOG_LEVEL: 'INFO' },
    // Files run side by side: no two share a writable folder (each packages or serves its own
    // copy of the service; the gate is packed once, by tests/setup/gate-tarball.ts), and most
    // suites wait on servers more than they compute. The workers, measured: docs/test-suite.md.
    fileParallelism: true,
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // The JSON results give .ci/run its "N passed, N failed" line; the last reporter prints the
    // ten slowest files.
    reporters: ['default', 'json', './tests/reporters/slowest-files.ts'],
    outputFile: { json: 'reports/vitest-results.json' },
    projects: [
      { extends: true, test: { name: 'quick', include: QUICK } },
      {
        extends: true,
        test: {
          name: 'full',
          include: ['tests/**/*.test.ts'],
          exclude: QUICK,
          globalSetup: ['tests/setup/gate-tarball.ts'],
        },
      },
    ],
  },
});
