// The deploying role's least-privilege policy (.github/iam/deploy-policy.json), held against the
// resource types `serverless package` really produces: every type needs its create, update and
// delete actions in the policy, a type the table does not know fails the test (add it to both),
// and nothing is granted on every resource except the few calls AWS offers no resource scope for.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageService, type Template } from '../../harness/packaged.ts';
import { PROJECT_DIR } from '../../harness/project.ts';

/** What CloudFormation calls for each resource type of ours on create, update and delete. */
const ACTIONS_BY_TYPE: Record<string, string[]> = {
  'AWS::S3::Bucket': ['s3:CreateBucket', 's3:DeleteBucket', 's3:PutEncryptionConfiguration'],
  'AWS::S3::BucketPolicy': ['s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'],
  'AWS::Logs::LogGroup': ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy'],
  'AWS::IAM::Role': ['iam:CreateRole', 'iam:DeleteRole', 'iam:PutRolePolicy', 'iam:PassRole'],
  'AWS::Lambda::Function': [
    'lambda:CreateFunction',
    'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration',
    'lambda:DeleteFunction',
    'lambda:PutFunctionConcurrency',
  ],
  'AWS::Lambda::Version': ['lambda:PublishVersion', 'lambda:ListVersionsByFunction'],
  'AWS::Lambda::Permission': ['lambda:AddPermission', 'lambda:RemovePermission'],
  'AWS::Events::Rule': ['events:PutRule', 'events:PutTargets', 'events:DeleteRule'],
  'AWS::ApiGatewayV2::Api': ['apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE'],
  'AWS::ApiGatewayV2::Stage': ['apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE'],
  'AWS::ApiGatewayV2::Integration': ['apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE'],
  'AWS::ApiGatewayV2::Route': ['apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE'],
  'AWS::Logs::MetricFilter': ['logs:PutMetricFilter', 'logs:DeleteMetricFilter'],
  'AWS::Logs::QueryDefinition': ['logs:PutQueryDefinition', 'logs:DeleteQueryDefinition'],
  'AWS::CloudWatch::Alarm': ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
  'AWS::SNS::Topic': ['sns:CreateTopic', 'sns:DeleteTopic', 'sns:Subscribe'],
};
/** The framework's own calls around the stack, and the verification after deploy. */
const DEPLOY_CALLS = [
  'cloudformation:CreateChangeSet',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:DescribeStacks',
  'cloudformation:ValidateTemplate',
  's3:PutObject',
  'logs:FilterLogEvents',
];
/** Calls AWS offers no resource-level permission for: the only ones allowed on "*". */
const UNSCOPED = [
  'cloudformation:ValidateTemplate',
  'logs:DescribeLogGroups',
  'logs:PutQueryDefinition',
  'logs:DeleteQueryDefinition',
  'logs:DescribeQueryDefinitions',
];

interface Statement {
  Action: string[];
  Resource: string | string[];
}

let dir: string;
let template: Template;
let statements: Statement[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petsage-policy-'));
  // An alarm e-mail, so the template also holds the optional SNS topic.
  ({ template } = await packageService(dir, 'policy', {
    args: ['--param', 'alarmEmail=oncall@example.com'],
  }));
  const policy = JSON.parse(
    await readFile(join(PROJECT_DIR, '.github/iam/deploy-policy.json'), 'utf8'),
  ) as { Statement: Statement[] };
  statements = policy.Statement;
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const granted = () => new Set(statements.flatMap((statement) => statement.Action));

describe('the least-privilege deploy policy', () => {
  it('covers every resource type in the packaged template', () => {
    // Prepare
    const types = [...new Set(Object.values(template.Resources).map((r) => r.Type))].sort();
    // Act
    const missing = types.flatMap((type) =>
      type in ACTIONS_BY_TYPE
        ? (ACTIONS_BY_TYPE[type] ?? []).filter((action) => !granted().has(action))
        : [`${type}: unknown to this test (add its actions to the policy and the table)`],
    );
    // Assess
    expect(types).toContain('AWS::SNS::Topic');
    expect(missing).toStrictEqual([]);
  });

  it("covers the framework's own calls and the post-deploy verification", () => {
    expect(DEPLOY_CALLS.filter((action) => !granted().has(action))).toStrictEqual([]);
  });

  it('scopes every other grant to this service (no wildcard resource)', () => {
    const onEverything = statements
      .filter((statement) => [statement.Resource].flat().includes('*'))
      .flatMap((statement) => statement.Action);
    expect(onEverything.filter((action) => !UNSCOPED.includes(action))).toStrictEqual([]);
    for (const statement of statements) {
      for (const resource of [statement.Resource].flat()) {
        if (resource === '*' || resource.startsWith('arn:aws:apigateway:')) continue;
        expect(resource).toMatch(/petsage-smoke-test-/);
      }
    }
  });
});
