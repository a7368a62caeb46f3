import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import type {
  DeployedState,
  FrameworkStage,
} from '../../../../packages/smoke-gate/src/gate/gate-steps.ts';
import { ownDeployment } from '../../../../packages/smoke-gate/src/gate/own-deployment.ts';
import { DEV_AWS, DEV_PREFIX, devFramework } from '../../../helpers/dev-stage.ts';

const MINE = '1795435900000-2026-11-23T12:11:40.000Z';
const LIVE = '1795436000000-2026-11-23T12:13:20.000Z';

const cloudFormation = mockClient(CloudFormationClient);
afterEach(() => cloudFormation.reset());

/** The stack runs LIVE, built from commit `live`. */
const stackRunsLive = () =>
  cloudFormation.on(GetTemplateCommand).resolves({
    TemplateBody: JSON.stringify({
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Metadata: { 'petsage:release': 'live', 'petsage:version': '0.9.0' },
          Properties: { Code: { S3Key: `${DEV_PREFIX}${LIVE}/health.zip` } },
        },
      },
    }),
  });

/** The framework's state when the deploy step ended. */
const afterDeployStep = (state: Partial<DeployedState>, directoryName?: string) =>
  devFramework({
    deployedState: {
      artifactDirectoryName: directoryName,
      resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Metadata: { 'petsage:release': 'mine', 'petsage:version': '1.0.0' },
        },
      },
      ...state,
    },
  });

const own = (framework: FrameworkStage) =>
  ownDeployment(framework, DEV_AWS, createDeadline(Date.now() + 10_000));

describe('ownDeployment', () => {
  it('names the deployment this deploy made from the framework’s own state, not the stack', async () => {
    // Prepare: another pipeline's deployment is live already.
    stackRunsLive();
    // Act
    const mine = await own(afterDeployStep({}, `${DEV_PREFIX}${MINE}`));
    // Assess
    expect(mine).toStrictEqual({ directory: MINE, commit: 'mine', version: '1.0.0' });
    expect(cloudFormation.commandCalls(GetTemplateCommand)).toHaveLength(0);
  });

  it.each([
    ['the framework found nothing to deploy', { shouldNotDeploy: true }, `${DEV_PREFIX}${MINE}`],
    ['the framework named no artifact folder', {}, undefined],
    ['the artifact folder is not a deployment folder', {}, `${DEV_PREFIX}latest`],
  ])('vouches for what is live when %s', async (_when, provider, directoryName) => {
    // Prepare
    stackRunsLive();
    // Act
    const mine = await own(afterDeployStep(provider, directoryName));
    // Assess
    expect(mine).toStrictEqual({ directory: LIVE, commit: 'live', version: '0.9.0' });
    expect(cloudFormation.commandCalls(GetTemplateCommand)[0]?.args[0].input).toStrictEqual({
      StackName: 'petsage-smoke-test-dev',
    });
  });

  it('names no commit or version when the compiled template is not there', async () => {
    // Act
    const mine = await own(
      devFramework({ deployedState: { artifactDirectoryName: `${DEV_PREFIX}${MINE}` } }),
    );
    // Assess
    expect(mine).toStrictEqual({ directory: MINE, commit: null, version: null });
  });
});
