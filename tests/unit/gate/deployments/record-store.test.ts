import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeadline } from '../../../../packages/smoke-gate/src/core/deadline.ts';
import type { DeploymentRecord } from '../../../../packages/smoke-gate/src/deployments/deployment-record.ts';
import {
  MAX_RECORD_VERSIONS,
  readRecordVersions,
  writeRecord,
} from '../../../../packages/smoke-gate/src/deployments/record-store.ts';
import { recordSha256 } from '../../../../packages/smoke-gate/src/deployments/stage-anchor.ts';
import { DEV_PREFIX, s3Body } from '../../../helpers/dev-stage.ts';

const DIR = '1795435800000-2026-11-23T12:10:00.000Z';
const KEY = `${DEV_PREFIX}smoke-records/${DIR}.json`;
const WRITTEN = new Date('2026-11-23T12:10:31.000Z');
const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const recordAt = (verdict: string): DeploymentRecord => ({
  schema: 1,
  deployment: DIR,
  verdict: verdict as 'verified',
  at: '2026-11-23T12:10:30.000Z',
  commit: 'c1',
  version: null,
  ci: null,
  artifacts: {},
  correlationId: null,
  rolledBackTo: null,
  note: null,
});

const place = () => ({
  s3: new S3Client({ region: 'us-east-1' }),
  bucket: 'bucket',
  prefix: DEV_PREFIX,
  deadline: createDeadline(Date.now() + 10_000),
});

/** The versions `v0..v<n-1>` of the record (v0 current), listed `perPage` at a time. */
const versions = (n: number, perPage: number, extraKeys = 0) => {
  const all = [
    ...Array.from({ length: n }, (_, i) => ({ Key: KEY, VersionId: `v${i}`, IsLatest: i === 0 })),
    ...Array.from({ length: extraKeys }, (_, i) => ({ Key: `${KEY}.copy${i}`, VersionId: 'x' })),
  ];
  s3.on(ListObjectVersionsCommand).callsFake((input: { KeyMarker?: string }) => {
    const start = input.KeyMarker === undefined ? 0 : Number(input.KeyMarker);
    const end = start + perPage;
    return {
      Versions: all.slice(start, end),
      IsTruncated: end < all.length,
      ...(end < all.length ? { NextKeyMarker: String(end), NextVersionIdMarker: 'm' } : {}),
    };
  });
  s3.on(GetObjectCommand).callsFake((input: { VersionId?: string }) => ({
    Body: s3Body(JSON.stringify(recordAt(input.VersionId === 'v0' ? 'failed' : 'verified'))),
    LastModified: WRITTEN,
  }));
};

describe('readRecordVersions: a complete read or none', () => {
  it('reads every version across pages, the current one first, each with when S3 wrote it', async () => {
    // Prepare
    versions(5, 2);
    // Act
    const reads = await readRecordVersions(place(), DIR);
    // Assess
    expect(reads).toHaveLength(5);
    expect(reads).toMatchObject([
      { record: { verdict: 'failed' }, writtenAt: WRITTEN.getTime() },
      ...Array.from({ length: 4 }, () => ({ record: { verdict: 'verified' } })),
    ]);
    expect(s3.commandCalls(ListObjectVersionsCommand).map((c) => c.args[0].input)).toMatchObject([
      { Bucket: 'bucket', Prefix: KEY },
      { KeyMarker: '2', VersionIdMarker: 'm' },
      { KeyMarker: '4', VersionIdMarker: 'm' },
    ]);
  });

  it(`reads up to ${MAX_RECORD_VERSIONS} versions`, async () => {
    // Prepare
    versions(MAX_RECORD_VERSIONS, 1000);
    // Act
    const reads = await readRecordVersions(place(), DIR);
    // Assess
    expect(reads).toHaveLength(MAX_RECORD_VERSIONS);
  });

  it.each([
    ['on one page', 1000],
    ['across pages', 7],
  ])(
    'reads none of a record with one version more than it reads, %s, and says why',
    async (_how, perPage) => {
      // Prepare: an old version re-put past the bound.
      versions(MAX_RECORD_VERSIONS + 1, perPage);
      // Act
      const reads = await readRecordVersions(place(), DIR);
      // Assess
      expect(reads).toStrictEqual({
        incomplete: `it has more than ${MAX_RECORD_VERSIONS} stored versions, more than the gate reads (re-put to hide a newer verdict?)`,
      });
      expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    },
  );

  it('stops, incomplete, when other keys under its name fill more pages than it reads', async () => {
    // Prepare: two versions of the record, then a thousand copies beside it, a page each.
    versions(2, 1, 1000);
    // Act
    const reads = await readRecordVersions(place(), DIR);
    // Assess
    expect(reads).toMatchObject({ incomplete: expect.stringContaining('more than') });
    expect(s3.commandCalls(ListObjectVersionsCommand)).toHaveLength(10);
  });

  it('reads none when the versions cannot be listed, and says why in one line', async () => {
    // Prepare
    s3.on(ListObjectVersionsCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    // Act
    const reads = await readRecordVersions(place(), DIR);
    // Assess
    expect(reads).toMatchObject({
      incomplete: expect.stringMatching(
        /^its versions could not all be listed \(deployment bucket bucket: listing record versions: .*access denied.*needs s3:ListBucketVersions on the deployment bucket.*\)$/,
      ),
    });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  });

  it('reads none when a truncated page names no next marker', async () => {
    // Prepare
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [{ Key: KEY, VersionId: 'v0', IsLatest: true }],
      IsTruncated: true,
    });
    // Act
    const reads = await readRecordVersions(place(), DIR);
    // Assess
    expect(reads).toMatchObject({ incomplete: expect.stringContaining('without a marker') });
  });

  it('reads the current object alone where the bucket lists no versions', async () => {
    // Prepare
    s3.on(ListObjectVersionsCommand).resolves({});
    s3.on(GetObjectCommand).resolves({ Body: s3Body(JSON.stringify(recordAt('verified'))) });
    // Act
    const reads = await readRecordVersions(place(), DIR);
    // Assess
    expect(reads).toStrictEqual([
      {
        record: { ...recordAt('verified'), scope: null, signature: null },
        sha256: recordSha256(JSON.stringify(recordAt('verified'))),
      },
    ]);
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input.VersionId).toBeUndefined();
  });
});

