// The two least-privilege policies of a deploy, held against the resource types `serverless
// package` really produces: CloudFormation's service role (.github/iam/cloudformation-role-policy.json)
// needs every type's create, update and delete actions (a type the table does not know fails the
// test: add it to both), the deploy role (.github/iam/deploy-policy.json) only the framework's own
// calls, the gate's, and passing that role; nothing is granted on every resource except the few
// calls AWS offers no resource scope for.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageService, type Template } from '../../harness/project/packaged.ts';
import { PROJECT_DIR } from '../../harness/project/project.ts';

/** What CloudFormation calls for each resource type of ours on create, update and delete. */
const ACTIONS_BY_TYPE: Record<string, string[]> = {
  'AWS::S3::Bucket': [
    's3:CreateBucket',
    's3:DeleteBucket',
    's3:PutEncryptionConfiguration',
    's3:PutBucketVersioning',
    's3:PutBucketPublicAccessBlock',
  ],
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
  'AWS::Events::Connection': [
    'events:CreateConnection',
    'events:DeleteConnection',
    // EventBridge keeps the connection's authorization in a secret, created as the caller.
    'secretsmanager:CreateSecret',
    'secretsmanager:DeleteSecret',
  ],
  'AWS::Events::ApiDestination': ['events:CreateApiDestination', 'events:DeleteApiDestination'],
  'AWS::ApiGatewayV2::Api': ['apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE'],
  'AWS::ApiGatewayV2::Stage': [
    'apigateway:POST',
    'apigateway:PATCH',
    'apigateway:DELETE',
    // Access logs: the API delivers to a log group.
    'logs:CreateLogDelivery',
    'logs:PutResourcePolicy',
  ],
  'AWS::ApiGatewayV2::Integration': ['apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE'],
  'AWS::ApiGatewayV2::Route': ['apigateway:POST', 'apigateway:PATCH', 'apigateway:DELETE'],
  'AWS::Logs::MetricFilter': ['logs:PutMetricFilter', 'logs:DeleteMetricFilter'],
  'AWS::Logs::QueryDefinition': ['logs:PutQueryDefinition', 'logs:DeleteQueryDefinition'],
  'AWS::CloudWatch::Alarm': ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
  'AWS::CloudWatch::Dashboard': ['cloudwatch:PutDashboard', 'cloudwatch:DeleteDashboards'],
  'AWS::SNS::Topic': ['sns:CreateTopic', 'sns:DeleteTopic', 'sns:Subscribe'],
  'AWS::SNS::TopicPolicy': ['sns:SetTopicAttributes'],
};
/** The framework's own calls around the stack, and the verification after deploy. */
const DEPLOY_CALLS = [
  'cloudformation:CreateChangeSet',
  'cloudformation:ExecuteChangeSet',
  'cloudformation:DescribeStacks',
  'cloudformation:ValidateTemplate',
  // The stack's changes are made by CloudFormation's service role, which the deploy role passes.
  'iam:PassRole',
  's3:PutObject',
  'logs:FilterLogEvents',
  // The rollback checks a verified deployment's artifacts by version before applying them.
  's3:GetObjectVersion',
  's3:ListBucketVersions',
  // Gate events to the alarm topic.
  'sns:Publish',
  // Each record signed with the records key, checked with its public key.
  'kms:Sign',
  'kms:GetPublicKey',
  // `serverless deploy function`: a code-only deploy goes to Lambda directly.
  'lambda:UpdateFunctionCode',
];
/**
 * What the deploy role must never hold itself (CloudFormation's role does): API Gateway writes
 * (children of an API cannot be scoped by tag), EventBridge (a rule and an API destination to any
 * endpoint), Logs delivery and resource policies, secrets, and role writes.
 */
const CLOUDFORMATION_ONLY =
  /^(apigateway:(POST|PUT|PATCH|DELETE)|events:\w+|logs:(CreateLogDelivery|UpdateLogDelivery|DeleteLogDelivery|PutResourcePolicy)|secretsmanager:\w+|iam:(CreateRole|PutRolePolicy|DeleteRolePolicy|AttachRolePolicy|PutRolePermissionsBoundary|DeleteRole))$/;
