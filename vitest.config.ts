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
    // Files run one at a time: the integration suites share the repository's build folders, and
    // on a 2-core machine running the copy-based deploy suites beside them saved under 15 s of
    // about 7 minutes (measured) while loading every timing-sensitive verdict.
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // The JSON results give .ci/run its "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest-results.json' },
    projects: [
      { extends: true, test: { name: 'quick', include: QUICK } },
      {
        extends: true,
        test: { name: 'full', include: ['tests/**/*.test.ts'], exclude: QUICK },
      },
    ],
  },
});
