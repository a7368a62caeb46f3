import { GetObjectCommand, ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import type { DeploymentRecord } from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';
import {
  chosenRecord,
  RECORD_CLOCK_SKEW_MS,
} from '../../../../packages/smoke-gate/src/deployments/record-choice.ts';
import { publicKeyOf } from '../../../../packages/smoke-gate/src/deployments/record-signature.ts';
import { DEV_PREFIX, s3Body } from '../../../helpers/dev-stage.ts';
import { DEV_SCOPE, KEY_ARN, keyPair, signedRecord } from '../../../helpers/records-key.ts';

const DIR = '1795435800000-2026-11-23T12:10:00.000Z';
const WRITTEN = Date.parse('2026-11-23T12:10:31.000Z');
const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const recordOf = (verdict: string, at = '2026-11-23T12:10:30.000Z'): DeploymentRecord => ({
  schema: 1,
  deployment: DIR,
  verdict: verdict as 'verified',
  at,
  commit: 'c1',
  version: null,
  ci: null,
  artifacts: {},
  correlationId: 'smoke-1',
  rolledBackTo: null,
  note: null,
});

const trust = {
  key: {
    arn: KEY_ARN,
    account: DEV_SCOPE.account,
    region: DEV_SCOPE.region,
    publicKey: publicKeyOf(keyPair.publicKey.export({ format: 'der', type: 'spki' })),
    sign: async () => new Uint8Array(),
  },
  keyProblem: '',
  service: DEV_SCOPE.service,
  stage: DEV_SCOPE.stage,
};

/** The record's stored versions, current first, each written by S3 at WRITTEN. */
const stored = (versions: unknown[]) => {
  s3.on(ListObjectVersionsCommand).resolves({
    Versions: versions.map((_, i) => ({
      Key: `${DEV_PREFIX}smoke-records/${DIR}.json`,
      VersionId: `v${i}`,
      IsLatest: i === 0,
    })),
  });
  s3.on(GetObjectCommand).callsFake((input: { VersionId: string }) => ({
    Body: s3Body(JSON.stringify(versions[Number(input.VersionId.slice(1))])),
    LastModified: new Date(WRITTEN),
  }));
};

const choose = async () => {
  const ignored: string[] = [];
  const place = {
    s3: new S3Client({ region: 'us-east-1' }),
    bucket: 'bucket',
    prefix: DEV_PREFIX,
    deadline: createDeadline(Date.now() + 10_000),
  };
  const chosen = await chosenRecord(place, DIR, trust, ignored);
  return { ...chosen, ignored };
};

describe('chosenRecord', () => {
  it('keeps the older signed record when the current one was edited, and says so', async () => {
    // Prepare
    const genuine = signedRecord(recordOf('failed'), DEV_SCOPE);
    stored([{ ...genuine, verdict: 'verified' }, genuine]);
    // Act
    const { record, untrusted, ignored } = await choose();
    // Assess
    expect(record?.verdict).toBe('failed');
    expect(untrusted).toBeNull();
    expect(ignored).toStrictEqual([
      `record of ${DIR}: its current version is untrusted (wrongly signed (altered, or signed for another deployment, stage, service, account or region)); the older signed failed stands`,
    ]);
  });

  it('says nothing when the current version is the trusted one', async () => {
    // Prepare
    stored([signedRecord(recordOf('verified'), DEV_SCOPE), recordOf('failed')]);
    // Act
    const { record, ignored } = await choose();
    // Assess
    expect(record?.verdict).toBe('verified');
    expect(ignored).toStrictEqual([]);
  });

  it(`trusts a signed time up to ${RECORD_CLOCK_SKEW_MS / 60_000} minutes after S3 wrote the record, not one more`, async () => {
    // Prepare
    const at = (ms: number) => new Date(WRITTEN + ms).toISOString();
    stored([
      signedRecord(recordOf('failed', at(RECORD_CLOCK_SKEW_MS + 1)), DEV_SCOPE),
      signedRecord(recordOf('verified', at(RECORD_CLOCK_SKEW_MS)), DEV_SCOPE),
    ]);
    // Act
    const { record } = await choose();
    // Assess
    expect(record?.verdict).toBe('verified');
  });

  it('never returns to a verified deployment a later record says failed, even an unsigned one (signing failed)', async () => {
    // Prepare: verified and signed at :30; failed again at :50, written unsigned.
    const later = recordOf('failed', '2026-11-23T12:10:50.000Z');
    stored([later, signedRecord(recordOf('verified'), DEV_SCOPE)]);
    // Act
    const { record, untrusted, ignored } = await choose();
    // Assess
    const why =
      'a later record, itself untrusted, says failed (2026-11-23T12:10:50.000Z), so the verified one of 2026-11-23T12:10:30.000Z is not returned to';
    expect(record?.verdict).toBe('verified');
    expect(untrusted).toBe(why);
    expect(ignored).toStrictEqual([`record of ${DIR} untrusted: ${why}`]);
  });

  it.each([
    ['an earlier unsigned failure', 'failed', '2026-11-23T12:10:10.000Z'],
    ['a later unsigned pass', 'restored', '2026-11-23T12:10:50.000Z'],
  ])('still returns to a signed verified deployment beside %s', async (_what, verdict, at) => {
    // Prepare
    stored([signedRecord(recordOf('verified'), DEV_SCOPE), recordOf(verdict, at)]);
    // Act
    const { record, untrusted } = await choose();
    // Assess
    expect(record?.verdict).toBe('verified');
    expect(untrusted).toBeNull();
  });

  it('lets a later unsigned failure say nothing of a signed failure', async () => {
    // Prepare
    stored([
      recordOf('interrupted', '2026-11-23T12:10:50.000Z'),
      signedRecord(recordOf('failed'), DEV_SCOPE),
    ]);
    // Act
    const { record, untrusted } = await choose();
    // Assess
    expect(record?.verdict).toBe('failed');
    expect(untrusted).toBeNull();
  });

  it('does not trust a signed record written while the bucket kept no versions, and says why', async () => {
    // Prepare: an unversioned bucket lists the one object as version "null".
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [
        { Key: `${DEV_PREFIX}smoke-records/${DIR}.json`, VersionId: 'null', IsLatest: true },
      ],
    });
    s3.on(GetObjectCommand).resolves({
      Body: s3Body(JSON.stringify(signedRecord(recordOf('verified'), DEV_SCOPE))),
      LastModified: new Date(WRITTEN),
    });
    // Act
    const { record, untrusted } = await choose();
    // Assess
    expect(record?.verdict).toBe('verified');
    expect(untrusted).toBe(
      'written while the deployment bucket kept no versions, so an overwrite would leave no trace (turn versioning on: docs/signed-records.md)',
    );
  });

  it('believes no version of a record it cannot read whole', async () => {
    // Prepare
    s3.on(ListObjectVersionsCommand).rejects(new Error('SlowDown'));
    // Act
    const { record, untrusted, ignored } = await choose();
    // Assess
    expect(record).toBeNull();
    expect(untrusted).toMatch(/^its versions could not all be listed/);
    expect(ignored).toStrictEqual([`record of ${DIR} untrusted: ${untrusted}`]);
  });
});
