// The dev stage's deployment bucket and stack for unit tests of the gate's bookkeeping: S3,
// CloudFormation and KMS mocked (aws-sdk-client-mock), GOOD verified and signed by the records key,
// LIVE the deployment the stack runs. Shared by the after-deploy and rollback-by-commit tests.
import {
  CloudFormationClient,
  DescribeStacksCommand,
  GetTemplateCommand,
} from '@aws-sdk/client-cloudformation';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { sha256 } from '../../packages/smoke-gate/src/deployments/deployment-record.ts';
import { DEV_PREFIX, s3Body } from './dev-stage.ts';
import { DEV_SCOPE, KEY_PIN, mockRecordsKey, signedRecord } from './records-key.ts';

export const GOOD = '1795435800000-2026-11-23T12:10:00.000Z';
export const LIVE = '1795435900000-2026-11-23T12:11:40.000Z';
export const NEWER = '1795436000000-2026-11-23T12:13:20.000Z';
export const ZIP = 'zip bytes';

export const TEMPLATE = 'compiled-cloudformation-template.json';
/** GOOD's template in the bucket, stamped with the commit its record names. */
export const GOOD_TEMPLATE = JSON.stringify({
  Resources: {
    Fn: { Type: 'AWS::Lambda::Function', Metadata: { 'petsage:release': 'good' }, Properties: {} },
  },
});
/** GOOD's record: verified, its artifacts as the bucket holds them, signed by the records key. */
export const GOOD_RECORD = {
  schema: 1 as const,
  deployment: GOOD,
  verdict: 'verified' as const,
  at: '2026-11-23T12:10:30.000Z',
  commit: 'good',
  version: '1.0.0',
  ci: null,
  artifacts: {
    'health.zip': { sha256: sha256(Buffer.from(ZIP)), versionId: null },
    [TEMPLATE]: { sha256: sha256(Buffer.from(GOOD_TEMPLATE)), versionId: null },
  },
  correlationId: 'smoke-0',
  rolledBackTo: null,
  note: null,
};

/**
 * The dev stack's template while it runs `live`: the records key pinned, its function's code in
 * `live`'s folder, with `properties` more on the function (its FunctionName).
 */
export const stackTemplate = (live: string, properties: Record<string, unknown> = {}): string =>
  JSON.stringify({
    // The gated stack pins the records key (what `history` checks records against).
    Metadata: { SmokeGate: { RecordsKey: KEY_PIN } },
    Resources: {
      Fn: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'petsage:release': `commit-${live.slice(0, 4)}` },
        Properties: { Code: { S3Key: `${DEV_PREFIX}${live}/health.zip` }, ...properties },
      },
    },
  });

/**
 * Mocks S3, CloudFormation and KMS for a test file; `world(live)` sets the stack running `live`
 * and the bucket holding GOOD (verified, its zip `goodZip`) and LIVE (with `liveRecord`, a record
 * for LIVE of that commit and verdict (verified when unsaid), signed by the records key only when
 * `signed`: else as someone without the key writes it). `reset()` after each test.
 */
export function devBucket() {
  const s3 = mockClient(S3Client);
  const { kms, answer: answerKms } = mockRecordsKey();
  const cloudFormation = mockClient(CloudFormationClient);
  const reset = () => {
    s3.reset();
    cloudFormation.reset();
    kms.reset();
    answerKms();
  };
  const world = (
    live: string,
    goodZip = ZIP,
    liveRecord?: { commit: string; verdict?: string; signed?: boolean },
  ) => {
    cloudFormation.on(GetTemplateCommand).resolves({ TemplateBody: stackTemplate(live) });
    cloudFormation
      .on(DescribeStacksCommand)
      .resolves({ Stacks: [{ StackStatus: 'UPDATE_COMPLETE' } as never] });
    s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
      Contents: [
        `${DEV_PREFIX}${GOOD}/health.zip`,
        `${DEV_PREFIX}${GOOD}/${TEMPLATE}`,
        `${DEV_PREFIX}${LIVE}/health.zip`,
        `${DEV_PREFIX}smoke-records/${GOOD}.json`,
        ...(liveRecord === undefined ? [] : [`${DEV_PREFIX}smoke-records/${LIVE}.json`]),
      ]
        .filter((key) => key.startsWith(input.Prefix))
        .map((Key) => ({ Key })),
    }));
    s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
      if (input.Key === `${DEV_PREFIX}smoke-records/${GOOD}.json`) {
        return { Body: s3Body(JSON.stringify(signedRecord(GOOD_RECORD, DEV_SCOPE))) };
      }
      if (input.Key === `${DEV_PREFIX}smoke-records/${LIVE}.json` && liveRecord !== undefined) {
        const record = {
          ...GOOD_RECORD,
          deployment: LIVE,
          commit: liveRecord.commit,
          verdict: (liveRecord.verdict ?? 'verified') as 'verified',
        };
        const body = liveRecord.signed === true ? signedRecord(record, DEV_SCOPE) : record;
        return { Body: s3Body(JSON.stringify(body)) };
      }
      if (input.Key === `${DEV_PREFIX}${GOOD}/${TEMPLATE}`) return { Body: s3Body(GOOD_TEMPLATE) };
      return { Body: s3Body(input.Key.includes(GOOD) ? goodZip : 'live zip'), VersionId: 'v1' };
    });
    // An unversioned stand-in: no versions listed, the current record alone is read.
    s3.on(ListObjectVersionsCommand).resolves({});
    s3.on(PutObjectCommand).resolves({ VersionId: 'v-written' });
  };
  return { s3, kms, cloudFormation, world, reset };
}
