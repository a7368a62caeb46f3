// Records only the pipeline can write: the deployment bucket's policy (the framework's, with its
// TLS-only statement) gains one statement that denies every write and delete under this
// service's deployment prefix to every principal but the deploy role. Anyone else with bucket
// access can neither plant a deployment folder nor relabel a record; the records' signatures
// (record-signature.ts) hold even where this policy is not in force.

/** The framework's deployment bucket policy, as far as the guard reads and writes it. */
interface BucketPolicyResource {
  Properties?: { PolicyDocument?: { Statement?: unknown[] } };
}

/** The statement's id: one guard per template, found again by it. */
export const BUCKET_GUARD_SID = 'OnlyTheDeployRoleWritesDeployments';

/** Every action that writes, overwrites, restores or deletes an object or one of its versions. */
export const GUARDED_ACTIONS = [
  's3:PutObject',
  's3:PutObjectAcl',
  's3:PutObjectTagging',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:RestoreObject',
  's3:ReplicateObject',
] as const;

/** The deny statement for `<bucket>/<prefix>/<service>/*`, every principal but the deploy role. */
export function bucketGuardStatement(guard: {
  deploymentPrefix: string;
  service: string;
  deployRoleName: string;
}): Record<string, unknown> {
  return {
    Sid: BUCKET_GUARD_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: [...GUARDED_ACTIONS],
    Resource: {
      'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${ServerlessDeploymentBucket}/${guard.deploymentPrefix}/${guard.service}/*`,
    },
    Condition: {
      ArnNotEquals: {
        'aws:PrincipalArn': {
          'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${guard.deployRoleName}`,
        },
      },
    },
  };
}

/**
 * Adds the guard to the framework's deployment bucket policy; a service that brings its own
 * bucket (no ServerlessDeploymentBucketPolicy) is told to add the same statement itself.
 */
export function guardDeploymentBucket(
  resources: Record<string, unknown>,
  guard: { deploymentPrefix: string; service: string; deployRoleName: string },
): string | undefined {
  const policy = resources.ServerlessDeploymentBucketPolicy as BucketPolicyResource | undefined;
  const statements = policy?.Properties?.PolicyDocument?.Statement;
  if (!Array.isArray(statements)) {
    return `Smoke test: the deployment bucket is not the framework's own, so its policy was not guarded: deny writes under ${guard.deploymentPrefix}/${guard.service}/ to all but role ${guard.deployRoleName} yourself (docs/signed-records.md).`;
  }
  const kept = statements.filter((s) => (s as { Sid?: unknown }).Sid !== BUCKET_GUARD_SID);
  statements.splice(0, statements.length, ...kept, bucketGuardStatement(guard));
  return undefined;
}

/**
 * Turns versioning on for the framework's deployment bucket: without it a record overwritten
 * leaves no trace, and no older signed verdict to fall back on (records in a bucket that keeps no
 * versions are untrusted: deployments/record-choice.ts). A bucket of the service's own is its own.
 */
export function versionDeploymentBucket(resources: Record<string, unknown>): void {
  const bucket = resources.ServerlessDeploymentBucket as
    | { Properties?: Record<string, unknown> }
    | undefined;
  if (bucket === undefined) return;
  bucket.Properties = { ...bucket.Properties, VersioningConfiguration: { Status: 'Enabled' } };
}
