import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetPublicKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CouldNotJudgeError } from '../../../../packages/smoke-gate/src/core/errors.ts';
import {
  openRecordBooks,
  recordVerdict,
  type StagePlace,
} from '../../../../packages/smoke-gate/src/deployments/deployment-books.ts';
import { sha256 } from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';
import { recordSha256 } from '../../../../packages/smoke-gate/src/deployments/stage-anchor.ts';
import { DEV_AWS, DEV_PREFIX, DEV_STAGE, s3Body } from '../../../helpers/dev-stage.ts';
import { KEY_ARN, KEY_PIN, mockRecordsKey, signedAnchor } from '../../../helpers/records-key.ts';
import { failedReport } from '../../../helpers/verify-report.ts';

const DEPLOYMENT = '1795435900000-2026-11-23T12:11:40.000Z';
const OWN = { directory: DEPLOYMENT, commit: 'abc123', version: '1.0.0' };

const s3 = mockClient(S3Client);
const cloudFormation = mockClient(CloudFormationClient);
const { kms, ssm, answer: answerKms } = mockRecordsKey();

afterEach(() => {
  s3.reset();
  cloudFormation.reset();
  kms.reset();
  answerKms();
});

/** The bucket holds the deployment's zip; writes succeed unless `refuse`. */
const bucket = (refuse?: Error) => {
  s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
    Contents: [{ Key: `${DEV_PREFIX}${DEPLOYMENT}/health.zip` }].filter((o) =>
      o.Key.startsWith(input.Prefix),
    ),
  }));
  s3.on(GetObjectCommand).resolves({ Body: s3Body('zip'), VersionId: 'v7' });
  if (refuse === undefined) s3.on(PutObjectCommand).resolves({ VersionId: 'v-written' });
  else s3.on(PutObjectCommand).rejects(refuse);
};

const written = () =>
  s3
    .commandCalls(PutObjectCommand)
    .map((call) => JSON.parse(String(call.args[0].input.Body)) as Record<string, unknown>);

