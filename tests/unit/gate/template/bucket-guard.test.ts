import { describe, expect, it } from 'vitest';
import {
  BUCKET_GUARD_SID,
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
    ]);
  });

  it('tells a service with its own bucket to add the statement itself, in one line', () => {
    // Act
    const notice = guardDeploymentBucket({}, GUARD);
    // Assess
    expect(notice).toMatch(
      /^Smoke test: the deployment bucket is not the framework's own.*deny writes under serverless\/orders\/ to all but role orders-deploy/,
    );
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
