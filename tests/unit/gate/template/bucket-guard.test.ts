import { describe, expect, it } from 'vitest';
import {
  BUCKET_GUARD_SID,
  BUCKET_SETTINGS_GUARD_SID,
  guardDeploymentBucket,
  versionDeploymentBucket,
} from '../../../../packages/smoke-gate/src/template/bucket-guard.ts';

const GUARD = {
  deploymentPrefix: 'serverless',
  service: 'orders',
  deployRoleName: 'orders-deploy',
};

describe('guardDeploymentBucket', () => {
  it('adds the guard once, however often the template is packaged', () => {
    // Prepare
    const statements: unknown[] = [{ Sid: 'TLS' }];
    const resources = {
      ServerlessDeploymentBucketPolicy: {
        Properties: { PolicyDocument: { Statement: statements } },
      },
    };
    // Act
    guardDeploymentBucket(resources, GUARD);
    guardDeploymentBucket(resources, GUARD);
    // Assess
    expect(statements.map((s) => (s as { Sid: string }).Sid)).toStrictEqual([
      'TLS',
      BUCKET_GUARD_SID,
      BUCKET_SETTINGS_GUARD_SID,
    ]);
  });

  it('stops packaging, in one line with what to add, a service whose own bucket it cannot guard', () => {
    // Act
    const guard = () => guardDeploymentBucket({}, GUARD);
    // Assess
    expect(guard).toThrow(
      /^the deployment bucket is not the framework's own, so the gate cannot guard it: deny object writes under serverless\/orders\/ and s3:PutBucketPolicy, .* on the bucket to all but role orders-deploy \(docs\/signed-records\.md\) in its policy, then set custom\.smokeTest\.guardsOwnBucket: true$/,
    );
  });

  it('says, and packages, a service that guards its own bucket itself', () => {
    // Act
    const notice = guardDeploymentBucket({}, { ...GUARD, guardsOwnBucket: true });
    // Assess
    expect(notice).toMatch(
      /^Smoke test: the deployment bucket is the service's own, which it guards itself \(custom\.smokeTest\.guardsOwnBucket\): /,
    );
  });

  it('denies the bucket’s policy, versioning, lifecycle and Object Lock settings to all but the deploy role and CloudFormation’s role', () => {
    // Prepare
    const statements: unknown[] = [{ Sid: 'TLS' }];
    const resources = {
      ServerlessDeploymentBucketPolicy: {
        Properties: { PolicyDocument: { Statement: statements } },
      },
    };
    // Act
    guardDeploymentBucket(resources, { ...GUARD, cloudFormationRole: 'arn:aws:iam::1:role/cfn' });
    // Assess
    expect(statements[2]).toStrictEqual({
      Sid: BUCKET_SETTINGS_GUARD_SID,
      Effect: 'Deny',
      Principal: '*',
      Action: [
        's3:PutBucketPolicy',
        's3:DeleteBucketPolicy',
        's3:PutLifecycleConfiguration',
        's3:PutBucketVersioning',
        's3:PutBucketObjectLockConfiguration',
      ],
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub, not JS.
      Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ServerlessDeploymentBucket}' },
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': [
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub, not JS.
            { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/orders-deploy' },
            'arn:aws:iam::1:role/cfn',
          ],
        },
      },
    });
  });
});

describe('versionDeploymentBucket', () => {
  it('turns versioning on for the framework’s bucket, whatever the service set', () => {
    // Prepare
    const resources = {
      ServerlessDeploymentBucket: {
        Type: 'AWS::S3::Bucket',
        Properties: {
          BucketEncryption: { x: 1 },
          VersioningConfiguration: { Status: 'Suspended' },
        },
      },
    };
    // Act
    versionDeploymentBucket(resources);
    // Assess
    expect(resources.ServerlessDeploymentBucket.Properties).toStrictEqual({
      BucketEncryption: { x: 1 },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('leaves a template with a bucket of the service’s own alone', () => {
    // Prepare
    const resources: Record<string, unknown> = { Other: { Type: 'AWS::S3::Bucket' } };
    // Act
    versionDeploymentBucket(resources);
    // Assess
    expect(resources).toStrictEqual({ Other: { Type: 'AWS::S3::Bucket' } });
  });
});

describe('the roles a service lists besides its deploy role', () => {
  it('joins them to the deploy role in both statements', () => {
    // Prepare
    const statements: unknown[] = [];
    const resources = {
      ServerlessDeploymentBucketPolicy: {
        Properties: { PolicyDocument: { Statement: statements } },
      },
    };
    // Act
    guardDeploymentBucket(resources, { ...GUARD, exemptRoles: ['release'] });
    // Assess
    const exempt = (statements as { Condition: { ArnNotEquals: Record<string, unknown> } }[]).map(
      (s) => s.Condition.ArnNotEquals['aws:PrincipalArn'],
    );
    const role = (name: string) => ({
      'Fn::Sub': `arn:\${AWS::Partition}:iam::\${AWS::AccountId}:role/${name}`,
    });
    expect(exempt).toStrictEqual([
      [role('orders-deploy'), role('release')],
      [role('orders-deploy'), role('release')],
    ]);
  });
});
