import { createHash } from 'node:crypto';
import { DescribeStacksCommand, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import {
  checkHistory,
  deploymentPrefixOf,
} from '../../../../packages/smoke-gate/src/deployments/history.ts';
import { devBucket, GOOD, LIVE, stackTemplate, ZIP } from '../../../helpers/dev-bucket.ts';
import { DEV_AWS, DEV_PREFIX } from '../../../helpers/dev-stage.ts';

const { world, reset, cloudFormation, s3 } = devBucket();
afterEach(reset);

/** The dev stage's stack, its deployment bucket named by its output. */
const stackWithBucket = (
  outputs = [{ OutputKey: 'ServerlessDeploymentBucketName', OutputValue: 'bucket' }],
) =>
  cloudFormation.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'petsage-smoke-test-dev',
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: outputs,
      } as never,
    ],
  });

const history = () =>
  checkHistory({
    stage: 'dev',
    service: 'petsage-smoke-test',
    aws: DEV_AWS,
    env: {},
    deadline: createDeadline(Date.now() + 10_000),
  });

describe('checkHistory', () => {
  it('lists the stage’s deployments newest first, which is live and which a rollback would restore', async () => {
    // Prepare
    world(LIVE);
    stackWithBucket();
    // Act
    const report = await history();
    // Assess
    expect(report.stack).toBe('petsage-smoke-test-dev');
    expect(
      report.deployments.map(({ directory, verdict, live, rollbackTarget, commit }) => ({
        directory,
        verdict,
        live,
        rollbackTarget,
        commit,
      })),
    ).toStrictEqual([
      { directory: LIVE, verdict: 'unrecorded', live: true, rollbackTarget: false, commit: null },
      { directory: GOOD, verdict: 'verified', live: false, rollbackTarget: true, commit: 'good' },
    ]);
  });

  it('reads the books where the framework keeps them: the stack’s bucket, under the live code’s prefix', async () => {
    // Prepare
    world(LIVE);
    stackWithBucket();
    // Act
    await history();
    // Assess
    const listed = s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input);
    expect(listed.length).toBeGreaterThan(0);
    for (const input of listed) {
      expect(input.Bucket).toBe('bucket');
      expect(input.Prefix?.startsWith(DEV_PREFIX)).toBe(true);
    }
    expect(
      s3.commandCalls(GetObjectCommand).every((c) => c.args[0].input.Bucket === 'bucket'),
    ).toBe(true);
  });

  describe('live is what runs', () => {
    const lambda = mockClient(LambdaClient);
    afterEach(() => lambda.reset());
    /** The stack runs LIVE, its function named, and Lambda runs code of these bytes. */
    const runs = (code: string) => {
      cloudFormation.on(GetTemplateCommand).resolves({
        TemplateBody: stackTemplate(LIVE, { FunctionName: 'petsage-smoke-test-dev-health' }),
      });
      lambda.on(GetFunctionConfigurationCommand).resolves({
        CodeSha256: createHash('sha256').update(code).digest('base64'),
      });
    };

    it('calls a verified live deployment whose function runs other code changed outside the pipeline', async () => {
      // Prepare: LIVE's signed record vouches for ZIP; the function runs something else.
      world(LIVE, ZIP, { commit: 'live', signed: true });
      stackWithBucket();
      runs('code uploaded by hand');
      // Act
      const report = await history();
      // Assess
      const live = report.deployments.find((d) => d.live);
      expect(live).toMatchObject({ verdict: 'untrusted', rollbackTarget: false });
      expect(live?.untrusted?.why).toMatch(
        /^changed outside the pipeline: the function runs code sha256 [0-9a-f]{64}, not the health\.zip its record vouches for/,
      );
      expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0]?.args[0].input).toStrictEqual({
        FunctionName: 'petsage-smoke-test-dev-health',
      });
    });

    it('keeps a live deployment verified while its function runs the zip its record vouches for', async () => {
      // Prepare
      world(LIVE, ZIP, { commit: 'live', signed: true });
      stackWithBucket();
      runs(ZIP);
      // Act
      const report = await history();
      // Assess
      expect(report.deployments.find((d) => d.live)).toMatchObject({ verdict: 'verified' });
    });
  });

  it('could not judge, in one line, a stack the framework did not deploy', async () => {
    // Prepare
    world(LIVE);
    stackWithBucket([]);
    // Act
    const read = history();
    // Assess
    await expect(read).rejects.toThrow(
      /^stack petsage-smoke-test-dev has no ServerlessDeploymentBucketName output: it was not deployed by the framework$/,
    );
    expect(s3.calls()).toHaveLength(0);
  });
});

describe('deploymentPrefixOf', () => {
  it.each([
    ['serverless/orders/prod/', 'serverless'],
    ['team/deploys/orders/prod/', 'team/deploys'],
    ['orders/prod/', 'serverless'],
    ['serverless/other/prod/', 'serverless'],
    [undefined, 'serverless'],
  ])('reads %s as the deploymentPrefix %s', (prefix, expected) => {
    expect(deploymentPrefixOf(prefix, 'orders', 'prod')).toBe(expected);
  });
});
