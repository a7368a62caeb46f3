import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  callerIdentity,
  principalArnOf,
} from '../../../../packages/smoke-gate/src/aws/caller-identity.ts';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

describe('principalArnOf: the principal a policy condition sees', () => {
  it.each([
    [
      'arn:aws:sts::123456789012:assumed-role/deploy/session-1',
      'arn:aws:iam::123456789012:role/deploy',
    ],
    [
      'arn:aws-us-gov:sts::123456789012:assumed-role/r/s',
      'arn:aws-us-gov:iam::123456789012:role/r',
    ],
    ['arn:aws:iam::123456789012:user/alice', 'arn:aws:iam::123456789012:user/alice'],
    [
      'arn:aws:sts::123456789012:assumed-role/deploy',
      'arn:aws:sts::123456789012:assumed-role/deploy',
    ],
    ['arn:aws:sts::12345678901:assumed-role/r/s', 'arn:aws:sts::12345678901:assumed-role/r/s'],
  ])('%s -> %s', (caller, principal) => {
    expect(principalArnOf(caller)).toBe(principal);
  });
});

describe('callerIdentity', () => {
  it('is STS’s answer: the caller’s ARN and account', async () => {
    // Prepare
    sts.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:iam::1:user/a', Account: '1' });
    // Act
    const caller = await callerIdentity(
      { region: 'us-east-1', base: { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } } },
      createDeadline(Date.now() + 10_000),
    );
    // Assess
    expect(caller).toStrictEqual({ arn: 'arn:aws:iam::1:user/a', account: '1' });
  });
});
