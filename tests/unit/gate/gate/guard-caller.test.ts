import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import {
  checkGuardCaller,
  lockedOutBecause,
} from '../../../../packages/smoke-gate/src/gate/guard-caller.ts';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

const GUARD = {
  deployRoleName: 'petsage-smoke-test-deploy',
  setting: 'custom.smokeTest.monitoring.deployRoleName',
};

describe('lockedOutBecause: a deploy the bucket guard would lock out of its own bucket', () => {
  it.each([
    'arn:aws:sts::123456789012:assumed-role/petsage-smoke-test-deploy/gha-1234',
    'arn:aws:iam::123456789012:role/petsage-smoke-test-deploy',
    'arn:aws-cn:sts::123456789012:assumed-role/petsage-smoke-test-deploy/s',
  ])('lets the deploy role through: %s', (arn) => {
    expect(lockedOutBecause({ arn }, GUARD)).toBeUndefined();
  });

  it('compares a role with a path by its name (STS names no path)', () => {
    const arn = 'arn:aws:sts::123456789012:assumed-role/deploy/s';
    expect(lockedOutBecause({ arn }, { ...GUARD, deployRoleName: 'ci/deploy' })).toBeUndefined();
  });

  it('lets through a role the service lists besides the deploy role, and names them all when stopping', () => {
    // Prepare
    const guard = { ...GUARD, exemptRoles: ['admin/break-glass', 'release'] };
    // Act
    const admin = lockedOutBecause(
      { arn: 'arn:aws:sts::123456789012:assumed-role/break-glass/alice' },
      guard,
    );
    const other = lockedOutBecause({ arn: 'arn:aws:iam::123456789012:user/bob' }, guard);
    // Assess
    expect(admin).toBeUndefined();
    expect(other).toMatch(
      /is not role petsage-smoke-test-deploy or admin\/break-glass, release \(custom\.smokeTest\.guardExemptRoles\), the principals the bucket guard lets write there/,
    );
  });

  it.each([
    ['a user (a laptop)', 'arn:aws:iam::123456789012:user/alice'],
    ['a CI role of another name', 'arn:aws:sts::123456789012:assumed-role/github-ci/run-9'],
    [
      'a role whose name ends like it',
      'arn:aws:sts::123456789012:assumed-role/x-petsage-smoke-test-deploy/s',
    ],
    ['the account root', 'arn:aws:iam::123456789012:root'],
  ])('stops %s in one line naming the caller and the setting', (_who, arn) => {
    expect(lockedOutBecause({ arn }, GUARD)).toBe(
      `Smoke test: this deploy would lock itself out of its own deployment bucket: its caller ${arn} is not role petsage-smoke-test-deploy, the only principal the bucket guard lets write there (custom.smokeTest.monitoring.deployRoleName). Deploy as that role, or set custom.smokeTest.monitoring.deployRoleName to the role you deploy with. Nothing was uploaded.`,
    );
  });
});

describe('checkGuardCaller', () => {
  it('asks STS who deploys', async () => {
    // Prepare
    sts.on(GetCallerIdentityCommand).resolves({
      Arn: 'arn:aws:iam::123456789012:user/moto',
      Account: '123456789012',
    });
    // Act
    const problem = await checkGuardCaller({
      aws: {
        region: 'us-east-1',
        base: { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
      },
      deadline: createDeadline(Date.now() + 10_000),
      guard: GUARD,
    });
    // Assess
    expect(problem).toMatch(/its caller arn:aws:iam::123456789012:user\/moto is not role/);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(1);
  });
});
