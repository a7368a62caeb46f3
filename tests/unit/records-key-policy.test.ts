// The records key's policy (.github/iam/records-key-policy.json) and the deployment bucket's
// guard, held here because no stand-in evaluates them: moto keeps a key policy and a bucket
// policy but enforces neither (README, not proven here). The rule: only the deploy role signs
// records, and only the deploy role writes under the deployment prefix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_DIR } from '../../harness/project/project.ts';
import {
  bucketGuardStatement,
  bucketSettingsGuardStatement,
  GUARDED_ACTIONS,
  GUARDED_BUCKET_ACTIONS,
} from '../../packages/smoke-gate/src/template/bucket-guard.ts';

interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Principal: '*' | { AWS: string | string[] };
  Action: string[];
  Condition?: Record<string, Record<string, string>>;
}

const DEPLOY_ROLE = 'arn:aws:iam::<account-id>:role/petsage-smoke-test-deploy';
const policy = (): { Statement: Statement[] } =>
  JSON.parse(readFileSync(join(PROJECT_DIR, '.github/iam/records-key-policy.json'), 'utf8'));

/** Whether an IAM action pattern (`kms:*`, `kms:Si*`) covers `action`. */
const covers = (pattern: string, action: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(
    action,
  );

/** What is wrong with a key policy: any principal but the deploy role allowed to sign, or no deny. */
function signingProblems(statements: Statement[]): string[] {
  const problems: string[] = [];
  for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
    const signs = statement.Action.some((action) => covers(action, 'kms:Sign'));
    const who = statement.Principal === '*' ? ['*'] : [statement.Principal.AWS].flat();
    for (const principal of who.filter((p) => p !== DEPLOY_ROLE)) {
      if (signs) problems.push(`${statement.Sid} lets ${principal} sign`);
    }
  }
  const denies = statements.some(
    (s) =>
      s.Effect === 'Deny' &&
      s.Principal === '*' &&
      s.Action.some((action) => covers(action, 'kms:Sign')) &&
      s.Condition?.ArnNotEquals?.['aws:PrincipalArn'] === DEPLOY_ROLE,
  );
  if (!denies) problems.push('no deny of kms:Sign for every principal but the deploy role');
  return problems;
}

describe('the records key policy', () => {
  it('lets only the deploy role sign, and denies signing to everyone else', () => {
    expect(signingProblems(policy().Statement)).toStrictEqual([]);
  });

  it('would refuse a policy that gives the account kms:* (the check can fail)', () => {
    // Prepare: the console's default key policy, kms:* to the account root.
    const loosened = policy().Statement.map((s) =>
      s.Sid === 'OnlyTheNamedAdministratorAdministersTheKeyButNeverSigns'
        ? { ...s, Principal: { AWS: 'arn:aws:iam::<account-id>:root' }, Action: ['kms:*'] }
        : s,
    );
    // Act, Assess
    expect(signingProblems(loosened)).toStrictEqual([
      'OnlyTheNamedAdministratorAdministersTheKeyButNeverSigns lets arn:aws:iam::<account-id>:root sign',
    ]);
  });

  it('gives administration (its policy, aliases, grants) to one named role, never to the account root (whoever IAM allows)', () => {
    // Act
    const administering = policy().Statement.filter(
      (s) => s.Effect === 'Allow' && s.Action.some((action) => covers(action, 'kms:PutKeyPolicy')),
    );
    const principals = policy().Statement.flatMap((s) =>
      s.Principal === '*' ? [] : [s.Principal.AWS].flat(),
    );
    // Assess
    expect(administering.map((s) => s.Principal)).toStrictEqual([
      { AWS: 'arn:aws:iam::<account-id>:role/<records-key-admin-role>' },
    ]);
    for (const action of ['kms:UpdateAlias', 'kms:CreateGrant', 'kms:PutKeyPolicy']) {
      expect(
        administering[0]?.Action.some((pattern) => covers(pattern, action)),
        action,
      ).toBe(true);
    }
    expect(principals.filter((p) => p.endsWith(':root'))).toStrictEqual([]);
  });

  it('lets the deploy and verify roles read the public key, with no condition those calls never carry', () => {
    // Act
    const reading = policy().Statement.filter(
      (s) => s.Effect === 'Allow' && s.Action.includes('kms:GetPublicKey'),
    );
    // Assess
    expect(reading).toHaveLength(1);
    expect(reading[0]?.Principal).toStrictEqual({
      AWS: [DEPLOY_ROLE, 'arn:aws:iam::<account-id>:role/petsage-smoke-test-verify'],
    });
    expect(reading[0]?.Condition).toBeUndefined();
  });

  it('puts kms:SigningAlgorithm only on statements that guard kms:Sign alone (other calls carry no such key)', () => {
    for (const statement of policy().Statement) {
      if (JSON.stringify(statement.Condition ?? {}).includes('kms:SigningAlgorithm')) {
        expect(statement.Action, statement.Sid).toStrictEqual(['kms:Sign']);
      }
    }
  });

  it('would refuse a policy without the deny (the check can fail)', () => {
    const loosened = policy().Statement.filter((s) => s.Effect !== 'Deny');
    expect(signingProblems(loosened)).toStrictEqual([
      'no deny of kms:Sign for every principal but the deploy role',
    ]);
  });
});

