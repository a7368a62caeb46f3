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

/** The bucket's own settings that would remove the guard or the records' history if changed. */
export const GUARDED_BUCKET_ACTIONS = [
  's3:PutBucketPolicy',
  's3:DeleteBucketPolicy',
  's3:PutLifecycleConfiguration',
  's3:PutBucketVersioning',
  's3:PutBucketObjectLockConfiguration',
] as const;

/** The second statement's id: the bucket's settings, changed by the deploy role and CloudFormation only. */
export const BUCKET_SETTINGS_GUARD_SID = 'OnlyTheDeployRoleChangesTheBucketsSettings';

/** The deploy role's ARN, in the stack's own partition and account. */
const deployRoleArn = (deployRoleName: string) => ({
  'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${deployRoleName}`,
});

/** The roles the guard lets write: the deploy role, and those the service lists (guardExemptRoles). */
const writers = (guard: { deployRoleName: string; exemptRoles?: readonly string[] | undefined }) =>
  [guard.deployRoleName, ...(guard.exemptRoles ?? [])].map(deployRoleArn);

/**
 * The deny statement for the bucket's policy, versioning, lifecycle and Object Lock settings:
 * every principal but the deploy role and CloudFormation's role (which applies the policy), so
 * one call cannot remove the guard or expire the records.
 */
export function bucketSettingsGuardStatement(guard: {
  deployRoleName: string;
  exemptRoles?: readonly string[] | undefined;
  cloudFormationRole?: unknown;
}): Record<string, unknown> {
  const exempt = [
    ...writers(guard),
    ...(guard.cloudFormationRole === undefined || guard.cloudFormationRole === null
      ? []
      : [guard.cloudFormationRole]),
  ];
  return {
    Sid: BUCKET_SETTINGS_GUARD_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: [...GUARDED_BUCKET_ACTIONS],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub, not JS.
    Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ServerlessDeploymentBucket}' },
    Condition: { ArnNotEquals: { 'aws:PrincipalArn': exempt } },
  };
}

/** The deny statement for `<bucket>/<prefix>/<service>/*`, every principal but the deploy role. */
export function bucketGuardStatement(guard: {
  deploymentPrefix: string;
  service: string;
  deployRoleName: string;
  exemptRoles?: readonly string[] | undefined;
}): Record<string, unknown> {
  const exempt = writers(guard);
  return {
    Sid: BUCKET_GUARD_SID,
    Effect: 'Deny',
    Principal: '*',
    Action: [...GUARDED_ACTIONS],
    Resource: {
      'Fn::Sub': `arn:\${AWS::Partition}:s3:::\${ServerlessDeploymentBucket}/${guard.deploymentPrefix}/${guard.service}/*`,
    },
    Condition: {
      ArnNotEquals: { 'aws:PrincipalArn': exempt.length === 1 ? exempt[0] : exempt },
    },
  };
}

/**
 * Adds the guard (objects under the prefix, and the bucket's settings) to the framework's
 * deployment bucket policy. A service that brings its own bucket (no
 * ServerlessDeploymentBucketPolicy) must say it guards that bucket itself
 * (`guardsOwnBucket: true`), else packaging stops with the statements to add: a guard that is
 * silently missing protects nothing. Returns the notice for a self-guarded bucket, or undefined.
 */
export function guardDeploymentBucket(
  resources: Record<string, unknown>,
  guard: {
    deploymentPrefix: string;
    service: string;
    deployRoleName: string;
    exemptRoles?: readonly string[] | undefined;
    cloudFormationRole?: unknown;
    guardsOwnBucket?: boolean;
  },
): string | undefined {
  const policy = resources.ServerlessDeploymentBucketPolicy as BucketPolicyResource | undefined;
  const statements = policy?.Properties?.PolicyDocument?.Statement;
  if (!Array.isArray(statements)) {
    const what = `deny object writes under ${guard.deploymentPrefix}/${guard.service}/ and ${GUARDED_BUCKET_ACTIONS.join(', ')} on the bucket to all but role ${guard.deployRoleName} (docs/signed-records.md)`;
    if (guard.guardsOwnBucket === true) {
      return `Smoke test: the deployment bucket is the service's own, which it guards itself (custom.smokeTest.guardsOwnBucket): ${what}.`;
    }
    throw new Error(
      `the deployment bucket is not the framework's own, so the gate cannot guard it: ${what} in its policy, then set custom.smokeTest.guardsOwnBucket: true`,
    );
  }
  const ours = new Set<unknown>([BUCKET_GUARD_SID, BUCKET_SETTINGS_GUARD_SID]);
  const kept = statements.filter((s) => !ours.has((s as { Sid?: unknown }).Sid));
  statements.splice(
    0,
    statements.length,
    ...kept,
    bucketGuardStatement(guard),
    bucketSettingsGuardStatement(guard),
  );
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
