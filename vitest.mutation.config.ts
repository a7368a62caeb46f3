import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// The suites StrykerJS runs against each mutant (`npm run test:mutation`): the in-process unit,
// fuzz and secrets suites, fast enough to run hundreds of times. No child processes, no servers
// beyond 127.0.0.1 stand-ins started in-process.
const { buildDefines } = createRequire(import.meta.url)('./esbuild.config.cjs');

export default defineConfig({
  define: buildDefines(),
  test: {
    env: { POWERTOOLS_DEV: '', POWERTOOLS_LOG_LEVEL: 'INFO' },
    include: [
      'tests/unit/**/*.test.ts',
      'tests/hardening/fuzz.test.ts',
      'tests/hardening/secrets.test.ts',
    ],
    testTimeout: 20_000,
  },
});