describe('readRecordVersions: what it asks S3 and what it reads', () => {
  it('lists the record’s versions one page past the bound, and reads each by its version, at most 16 KiB', async () => {
    // Prepare
    versions(2, 1000);
    // Act
    await readRecordVersions(place(), DIR);
    // Assess
    expect(s3.commandCalls(ListObjectVersionsCommand)[0]?.args[0].input).toStrictEqual({
      Bucket: 'bucket',
      Prefix: KEY,
      MaxKeys: MAX_RECORD_VERSIONS + 1,
    });
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toStrictEqual([
      { Bucket: 'bucket', Key: KEY, Range: 'bytes=0-16384', VersionId: 'v0' },
      { Bucket: 'bucket', Key: KEY, Range: 'bytes=0-16384', VersionId: 'v1' },
    ]);
  });

  it('reads only the record’s own versions, never another key that shares its name, and the current one first', async () => {
    // Prepare: the current version listed last, between a longer key's.
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [
        { Key: KEY, VersionId: 'v1', IsLatest: false },
        { Key: `${KEY}.bak`, VersionId: 'b0', IsLatest: true },
        { Key: KEY, VersionId: undefined },
        { Key: KEY, VersionId: 'v0', IsLatest: true },
      ],
    });
    s3.on(GetObjectCommand).callsFake(() => ({ Body: s3Body(JSON.stringify(recordAt('failed'))) }));
    // Act
    await readRecordVersions(place(), DIR);
    // Assess
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.VersionId)).toStrictEqual([
      'v0',
      'v1',
    ]);
  });

  it('reads the unversioned object’s one version (S3 names it "null") as the current object', async () => {
    // Prepare
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [{ Key: KEY, VersionId: 'null', IsLatest: true }],
    });
    s3.on(GetObjectCommand).resolves({ Body: s3Body(JSON.stringify(recordAt('verified'))) });
    // Act
    await readRecordVersions(place(), DIR);
    // Assess
    expect(s3.commandCalls(GetObjectCommand)[0]?.args[0].input).toStrictEqual({
      Bucket: 'bucket',
      Key: KEY,
      Range: 'bytes=0-16384',
    });
  });

  it('says in one line why a version it cannot read is ignored, and reads the rest', async () => {
    // Prepare
    s3.on(ListObjectVersionsCommand).resolves({
      Versions: [
        { Key: KEY, VersionId: 'v0', IsLatest: true },
        { Key: KEY, VersionId: 'v1' },
      ],
    });
    s3.on(GetObjectCommand)
      .rejectsOnce(Object.assign(new Error('gone'), { name: 'NoSuchVersion' }))
      .resolves({ Body: s3Body(JSON.stringify(recordAt('verified'))) });
    // Act
    const reads = await readRecordVersions(place(), DIR);
    // Assess
    expect(reads).toMatchObject([
      {
        problem: expect.stringMatching(
          /^unreadable \(deployment bucket bucket: reading a record: .*NoSuchVersion.*\)$/,
        ),
      },
      { record: { verdict: 'verified' } },
    ]);
  });

  it.each([
    ['a version', [{ Key: KEY, VersionId: 'v0', IsLatest: true }], 's3:GetObjectVersion'],
    ['the current object', [], 's3:GetObject'],
  ])('names the permission it lacks to read %s', async (_what, listed, needs) => {
    // Prepare
    s3.on(ListObjectVersionsCommand).resolves({ Versions: listed });
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }),
    );
    // Act
    const reads = await readRecordVersions(place(), DIR);
    // Assess
    expect(reads).toMatchObject([
      { problem: expect.stringContaining(`It needs ${needs} on the deployment bucket`) },
    ]);
  });

  it('reads an empty object as no record', async () => {
    // Prepare
    s3.on(ListObjectVersionsCommand).resolves({});
    s3.on(GetObjectCommand).resolves({});
    // Act
    const reads = await readRecordVersions(place(), DIR);
    // Assess
    expect(reads).toStrictEqual([{ problem: 'not JSON' }]);
  });
});

describe('writeRecord', () => {
  it('writes the record as JSON beside the deployment folders', async () => {
    // Prepare
    s3.on(PutObjectCommand).resolves({});
    // Act
    await writeRecord(place(), recordAt('verified'));
    // Assess
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toStrictEqual({
      Bucket: 'bucket',
      Key: KEY,
      ContentType: 'application/json',
      Body: JSON.stringify(recordAt('verified')),
    });
  });
});
