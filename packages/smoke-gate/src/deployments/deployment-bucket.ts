import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { callAws } from '../aws/aws-call.ts';
import type { Deadline } from '../core/deadline.ts';
import { safeText } from '../core/safe-text.ts';
import { stampedFunction, type TemplateResources } from './build-stamp.ts';
import {
  type ArtifactHash,
  DIRECTORY,
  RECORDS_FOLDER,
  sha256,
  timestampOf,
} from './deployment-record.ts';

/** Where a stage's deployments live: `<bucket>/<prefix><directory>/...`. */
export interface DeploymentBucket {
  s3: S3Client;
  bucket: string;
  /** `serverless/<service>/<stage>/` */
  prefix: string;
  /** The command's deadline: every call to the bucket ends by it. */
  deadline: Deadline;
}

/** One call to the deployment bucket, through the one way the gate calls AWS. */
export const s3Call = <Output>(
  place: DeploymentBucket,
  command: object,
  what: string,
  needs:
    | 's3:ListBucket'
    | 's3:ListBucketVersions'
    | 's3:GetObject'
    | 's3:GetObjectVersion'
    | 's3:PutObject',
) =>
  callAws<Output>(place.s3, command, {
    what: `deployment bucket ${safeText(place.bucket, 80)}: ${what}`,
    deadline: place.deadline,
    needs: `${needs} on the deployment bucket`,
  });

/** Every key under the prefix, following continuation tokens. */
async function listKeys(place: DeploymentBucket, prefix: string): Promise<string[]> {
  return (await listObjects(place, prefix)).map((object) => object.key);
}

/** Every object under the prefix with when S3 last wrote it (epoch ms). */
async function listObjects(
  place: DeploymentBucket,
  prefix: string,
): Promise<{ key: string; lastModified: number }[]> {
  const keys: { key: string; lastModified: number }[] = [];
  let token: string | undefined;
  do {
    const page = await s3Call<ListObjectsV2CommandOutput>(
      place,
      new ListObjectsV2Command({ Bucket: place.bucket, Prefix: prefix, ContinuationToken: token }),
      'listing',
      's3:ListBucket',
    );
    for (const object of page.Contents ?? []) {
      if (object.Key) {
        keys.push({ key: object.Key, lastModified: object.LastModified?.getTime() ?? Number.NaN });
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return keys;
}

/** What the bucket holds for a stage: deployment directories and the record keys beside them. */
export async function listDeployments(
  place: DeploymentBucket,
): Promise<{ directories: string[]; records: Set<string>; postdated: string[] }> {
  const directories = new Set<string>();
  const records = new Set<string>();
  const postdated = new Set<string>();
  for (const { key, lastModified } of await listObjects(place, place.prefix)) {
    const [first = '', second = ''] = key.slice(place.prefix.length).split('/');
    if (first === RECORDS_FOLDER && second.endsWith('.json')) records.add(second.slice(0, -5));
    else if (DIRECTORY.test(first)) {
      directories.add(first);
      // A folder dated after its objects were written was named by someone else: planted.
      if (timestampOf(first) > lastModified + FOLDER_CLOCK_SKEW_MS) postdated.add(first);
    }
  }
  return {
    directories: [...directories].filter((directory) => !postdated.has(directory)),
    records,
    postdated: [...postdated],
  };
}

/** How far a folder's name may run ahead of when S3 wrote its objects. */
export const FOLDER_CLOCK_SKEW_MS = 10 * 60_000;
/** The sha256 and object version of every artifact of a deployment, as the bucket holds them now. */
export async function hashArtifacts(
  place: DeploymentBucket,
  directory: string,
): Promise<Record<string, ArtifactHash>> {
  const folder = `${place.prefix}${directory}/`;
  const hashes: Record<string, ArtifactHash> = {};
  for (const key of await listKeys(place, folder)) {
    const object = await s3Call<GetObjectCommandOutput>(
      place,
      new GetObjectCommand({ Bucket: place.bucket, Key: key }),
      'reading an artifact',
      's3:GetObject',
    );
    const bytes = (await object.Body?.transformToByteArray()) ?? new Uint8Array();
    hashes[key.slice(folder.length)] = {
      sha256: sha256(bytes),
      versionId: object.VersionId ?? null,
    };
  }
  return hashes;
}

/** The framework's template of a deployment is at most this big (CloudFormation's own limit). */
const TEMPLATE_MAX_BYTES = 1024 * 1024;

/**
 * What a deployment was built from, read from its compiled template in the bucket (the function's
 * build metadata, stamped by the plugin at package time); nulls when it is unreadable or unstamped.
 */
export async function builtFrom(
  place: DeploymentBucket,
  directory: string,
): Promise<{ commit: string | null; version: string | null }> {
  try {
    const object = await s3Call<GetObjectCommandOutput>(
      place,
      new GetObjectCommand({
        Bucket: place.bucket,
        Key: `${place.prefix}${directory}/compiled-cloudformation-template.json`,
        Range: `bytes=0-${TEMPLATE_MAX_BYTES}`,
      }),
      'reading a template',
      's3:GetObject',
    );
    const text = (await object.Body?.transformToString('utf8')) ?? '{}';
    const { commit, version } = stampedFunction(
      (JSON.parse(text) as { Resources?: TemplateResources }).Resources,
    );
    return { commit, version };
  } catch {
    return { commit: null, version: null };
  }
}
