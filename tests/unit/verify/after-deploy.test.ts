import { CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { afterDeploy } from '../../../lib/verify/after-deploy.ts';
import type { ServerlessLike } from '../../../lib/verify/framework.ts';
import type { VerificationOutcome } from '../../../lib/verify/run-verification.ts';
import { readSmokeSettings } from '../../../lib/verify/smoke-settings.ts';

const PREFIX = 'serverless/petsage-smoke-test/dev/';
const LIVE = '1795435900000-2026-11-23T12:11:40.000Z';

const s3 = mockClient(S3Client);
const cloudFormation = mockClient(CloudFormationClient);

afterEach(() => {
  s3.reset();
  cloudFormation.reset();
});

const serverless: ServerlessLike = {
  service: { service: 'petsage-smoke-test' },
  getProvider: () => ({
    getAwsSdkV3Config: async () => ({}),
    naming: { getStackName: () => 'petsage-smoke-test-dev' },
    getServerlessDeploymentBucketName: async () => 'bucket',
    getDeploymentPrefix: () => 'serverless',
    getStage: () => 'dev',
  }),
};

const passed: VerificationOutcome = {
  exitCode: 0,
  report: { correlationId: 'smoke-1', url: 'https://h/health' } as VerificationOutcome['report'],
};

const liveTemplate = () =>
  cloudFormation.on(GetTemplateCommand).resolves({
    TemplateBody: JSON.stringify({
      Resources: {
        HealthLambdaFunction: {
          Type: 'AWS::Lambda::Function',
          Properties: { Code: { S3Key: `${PREFIX}${LIVE}/health.zip` } },
        },
      },
    }),
  });

const run = async () => {
  const notices: string[] = [];
  const result = await afterDeploy({
    serverless,
    cliOptions: {},
    log: { notice: (text) => notices.push(text) },
    settings: readSmokeSettings({}),
    outcome: passed,
    aws: { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
    verify: async () => passed,
  });
  return { result, notices };
};

describe('afterDeploy', () => {
  it('records the live deployment as verified after a pass', async () => {
    // Prepare
    liveTemplate();
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `${PREFIX}${LIVE}/health.zip` }] });
    s3.on(PutObjectCommand).resolves({});
    // Act
    const { result, notices } = await run();
    // Assess
    expect(result).toStrictEqual({});
    expect(notices).toStrictEqual([]);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'bucket',
      Key: `${PREFIX}smoke-verified/${LIVE}.json`,
    });
  });

  it('reports a record that could not be written, and the verdict stands', async () => {
    // Prepare
    liveTemplate();
    s3.on(ListObjectsV2Command).resolves({ Contents: [{ Key: `${PREFIX}${LIVE}/health.zip` }] });
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    // Act
    const { result, notices } = await run();
    // Assess
    expect(result).toStrictEqual({});
    expect(notices).toStrictEqual([
      expect.stringMatching(
        new RegExp(`^could not record deployment ${LIVE} as verified: Access Denied`),
      ),
    ]);
  });

  it('records nothing and rolls nothing back when the history cannot be read', async () => {
    // Prepare
    cloudFormation.on(GetTemplateCommand).rejects(new Error('Stack does not exist'));
    // Act
    const { result } = await run();
    // Assess
    expect(result.verdictNote).toMatch(
      /^deployment history unavailable \(Stack does not exist\): nothing recorded, no rollback\.$/,
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
