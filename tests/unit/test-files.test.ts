// A test file per module: the gate's modules are tested in tests/unit/gate/<layer>/<module>.test.ts
// and the function's in tests/unit/<module>.test.ts. The modules below have none of their own yet
// (most are covered through another module's tests or the process suites); the list may only
// shrink: a new module comes with its test file, and a module that gains one leaves the list.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';

const WITHOUT_OWN_TEST = [
  'packages/smoke-gate/src/aws/kms-client.ts',
  'packages/smoke-gate/src/aws/s3-client.ts',
  'packages/smoke-gate/src/cli/commands/fleet.ts',
  'packages/smoke-gate/src/cli/commands/history.ts',
  'packages/smoke-gate/src/cli/commands/status.ts',
  'packages/smoke-gate/src/cli/commands/verify.ts',
  'packages/smoke-gate/src/cli/flag-values.ts',
  'packages/smoke-gate/src/cli/flags.ts',
  'packages/smoke-gate/src/cli/main.ts',
  'packages/smoke-gate/src/cli/output.ts',
  'packages/smoke-gate/src/cli/role-settings.ts',
  'packages/smoke-gate/src/cli/usage.ts',
  'packages/smoke-gate/src/core/deadline.ts',
  'packages/smoke-gate/src/core/defaults.ts',
  'packages/smoke-gate/src/core/errors.ts',
  'packages/smoke-gate/src/plugin/serverless-like.ts',
  'packages/smoke-gate/src/deployments/build-stamp.ts',
  'packages/smoke-gate/src/deployments/deployment-bucket.ts',
  'packages/smoke-gate/src/deployments/records-key.ts',
  'packages/smoke-gate/src/deployments/stack-state.ts',
  'packages/smoke-gate/src/fleet/fleet-status.ts',
  'packages/smoke-gate/src/fleet/target-aws.ts',
  'packages/smoke-gate/src/gate/announce-verdict.ts',
  'packages/smoke-gate/src/gate/gate-steps.ts',
  'packages/smoke-gate/src/plugin/schema.ts',
  'packages/smoke-gate/src/report/job-summary.ts',
  'packages/smoke-gate/src/status/status.ts',
  'packages/smoke-gate/src/verification/log-source.ts',
  'packages/smoke-gate/src/verification/offline.ts',
  'packages/smoke-gate/src/verification/output-log-source.ts',
  'lib/build-info.ts',
  'lib/config.ts',
  'lib/contract.ts',
  'lib/smoke-test.ts',
];

const GATE_SRC = 'packages/smoke-gate/src';

/** Every module and where its own test file would be. */
function modules(): { module: string; test: string }[] {
  const gate = readdirSync(join(PROJECT_DIR, GATE_SRC), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({
      module: `${GATE_SRC}/${file}`,
      test: `tests/unit/gate/${file.replace(/\.ts$/, '.test.ts')}`,
    }));
  const lib = readdirSync(join(PROJECT_DIR, 'lib'))
    .filter((file) => file.endsWith('.ts'))
    .map((file) => ({
      module: `lib/${file}`,
      test: `tests/unit/${file.replace(/\.ts$/, '.test.ts')}`,
    }));
  return [...gate, ...lib];
}

describe('a test file per module', () => {
  it('lists exactly the modules that have no test file of their own', () => {
    // Act
    const without = modules()
      .filter(({ test }) => !existsSync(join(PROJECT_DIR, test)))
      .map(({ module }) => relative('.', module))
      .sort();
    // Assess
    expect(without).toStrictEqual([...WITHOUT_OWN_TEST].sort());
  });
});
