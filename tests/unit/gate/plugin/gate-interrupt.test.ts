import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerlessLike } from '../../../../packages/smoke-gate/src/core/framework.ts';
import { sha256 } from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';
import {
  interruptedFirstLine,
  reportGateInterrupted,
} from '../../../../packages/smoke-gate/src/plugin/gate-interrupt.ts';
import { readSmokeSettings } from '../../../../packages/smoke-gate/src/plugin/smoke-settings.ts';
import { KEY_ARN, mockRecordsKey } from '../../../helpers/records-key.ts';

const SIGINT = { signal: 'SIGINT', exitCode: 130 } as const;
const OWN = {
  directory: '1764680000000-2025-12-02T13:33:20.000Z',
  commit: 'abc123',
  version: null,
};

describe('interruptedFirstLine: what an interrupted gate says is live', () => {
  it('names the new deployment as live and not verified while the gate verifies it', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy',
      { current: { step: 'verifying' }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toBe(
      `Smoke test interrupted by SIGINT: the new deployment ${OWN.directory} of stack orders-prod is live and NOT verified.`,
    );
  });

  it('says a started rollback is finished by CloudFormation on its own', () => {
    // Act
    const line = interruptedFirstLine(
      { signal: 'SIGTERM', exitCode: 143 },
      'deploy',
      { current: { step: 'rolling-back', to: 'earlier' }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toMatch(
      /^Smoke test interrupted by SIGTERM: a rollback of stack orders-prod to deployment earlier was started; CloudFormation finishes it on its own/,
    );
  });

  it('says the restored deployment is live and not verified again', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy',
      { current: { step: 'verifying-restored', to: 'earlier' }, own: OWN },
      'orders-prod',
    );
    // Assess
    expect(line).toContain(
      'rolled back to deployment earlier, which is live and NOT verified again',
    );
  });

  it('says serverless smoke changed nothing', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'command',
      { current: { step: 'verifying' }, own: undefined },
      'orders-prod',
    );
    // Assess
    expect(line).toContain('stack orders-prod runs what it ran; this verification changed nothing');
  });

  it('names the function’s new code after a code-only deploy', () => {
    // Act
    const line = interruptedFirstLine(
      SIGINT,
      'deploy-function',
      { current: { step: 'verifying' }, own: undefined },
      'orders-prod',
    );
    // Assess
    expect(line).toContain("the function's new code of stack orders-prod is live and NOT verified");
  });
});

const PREFIX = 'serverless/petsage-smoke-test/dev/';
const s3 = mockClient(S3Client);
const cloudFormation = mockClient(CloudFormationClient);
const { kms, answer: answerKms } = mockRecordsKey();

afterEach(() => {
  s3.reset();
  cloudFormation.reset();
  kms.reset();
  answerKms();
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

describe('reportGateInterrupted: the record an interrupted deploy leaves', () => {
  it('records the new deployment as interrupted, signed, reading only its own artifacts', async () => {
    // Prepare: the bucket holds the new deployment's zip; the stack and the history are never needed.
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
      Contents: [{ Key: `${PREFIX}${OWN.directory}/health.zip` }].filter((o) =>
        o.Key.startsWith(input.Prefix),
      ),
    }));
    s3.on(GetObjectCommand).resolves({
      Body: { transformToByteArray: async () => new Uint8Array(Buffer.from('zip')) } as never,
      VersionId: 'v1',
    });
    s3.on(PutObjectCommand).resolves({});
    const notices: string[] = [];
    // Act
    await reportGateInterrupted(
      {
        serverless,
        cliOptions: {},
        log: { notice: (text) => notices.push(text) },
        trigger: 'deploy',
        settings: readSmokeSettings({ smokeTest: {} }),
        aws: {
          base: { region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
        },
        state: { current: { step: 'verifying' }, own: OWN },
        stdout: { write: () => true },
        env: {},
      },
      SIGINT,
    );
    // Assess
    expect(notices).toContain(`Recorded deployment ${OWN.directory} as interrupted.`);
    const written = s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
    expect(written).toHaveLength(1);
    expect(written[0]?.Key).toBe(`${PREFIX}smoke-records/${OWN.directory}.json`);
    expect(JSON.parse(String(written[0]?.Body))).toMatchObject({
      deployment: OWN.directory,
      verdict: 'interrupted',
      commit: 'abc123',
      note: 'interrupted',
      artifacts: { 'health.zip': { sha256: sha256(Buffer.from('zip')), versionId: 'v1' } },
      signature: { keyArn: KEY_ARN },
    });
    // In its 1.5 s it reads no template and no history: only the folder it hashes.
    expect(cloudFormation.calls()).toHaveLength(0);
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(0);
    expect(s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input.Prefix)).toStrictEqual([
      `${PREFIX}${OWN.directory}/`,
    ]);
  });
});