/** CloudFormation's service role, the only role the deploy role may pass. */
const CLOUDFORMATION_ROLE =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not JS.
  'arn:aws:iam::${aws:PrincipalAccount}:role/cloudformation-petsage-smoke-test';

/** What the deploy role holds that only CloudFormation's role may, and any wider PassRole. */
function deployRoleProblems(statements: Statement[]): string[] {
  const problems: string[] = [];
  for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
    const kept = statement.Action.filter((action) => CLOUDFORMATION_ONLY.test(action));
    if (kept.length > 0) {
      problems.push(`${statement.Sid}: ${kept.join(', ')} belongs to CloudFormation's role only`);
    }
    if (
      statement.Action.includes('iam:PassRole') &&
      (statement.Resource !== CLOUDFORMATION_ROLE ||
        statement.Condition?.StringEquals?.['iam:PassedToService'] !==
          'cloudformation.amazonaws.com')
    ) {
      problems.push(
        `${statement.Sid}: passes a role other than CloudFormation's, or to another service`,
      );
    }
  }
  return problems;
}
/** Calls AWS offers no resource-level permission for: the only ones allowed on "*". */
const UNSCOPED = [
  'cloudformation:ValidateTemplate',
  'logs:DescribeLogGroups',
  'logs:PutQueryDefinition',
  'logs:DeleteQueryDefinition',
  'logs:DescribeQueryDefinitions',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  // A shift's bake: CloudWatch metrics have no resource-level permission (region-pinned instead).
  'cloudwatch:GetMetricStatistics',
];

interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** The boundary every role write must carry, and the tag API Gateway writes are scoped by. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, not JS.
const BOUNDARY = 'arn:aws:iam::${aws:PrincipalAccount}:policy/petsage-smoke-test-role-boundary';
const BOUNDARY_SUB =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Sub, not JS.
  'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/petsage-smoke-test-role-boundary';
const ROLE_WRITES = [
  'iam:CreateRole',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePermissionsBoundary',
];
const API_WRITES = ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'];

/**
 * What a reviewer refuses in a policy that writes resources, as one-line problems. An API Gateway
 * write must be scoped by tag, or be CloudFormation's (`cloudFormationOnly`: a role only
 * CloudFormation can assume, used only on the stacks the deploy role may change).
 */
function escalationProblems(statements: Statement[], cloudFormationOnly = false): string[] {
  const problems: string[] = [];
  for (const statement of statements.filter((s) => s.Effect === 'Allow')) {
    const actions = statement.Action.filter((action) => ROLE_WRITES.includes(action));
    if (
      actions.length > 0 &&
      statement.Condition?.StringEquals?.['iam:PermissionsBoundary'] !== BOUNDARY
    ) {
      problems.push(`${statement.Sid}: ${actions.join(', ')} without the permissions boundary`);
    }
    const writes = statement.Action.filter((action) => API_WRITES.includes(action));
    const scoped =
      (cloudFormationOnly && statement.Sid.includes('OnlyCloudFormationAssumesThisRole')) ||
      Object.keys(statement.Condition?.StringEquals ?? {}).some((key) =>
        /^aws:(Resource|Request)Tag\//.test(key),
      );
    if (writes.length > 0 && !scoped) {
      problems.push(`${statement.Sid}: ${writes.join(', ')} on any API (no tag or stack scope)`);
    }
    if (statement.Action.includes('iam:UpdateAssumeRolePolicy')) {
      problems.push(`${statement.Sid}: iam:UpdateAssumeRolePolicy opens a role to anyone`);
    }
  }
  return problems;
}

