// A deployment's record in the bucket: every stored version of it, read completely or not at
// all, each with when S3 wrote it; and the one write of a new verdict.
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  PutObjectCommand,
  type PutObjectCommandOutput,
} from '@aws-sdk/client-s3';
import { safeMessage, safeText } from '../core/safe-text.ts';
import { type DeploymentBucket, s3Call } from './deployment-bucket.ts';
import {
  type DeploymentRecord,
  parseRecord,
  RECORD_MAX_BYTES,
  RECORDS_FOLDER,
} from './deployment-record.ts';
import { recordSha256 } from './stage-anchor.ts';

/**
 * At most this many stored versions of one record are read (the current one first). A record
 * with more is not read at all: its deployment is untrusted, never restored (a rewind that
 * re-puts an old version past the bound hides nothing).
 */
export const MAX_RECORD_VERSIONS = 50;

/** Pages of a record's version listing read at most (other keys may share its prefix). */
const MAX_VERSION_PAGES = 10;

/** A record read from the bucket, with when S3 wrote it (epoch ms, when S3 says). */
export type RecordRead =
  | {
      record: DeploymentRecord;
      writtenAt?: number;
      sha256: string;
      /** Written while the bucket kept no versions (S3 lists its version as "null"). */
      unversioned?: true;
    }
  | { problem: string };

/** Every stored version of one key (newest first), or `tooMany` past MAX_RECORD_VERSIONS. */
async function listRecordVersions(
  place: DeploymentBucket,
  key: string,
): Promise<string[] | 'too many'> {
  const versions: { id: string; latest: boolean }[] = [];
  let marker: { KeyMarker?: string; VersionIdMarker?: string } = {};
  // Other keys under the same prefix (`<key>.x`) fill pages too: the pages are bounded as well.
  for (let pages = 1; ; pages += 1) {
    const page = await s3Call<ListObjectVersionsCommandOutput>(
      place,
      new ListObjectVersionsCommand({
        Bucket: place.bucket,
        Prefix: key,
        MaxKeys: MAX_RECORD_VERSIONS + 1,
        ...marker,
      }),
      'listing record versions',
      's3:ListBucketVersions',
    );
    for (const version of page.Versions ?? []) {
      if (version.Key === key && version.VersionId !== undefined) {
        versions.push({ id: version.VersionId, latest: version.IsLatest === true });
      }
    }
    if (versions.length > MAX_RECORD_VERSIONS) return 'too many';
    if (page.IsTruncated !== true) break;
    if (pages === MAX_VERSION_PAGES) return 'too many';
    // A page that names no next marker cannot be followed: the read would be incomplete.
    if (page.NextKeyMarker === undefined) throw new Error('the listing ended without a marker');
    marker = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
  }
  // The current version first (S3 lists newest first; IsLatest says so either way).
  versions.sort((x, y) => Number(y.latest) - Number(x.latest));
  return versions.map((version) => version.id);
}

/**
 * Every stored version of a deployment's record (newest first), each parsed or with the one-line
 * reason it is ignored: an older version restored over a newer one is seen, and the newest
 * trusted one wins. A complete read or none: a record whose versions cannot all be listed, or
 * that has more than MAX_RECORD_VERSIONS, is one problem, and its deployment is untrusted.
 */
export async function readRecordVersions(
  place: DeploymentBucket,
  directory: string,
): Promise<RecordRead[] | { incomplete: string }> {
  const key = recordKey(place, directory);
  let listed: Awaited<ReturnType<typeof listRecordVersions>>;
  try {
    listed = await listRecordVersions(place, key);
  } catch (error) {
    return {
      incomplete: `its versions could not all be listed (${safeText(error instanceof Error ? error.message : error, 240)})`,
    };
  }
  if (listed === 'too many') {
    return {
      incomplete: `it has more than ${MAX_RECORD_VERSIONS} stored versions, more than the gate reads (re-put to hide a newer verdict?)`,
    };
  }
  // No versions listed (a stand-in without versioning): the current object alone.
  const ids: (string | undefined)[] = listed.length === 0 ? [undefined] : listed;
  const reads: RecordRead[] = [];
  for (const id of ids) {
    const read = await readRecord(place, directory, id === 'null' ? undefined : id);
    reads.push(id === 'null' && 'record' in read ? { ...read, unversioned: true } : read);
  }
  return reads;
}

const recordKey = (place: DeploymentBucket, directory: string) =>
  `${place.prefix}${RECORDS_FOLDER}/${directory}.json`;

/**
 * Reads one deployment's record, at most RECORD_MAX_BYTES of it (a Range request: a huge object
 * costs nothing), with when S3 wrote it, or says in one line why it is ignored.
 */
export async function readRecord(
  place: DeploymentBucket,
  directory: string,
  versionId?: string,
): Promise<RecordRead> {
  try {
    const object = await s3Call<GetObjectCommandOutput>(
      place,
      new GetObjectCommand({
        Bucket: place.bucket,
        Key: recordKey(place, directory),
        Range: `bytes=0-${RECORD_MAX_BYTES}`,
        ...(versionId === undefined ? {} : { VersionId: versionId }),
      }),
      'reading a record',
      versionId === undefined ? 's3:GetObject' : 's3:GetObjectVersion',
    );
    const text = (await object.Body?.transformToString('utf8')) ?? '';
    const parsed = parseRecord(text, directory);
    if ('problem' in parsed) return parsed;
    const writtenAt = object.LastModified?.getTime();
    const read = { ...parsed, sha256: recordSha256(text) };
    return writtenAt === undefined ? read : { ...read, writtenAt };
  } catch (error) {
    return { problem: `unreadable (${safeMessage(error, 160)})` };
  }
}

/** Writes a deployment's record (its latest verdict). */
export async function writeRecord(
  place: DeploymentBucket,
  record: DeploymentRecord,
): Promise<{ versioned: boolean }> {
  const written = await s3Call<PutObjectCommandOutput>(
    place,
    new PutObjectCommand({
      Bucket: place.bucket,
      Key: recordKey(place, record.deployment),
      ContentType: 'application/json',
      Body: JSON.stringify(record),
    }),
    'writing a record',
    's3:PutObject',
  );
  // S3 names a version only where the bucket keeps them ("null" where it is suspended).
  return { versioned: written.VersionId !== undefined && written.VersionId !== 'null' };
}