describe('the deployment bucket guard', () => {
  it('denies every object write, overwrite, restore and delete under the prefix to all but the deploy role', () => {
    // Act
    const statement = bucketGuardStatement({
      deploymentPrefix: 'serverless',
      service: 'petsage-smoke-test',
      deployRoleName: 'petsage-smoke-test-deploy',
    });
    // Assess
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: '*' });
    for (const action of [
      's3:PutObject',
      's3:DeleteObject',
      's3:DeleteObjectVersion',
      's3:RestoreObject',
    ]) {
      expect(
        GUARDED_ACTIONS.some((guarded) => covers(guarded, action)),
        action,
      ).toBe(true);
    }
    expect(JSON.stringify(statement.Resource)).toContain('/serverless/petsage-smoke-test/*');
    expect(JSON.stringify(statement.Condition)).toContain('role/petsage-smoke-test-deploy');
  });

  /** The bucket settings one call could use to remove the guard or expire the records. */
  const settingsProblems = (actions: readonly string[]) =>
    [
      's3:PutBucketPolicy',
      's3:DeleteBucketPolicy',
      's3:PutLifecycleConfiguration',
      's3:PutBucketVersioning',
      's3:PutBucketObjectLockConfiguration',
    ].filter((action) => !actions.some((guarded) => covers(guarded, action)));

  it('denies the bucket’s policy, versioning, lifecycle and Object Lock settings to all but the deploy role and CloudFormation’s role', () => {
    // Act
    const statement = bucketSettingsGuardStatement({
      deployRoleName: 'petsage-smoke-test-deploy',
      cloudFormationRole: 'arn:aws:iam::1:role/petsage-smoke-test-cloudformation',
    });
    // Assess
    expect(statement).toMatchObject({ Effect: 'Deny', Principal: '*' });
    expect(settingsProblems(GUARDED_BUCKET_ACTIONS)).toStrictEqual([]);
    expect(JSON.stringify(statement.Resource)).toMatch(/s3:::\$\{ServerlessDeploymentBucket\}"/);
    expect(JSON.stringify(statement.Condition)).toContain('role/petsage-smoke-test-deploy');
    expect(JSON.stringify(statement.Condition)).toContain('role/petsage-smoke-test-cloudformation');
  });

  it('would name a bucket setting the guard leaves open (the check can fail)', () => {
    const loosened = GUARDED_BUCKET_ACTIONS.filter((action) => action !== 's3:PutBucketVersioning');
    expect(settingsProblems(loosened)).toStrictEqual(['s3:PutBucketVersioning']);
  });
});

describe('the member-account verify role', () => {
  const read = (file: string) =>
    JSON.parse(readFileSync(join(PROJECT_DIR, '.github/iam', file), 'utf8')) as {
      Statement: {
        Action: string | string[];
        Condition?: Record<string, Record<string, string>>;
      }[];
    };

  it('grants what the CLI reads in a member account, and nothing that writes', () => {
    // Act
    const actions = read('member-verify-policy.json').Statement.flatMap((s) => [s.Action].flat());
    // Assess
    expect(actions.sort()).toStrictEqual(
      [
        'cloudformation:DescribeStacks',
        'cloudformation:GetTemplate',
        'cloudwatch:DescribeAlarms',
        'kms:DescribeKey',
        'kms:GetPublicKey',
        'lambda:GetAlias',
        'lambda:GetFunctionConfiguration',
        'logs:FilterLogEvents',
        's3:GetObject',
        's3:GetObjectVersion',
        's3:ListBucket',
        's3:ListBucketVersions',
        'ssm:GetParameter',
      ].sort(),
    );
  });

  it('is assumed only with the external id', () => {
    const [trust] = read('member-verify-trust-policy.json').Statement;
    expect(trust?.Condition?.StringEquals?.['sts:ExternalId']).toBe('<external-id>');
  });
});
