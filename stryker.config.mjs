// StrykerJS (`npm run test:mutation`): mutation testing of the modules that decide a verdict and
// choose or guard a rollback, and of the function's lib/. Each mutant is run against the
// in-process suites (vitest.mutation.config.ts); a mutant no test notices is a wrong decision
// the tests would let through. Not part of `npm test`: it takes minutes (README, docs/mutation-testing.md).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
// biome-ignore lint/style/noDefaultExport: Stryker loads a config file's default export.
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: [
    'packages/smoke-gate/src/verification/check-endpoint.ts',
    'packages/smoke-gate/src/verification/contract-check.ts',
    'packages/smoke-gate/src/verification/judgement.ts',
    'packages/smoke-gate/src/verification/verify-deployment.ts',
    'packages/smoke-gate/src/deployments/deployment-history.ts',
    'packages/smoke-gate/src/deployments/deployment-record.ts',
    'packages/smoke-gate/src/deployments/record-signature.ts',
    'packages/smoke-gate/src/deployments/record-choice.ts',
    'packages/smoke-gate/src/deployments/record-store.ts',
    'packages/smoke-gate/src/deployments/records-key-pin.ts',
    'packages/smoke-gate/src/deployments/stage-anchor.ts',
    'packages/smoke-gate/src/deployments/rollback-checks.ts',
    'packages/smoke-gate/src/deployments/rollback-by-commit.ts',
    'packages/smoke-gate/src/gate/own-deployment.ts',
    'packages/smoke-gate/src/gate/after-deploy.ts',
    'packages/smoke-gate/src/gate/traffic-gate.ts',
    'packages/smoke-gate/src/traffic/aliases.ts',
    'packages/smoke-gate/src/traffic/alias-permissions.ts',
    'packages/smoke-gate/src/traffic/candidate-claim.ts',
    'packages/smoke-gate/src/traffic/traffic-stage.ts',
    'packages/smoke-gate/src/fleet/fleet-targets.ts',
    'packages/smoke-gate/src/fleet/nesting-depth.ts',
    'packages/smoke-gate/src/aws/target-access.ts',
    'packages/smoke-gate/src/aws/aws-errors.ts',
    'packages/smoke-gate/src/aws/log-call-budget.ts',
    'packages/smoke-gate/src/core/safe-text.ts',
    'lib/**/*.ts',
  ],
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  concurrency: 2,
  // Added to each test's own measured time: a mutant that loops is cut off early.
  timeoutMS: 4000,
  // break: the score this project reached (docs/mutation-testing.md); a change below it fails.
  thresholds: { high: 90, low: 80, break: 90 },
};
