import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// The same build-time constants serverless-esbuild puts in the bundle.
const { buildDefines } = createRequire(import.meta.url)('./esbuild.config.cjs');

/**
 * Suites that work only in copies of the service (their own folders, their own moto): they run
 * beside the others. Everything else shares the repository's build folders, one file at a time.
 */
const OWN_COPIES = ['tests/integration/deploy-moto.test.ts', 'tests/integration/sandbox.test.ts'];

export default defineConfig({
  define: buildDefines(),
  test: {
    env: { POWERTOOLS_DEV: '', POWERTOOLS_LOG_LEVEL: 'INFO' },
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // The JSON results give .ci/run its "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest-results.json' },
    // Two groups that run at the same time, each one file at a time: the suites that share the
    // repository's .esbuild / .esbuild-offline folders, and those that deploy from copies.
    projects: [
      {
        extends: true,
        test: {
          name: 'repository',
          include: ['tests/**/*.test.ts'],
          exclude: OWN_COPIES,
          fileParallelism: false,
        },
      },
      { extends: true, test: { name: 'copies', include: OWN_COPIES, fileParallelism: false } },
    ],
  },
});
