import { type CloudFormationClient, GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Verdict, VerifyReport } from './verify-deployment.ts';

/** One deployment in the deployment bucket (a framework artifact directory). */
export interface Deployment {
  /** The artifact directory name, `<epoch ms>-<ISO time>`. */
  directory: string;
  /** Its epoch ms, as `serverless rollback --timestamp` takes it. */
  timestamp: number;
  /** When the smoke test last verified it, if ever. */
  verifiedAt: string | null;
}

/** What the stack runs now, and the deployments still in the bucket, newest first. */
export interface DeploymentHistory {
  live: string | undefined;
  deployments: Deployment[];
}

/** What a rollback did, as `--json` carries it. */
export interface RollbackFacts {
  from: string | null;
  to: string;
  toVerifiedAt: string | null;
  /** The restored deployment's verification; null when the rollback itself failed. */
  restored: VerifyReport | null;
  error: string | null;
}

/** What to do after a verification that ran after `serverless deploy`. */
export type RollbackDecision =
  | { action: 'record'; deployment: string }
  | { action: 'keep'; reason: string }
  | { action: 'rollback'; from: string | undefined; to: Deployment };

/** Where verified markers live: beside the framework's deployment directories, not in them. */
export const VERIFIED_FOLDER = 'smoke-verified';

const DIRECTORY = /^(\d+)-\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/;

/**
 * The decision, from the verdict and the history alone. Only a definitive FAIL (exit 1) rolls
 * back, and only to a deployment that passed before and is not the one live now.
 */
export function decideRollback(input: {
  exitCode: number;
  verdict: Verdict | undefined;
  enabled: boolean;
  disabledBy?: string | undefined;
  history: DeploymentHistory;
}): RollbackDecision {
  const { history } = input;
  if (input.exitCode === 0) {
    return history.live === undefined
      ? { action: 'keep', reason: 'verified, but the live deployment could not be identified' }
      : { action: 'record', deployment: history.live };
  }
  if (input.exitCode !== 1 || input.verdict !== 'failed') {
    return {
      action: 'keep',
      reason:
        'the verification could not judge this deployment (exit 2), so nothing is rolled back: only a definitive FAIL rolls back. The deployment stays live.',
    };
  }
  if (!input.enabled) {
    return {
      action: 'keep',
      reason: `rollback is off (${input.disabledBy ?? 'custom.smokeTest.rollbackOnFailure: false'}): the failed deployment stays live.`,
    };
  }
  const live = history.deployments.find((d) => d.directory === history.live);
  if (live?.verifiedAt) {
    return {
      action: 'keep',
      reason: `the live deployment ${live.directory} passed on ${live.verifiedAt}: this failure did not come with a new deployment (check the log path, permissions and the route), so no rollback.`,
    };
  }
  const target = history.deployments.find(
    (d) => d.verifiedAt !== null && d.directory !== history.live,
  );
  if (target === undefined) {
    return {
      action: 'keep',
      reason:
        'there is no verified deployment to return to (a first deploy, or the verified ones were pruned from the deployment bucket): the failed deployment stays live.',
    };
  }
  return { action: 'rollback', from: history.live, to: target };
}

/** The artifact directory of an S3 key such as `serverless/<svc>/<stage>/<dir>/health.zip`. */
export const deploymentOfKey = (key: string): string | undefined =>
  key.split('/').find((part) => DIRECTORY.test(part));

/** The deployment the stack runs now: the directory of its function's code in the template. */
export async function liveDeployment(
  cloudFormation: CloudFormationClient,
  stackName: string,
): Promise<string | undefined> {
  const { TemplateBody } = await cloudFormation.send(
    new GetTemplateCommand({ StackName: stackName }),
  );
  const template = JSON.parse(TemplateBody ?? '{}') as {
    Resources?: Record<string, { Type: string; Properties?: { Code?: { S3Key?: unknown } } }>;
  };
  for (const resource of Object.values(template.Resources ?? {})) {
    const key = resource.Properties?.Code?.S3Key;
    if (resource.Type === 'AWS::Lambda::Function' && typeof key === 'string') {
      return deploymentOfKey(key);
    }
  }
  return undefined;
}

/** Lists the deployments still in the bucket under `prefix` and the verified markers. */
export async function deploymentHistory(
  s3: S3Client,
  bucket: string,
  prefix: string,
  live: string | undefined,
): Promise<DeploymentHistory> {
  const directories = new Set<string>();
  const verified = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const rest = (object.Key ?? '').slice(prefix.length);
      const [first = '', second = ''] = rest.split('/');
      if (first === VERIFIED_FOLDER) {
        const directory = second.replace(/\.json$/, '');
        verified.set(directory, object.LastModified?.toISOString() ?? '');
      } else if (DIRECTORY.test(first)) {
        directories.add(first);
      }
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  const deployments = [...directories]
    .map((directory) => ({
      directory,
      timestamp: Number(DIRECTORY.exec(directory)?.[1]),
      verifiedAt: verified.get(directory) ?? null,
    }))
    .sort((a, b) => b.timestamp - a.timestamp);
  return { live, deployments };
}

/** Records that a deployment passed: one small object, written only after the verdict. */
export async function recordVerified(
  s3: S3Client,
  bucket: string,
  prefix: string,
  deployment: string,
  facts: { correlationId: string; url: string },
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefix}${VERIFIED_FOLDER}/${deployment}.json`,
      ContentType: 'application/json',
      Body: JSON.stringify({ deployment, verifiedAt: new Date().toISOString(), ...facts }),
    }),
  );
}