let dir: string;
let template: Template;
/** The deploy role's statements, and CloudFormation's service role's. */
let statements: Statement[];
let cloudFormation: Statement[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petsage-policy-'));
  // An alarm e-mail, so the template also holds the optional SNS topic.
  ({ template } = await packageService(dir, 'policy', {
    args: ['--param', 'alarmEmail=oncall@example.com'],
  }));
  const read = async (file: string) =>
    (
      JSON.parse(await readFile(join(PROJECT_DIR, '.github/iam', file), 'utf8')) as {
        Statement: Statement[];
      }
    ).Statement;
  statements = await read('deploy-policy.json');
  cloudFormation = await read('cloudformation-role-policy.json');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const granted = (policy: Statement[]) => new Set(policy.flatMap((statement) => statement.Action));
const both = () => [...statements, ...cloudFormation];

describe('the least-privilege deploy role and CloudFormation role', () => {
  it('lets CloudFormation’s role cover every resource type in the packaged template', () => {
    // Prepare
    const types = [...new Set(Object.values(template.Resources).map((r) => r.Type))].sort();
    // Act
    const missing = types.flatMap((type) =>
      type in ACTIONS_BY_TYPE
        ? (ACTIONS_BY_TYPE[type] ?? []).filter((action) => !granted(cloudFormation).has(action))
        : [`${type}: unknown to this test (add its actions to the policy and the table)`],
    );
    // Assess
    expect(types).toContain('AWS::SNS::Topic');
    expect(missing).toStrictEqual([]);
  });

  it("lets the deploy role make the framework's own calls and the gate's", () => {
    expect(DEPLOY_CALLS.filter((action) => !granted(statements).has(action))).toStrictEqual([]);
  });

  it('keeps API Gateway, EventBridge, Logs delivery and role writes off the deploy role', () => {
    expect(deployRoleProblems(statements)).toStrictEqual([]);
  });

  it.each([
    [
      'API Gateway route writes',
      { Action: ['apigateway:POST'], Resource: 'arn:aws:apigateway:eu-west-1::/apis/*' },
    ],
    [
      'an EventBridge rule',
      {
        Action: ['events:PutRule'],
        Resource: 'arn:aws:events:eu-west-1:*:rule/petsage-smoke-test-*',
      },
    ],
    [
      'Logs delivery on *',
      { Action: ['logs:PutResourcePolicy', 'logs:DeleteLogDelivery'], Resource: '*' },
    ],
    [
      'passing any role of ours',
      { Action: ['iam:PassRole'], Resource: 'arn:aws:iam::*:role/petsage-smoke-test-*' },
    ],
  ])('would refuse a deploy role that keeps %s (the check can fail)', (_name, grant) => {
    // Prepare
    const loosened = [...statements, { Sid: 'Loosened', Effect: 'Allow' as const, ...grant }];
    // Act
    const problems = deployRoleProblems(loosened);
    // Assess
    expect(problems).toStrictEqual([expect.stringMatching(/^Loosened: /)]);
  });

  it('trusts CloudFormation alone with its service role', async () => {
    // Prepare
    const trust = JSON.parse(
      await readFile(
        join(PROJECT_DIR, '.github/iam/cloudformation-role-trust-policy.json'),
        'utf8',
      ),
    ) as { Statement: { Principal: unknown; Action: string }[] };
    // Assess
    expect(trust.Statement.map((s) => [s.Principal, s.Action])).toStrictEqual([
      [{ Service: 'cloudformation.amazonaws.com' }, 'sts:AssumeRole'],
    ]);
  });

  it('scopes every other grant to this service (no wildcard resource)', () => {
    const onEverything = both()
      .filter((statement) => statement.Effect === 'Allow')
      .filter((statement) => [statement.Resource].flat().includes('*'))
      .flatMap((statement) => statement.Action);
    expect(onEverything.filter((action) => !UNSCOPED.includes(action))).toStrictEqual([]);
    for (const statement of both()) {
      for (const resource of [statement.Resource].flat()) {
        if (resource === '*' || resource.startsWith('arn:aws:apigateway:')) continue;
        // The records key is the pinned one, by its ARN: never an alias (which can be re-pointed).
        if (resource.startsWith('arn:aws:kms:')) {
          expect(resource).toMatch(/:key\/<records-key-id>$/);
          expect(JSON.stringify(statement.Condition ?? {})).not.toContain('kms:ResourceAliases');
          continue;
        }
        expect(resource).toMatch(/petsage-smoke-test/);
      }
    }
  });

  it('pins every regional grant to one region, and calls on "*" by condition', () => {
    for (const statement of both().filter((s) => s.Effect === 'Allow')) {
      for (const resource of [statement.Resource].flat()) {
        if (resource === '*') {
          expect(statement.Condition?.StringEquals?.['aws:RequestedRegion'], statement.Sid).toBe(
            'eu-west-1',
          );
        } else if (!/^arn:aws:(iam|s3):|^arn:aws:cloudwatch::.*:dashboard\//.test(resource)) {
          // IAM and S3 ARNs name no region; CloudWatch dashboards are global.
          expect(resource, statement.Sid).toMatch(/^arn:aws:[a-z-]+:eu-west-1:/);
        }
      }
    }
  });

  it('cannot escalate: every role write carries the boundary, no API Gateway write is unscoped', () => {
    expect(escalationProblems(statements)).toStrictEqual([]);
    expect(escalationProblems(cloudFormation, true)).toStrictEqual([]);
  });

  it.each([
    [
      'a role write without the boundary',
      'WriteRolesOnlyUnderTheBoundary',
      /iam:CreateRole.*without the permissions boundary/,
    ],
    [
      'an untagged API change',
      'ChangeOrDeleteOnlyAnHttpApiTaggedAsOurs',
      /on any API \(no tag or stack scope\)/,
    ],
  ])('would refuse %s in CloudFormation’s role (the check can fail)', (_name, sid, problem) => {
    // Prepare
    const loosened = cloudFormation.map((statement) =>
      statement.Sid === sid ? { ...statement, Condition: undefined } : statement,
    );
    // Act
    const problems = escalationProblems(loosened, true);
    // Assess
    expect(problems).toStrictEqual([expect.stringMatching(problem)]);
  });

  it('creates every role of the stack under the boundary, and tags the HTTP API', () => {
    // Act
    const roles = Object.values(template.Resources).filter((r) => r.Type === 'AWS::IAM::Role');
    const api = Object.values(template.Resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Api');
    // Assess
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      expect(role.Properties.PermissionsBoundary).toStrictEqual({ 'Fn::Sub': BOUNDARY_SUB });
    }
    expect(api?.Properties.Tags).toMatchObject({ 'petsage:service': 'petsage-smoke-test' });
  });

  it('packages a bucket policy that lets only the deploy role write deployments and records', () => {
    // Act
    const document = template.Resources.ServerlessDeploymentBucketPolicy?.Properties
      .PolicyDocument as { Statement: { Sid?: string; Effect: string; Condition?: unknown }[] };
    const statements = document.Statement;
    // Assess: the framework's TLS-only statement, and the gate's guard.
    expect(statements.some((s) => JSON.stringify(s.Condition).includes('SecureTransport'))).toBe(
      true,
    );
    const guard = statements.find((s) => s.Sid === 'OnlyTheDeployRoleWritesDeployments');
    expect(guard?.Effect).toBe('Deny');
    expect(JSON.stringify(guard)).toContain('role/petsage-smoke-test-deploy');
    expect(JSON.stringify(guard)).toContain('/serverless/petsage-smoke-test/*');
  });

  it('ships a boundary that allows only writing our log lines and calling our own route', async () => {
    // Prepare
    const boundary = JSON.parse(
      await readFile(join(PROJECT_DIR, '.github/iam/role-boundary-policy.json'), 'utf8'),
    ) as { Statement: Statement[] };
    // Act
    const actions = boundary.Statement.flatMap((statement) => statement.Action);
    // Assess
    expect(actions.sort()).toStrictEqual([
      'events:InvokeApiDestination',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
    ]);
    expect(boundary.Statement.map((statement) => statement.Resource)).toStrictEqual([
      'arn:aws:logs:eu-west-1:*:log-group:/aws/lambda/petsage-smoke-test-*:*',
      'arn:aws:events:eu-west-1:*:api-destination/petsage-smoke-test-*/*',
    ]);
  });
});