describe('openRecordBooks: what writing a record needs, and nothing more', () => {
  it('finds the stage’s bucket, prefix, stack and records key from the place it is given', async () => {
    // Act
    const books = await openRecordBooks(DEV_STAGE, DEV_AWS);
    // Assess
    expect({ bucket: books.bucket, prefix: books.prefix, stack: books.stack }).toStrictEqual({
      bucket: 'bucket',
      prefix: DEV_PREFIX,
      stack: 'petsage-smoke-test-dev',
    });
    expect(books.trust.key?.arn).toBe(KEY_ARN);
    expect(books.trust.service).toBe('petsage-smoke-test');
    expect(cloudFormation.calls()).toHaveLength(0);
  });

  it('opens the pinned key by its ARN, never by an alias', async () => {
    // Prepare
    bucket();
    // Act
    await openRecordBooks(DEV_STAGE, DEV_AWS);
    // Assess
    expect(kms.commandCalls(GetPublicKeyCommand).map((c) => c.args[0].input)).toStrictEqual([
      { KeyId: KEY_ARN },
    ]);
  });

  it.each([
    [
      'another public key behind the pinned ARN',
      { ...KEY_PIN, publicKeySha256: 'f'.repeat(64) },
      `the records key is not the pinned one, so nothing is trusted or written: ${KEY_ARN} has public key sha256 ${KEY_PIN.publicKeySha256}; the pin is ${KEY_ARN} with ${'f'.repeat(64)}`,
    ],
    [
      'another key answering for the pinned ARN',
      { ...KEY_PIN, arn: 'arn:aws:kms:us-east-1:123456789012:key/pinned' },
      `the records key is not the pinned one, so nothing is trusted or written: ${KEY_ARN} has public key sha256 ${KEY_PIN.publicKeySha256}; the pin is arn:aws:kms:us-east-1:123456789012:key/pinned with ${KEY_PIN.publicKeySha256}`,
    ],
  ])('refuses, could not judge, in one line naming both, %s', async (_what, pin, line) => {
    // Prepare
    bucket();
    // Act
    const opened = openRecordBooks({ ...DEV_STAGE, recordsKey: pin }, DEV_AWS);
    // Assess
    await expect(opened).rejects.toThrow(line);
    await expect(opened).rejects.toBeInstanceOf(CouldNotJudgeError);
    expect(kms.commandCalls(SignCommand)).toHaveLength(0);
  });

  it('refuses, could not judge, a pinned key that is gone, and writes nothing', async () => {
    // Prepare
    bucket();
    kms
      .on(GetPublicKeyCommand)
      .rejects(Object.assign(new Error('Key is not found.'), { name: 'NotFoundException' }));
    // Act
    const opened = record('verified');
    // Assess
    await expect(opened).rejects.toThrow(
      /^the pinned records key cannot be checked, so nothing is trusted or written: records key arn:aws:kms:\S+ could not be read: /,
    );
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('hashes a deployment’s artifacts once per command, however often it is asked', async () => {
    // Prepare
    bucket();
    const books = await openRecordBooks(DEV_STAGE, DEV_AWS);
    // Act
    const [first, second] = await Promise.all([
      books.artifactsOf(DEPLOYMENT),
      books.artifactsOf(DEPLOYMENT),
    ]);
    // Assess
    expect(first).toStrictEqual({
      'health.zip': { sha256: sha256(Buffer.from('zip')), versionId: 'v7' },
    });
    expect(second).toBe(first);
    expect(s3.commandCalls(ListObjectsV2Command)).toHaveLength(1);
  });
});

/** Records OWN's verdict in the dev stage's books: whether it was written, and what was said. */
async function record(
  verdict: Parameters<typeof recordVerdict>[3],
  extra?: Parameters<typeof recordVerdict>[4],
  stage: StagePlace = DEV_STAGE,
) {
  const books = await openRecordBooks(stage, DEV_AWS);
  const notices: string[] = [];
  const context = { log: { notice: (text: string) => notices.push(text) }, env: {} };
  return { ok: await recordVerdict(context, books, OWN, verdict, extra), notices };
}

describe('recordVerdict', () => {
  it('writes one signed record with the verification’s correlation id, the rollback target and the note', async () => {
    // Prepare
    bucket();
    // Act
    const { ok, notices } = await record('rolled-back', {
      outcome: { exitCode: 1, report: { ...failedReport, correlationId: 'smoke-42' } },
      rolledBackTo: '1795435800000-2026-11-23T12:10:00.000Z',
      note: 'failed the smoke test',
    });
    // Assess
    expect(ok).toBe(true);
    expect(notices).toStrictEqual([]);
    expect(written()).toStrictEqual([
      expect.objectContaining({
        deployment: DEPLOYMENT,
        verdict: 'rolled-back',
        commit: 'abc123',
        correlationId: 'smoke-42',
        rolledBackTo: '1795435800000-2026-11-23T12:10:00.000Z',
        note: 'failed the smoke test',
        signature: expect.objectContaining({ keyArn: KEY_ARN }),
      }),
    ]);
  });

  it('numbers each signed record in the stage and moves the stage’s anchor to it', async () => {
    // Prepare: the stage's anchor names record #6.
    bucket();
    ssm.on(GetParameterCommand).resolves({
      Parameter: { Value: JSON.stringify(signedAnchor({ sequence: 6 })) },
    });
    const books = await openRecordBooks(DEV_STAGE, DEV_AWS);
    const context = { log: { notice: () => undefined }, env: {} };
    // Act
    await recordVerdict(context, books, OWN, 'failed');
    await recordVerdict(context, books, OWN, 'rolled-back');
    // Assess
    const bodies = s3.commandCalls(PutObjectCommand).map((c) => String(c.args[0].input.Body));
    const anchors = ssm
      .commandCalls(PutParameterCommand)
      .map((c) => ({ ...c.args[0].input, Value: JSON.parse(String(c.args[0].input.Value)) }));
    expect(written().map((r) => r.sequence)).toStrictEqual([7, 8]);
    expect(anchors).toMatchObject(
      bodies.map((body, i) => ({
        Name: '/petsage-smoke-test/smoke-gate/dev/anchor',
        Overwrite: true,
        Value: { sequence: 7 + i, deployment: OWN.directory, recordSha256: recordSha256(body) },
      })),
    );
  });

  it('starts the stage at #1 when it has no anchor yet', async () => {
    // Prepare
    bucket();
    // Act
    await record('verified');
    // Assess
    expect(written()[0]?.sequence).toBe(1);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(1);
  });

  it('numbers and anchors nothing it could not sign', async () => {
    // Prepare
    bucket();
    kms
      .on(SignCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    await record('verified');
    // Assess
    expect(written()[0]).not.toHaveProperty('sequence');
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('keeps the record and says so when the anchor cannot be moved', async () => {
    // Prepare
    bucket();
    ssm
      .on(PutParameterCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    // Act
    const { ok, notices } = await record('verified');
    // Assess
    expect(ok).toBe(true);
    expect(written()).toHaveLength(1);
    expect(notices).toStrictEqual([
      expect.stringMatching(
        new RegExp(
          `^the stage's anchor was not moved to deployment ${OWN.directory}'s record \\(.*ssm:PutParameter.*\\): that record is not anchored\\.$`,
        ),
      ),
    ]);
  });

  it.each([
    ['names no version', {}],
    ['names the version "null" (versioning suspended)', { VersionId: 'null' }],
  ])('says the record is untrusted when the bucket %s', async (_when, answer) => {
    // Prepare
    bucket();
    s3.on(PutObjectCommand).resolves(answer);
    // Act
    const { ok, notices } = await record('verified');
    // Assess
    expect(ok).toBe(true);
    expect(notices).toStrictEqual([
      `deployment ${OWN.directory}'s verified record is written into a deployment bucket that keeps no versions: it is untrusted, and no rollback returns to it (turn versioning on: docs/bucket-and-live.md).`,
    ]);
  });

  it('writes nulls where there is no verification, rollback or note', async () => {
    // Prepare
    bucket();
    // Act
    await record('interrupted');
    // Assess
    expect(written()[0]).toMatchObject({ correlationId: null, rolledBackTo: null, note: null });
  });

  it('writes the record unsigned when no records key is pinned, and says it will not be trusted', async () => {
    // Prepare
    bucket();
    // Act
    const { ok, notices } = await record('verified', undefined, {
      ...DEV_STAGE,
      recordsKey: undefined,
    });
    // Assess
    expect(ok).toBe(true);
    expect(written()[0]?.signature ?? null).toBeNull();
    expect(kms.calls()).toHaveLength(0);
    expect(notices).toStrictEqual([
      `deployment ${DEPLOYMENT}'s verified record is written unsigned (no records key pinned (custom.smokeTest.recordsKey: docs/signed-records.md)): history shows it as untrusted and no rollback returns to it. Records are signed by the deploy role with the records key: docs/signed-records.md.`,
    ]);
  });

  it.each([
    ['verified', '(the verdict stands; a rollback will not return to it)'],
    ['failed', '(the verdict stands)'],
  ] as const)('says a %s record could not be written, and returns false', async (verdict, tail) => {
    // Prepare
    bucket(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    // Act
    const { ok, notices } = await record(verdict);
    // Assess
    expect(ok).toBe(false);
    expect(notices).toHaveLength(1);
    expect(
      notices[0]?.startsWith(`could not record deployment ${DEPLOYMENT} as ${verdict}: `),
    ).toBe(true);
    expect(notices[0]?.endsWith(tail)).toBe(true);
  });
});
