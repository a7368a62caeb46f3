// Continuous verification as the packaged template declares it: the heartbeat schedule, metric
// filters on the function's own lines, alarms, the saved Logs Insights query and the caps, each
// set by a serverless.yml param. moto neither creates metric filters or alarms from a template
// nor evaluates filter patterns, so nothing here pretends it does: the filter patterns are held
// against lines the real handler wrote, and the template is checked as CloudFormation gets it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import getEvent from '../../harness/lambda/events/http-api-get.json' with { type: 'json' };
import routeHeartbeatEvent from '../../harness/lambda/events/http-api-route-heartbeat.json' with {
  type: 'json',
};
import scheduledEvent from '../../harness/lambda/events/scheduled-event.json' with { type: 'json' };
import { lambdaContext } from '../../harness/lambda/lambda-context.ts';
import { packageService, resourcesOfType, type Template } from '../../harness/project/packaged.ts';
import { ROUTE_HEARTBEAT_HEADER, ROUTE_HEARTBEAT_MARKER } from '../../lib/contract.ts';
import { filterMatches } from '../helpers/filter-pattern.ts';
import { captureOutput } from '../helpers/stdout.ts';

let dir: string;
let template: Template;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'petsage-monitoring-'));
  const params = {
    heartbeatRate: 'rate(2 minutes)',
    heartbeatWindowSeconds: '600',
    reservedConcurrency: '3',
    throttleRateLimit: '7',
    throttleBurstLimit: '9',
    alarmEmail: 'oncall@example.com',
  };
  const args = Object.entries(params).flatMap(([name, value]) => ['--param', `${name}=${value}`]);
  ({ template } = await packageService(dir, 'mon', { args }));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const only = (type: string) => {
  const found = resourcesOfType(template, type);
  expect(found).toHaveLength(1);
  return found[0]?.[1].Properties as Record<string, unknown>;
};

/** The HTTP API's public stage (`$default`; the traffic mode adds a candidate stage beside it). */
const publicStage = () =>
  resourcesOfType(template, 'AWS::ApiGatewayV2::Stage').find(
    ([, stage]) => stage.Properties.StageName === '$default',
  )?.[1].Properties as Record<string, unknown>;

/** Lines the real handler writes for a GET and a heartbeat, and one forced failure. */
const handlerLines = async () => {
  const output = captureOutput();
  try {
    const { createHandler } = await import('../../functions/health.ts');
    const { logger } = await import('../../lib/logger.ts');
    const { loadConfig } = await import('../../lib/config.ts');
    const ok = createHandler({ config: loadConfig(), logger, now: () => new Date() });
    const broken = createHandler({
      config: loadConfig(),
      logger,
      now: () => {
        throw new Error('clock broke');
      },
    });
    await ok(structuredClone(getEvent), lambdaContext());
    await ok(structuredClone(scheduledEvent) as never, lambdaContext());
    await broken(structuredClone(getEvent), lambdaContext());
    await ok(structuredClone(routeHeartbeatEvent), lambdaContext());
    return output.rawLines();
  } finally {
    output.restore();
  }
};

/** An SNS topic policy, as far as the check below reads it. */
interface TopicPolicyDocument {
  Statement: {
    Sid?: string;
    Effect: string;
    Principal?: { Service?: string; AWS?: unknown } | string;
    Action: string;
    Condition?: Record<string, Record<string, unknown>>;
  }[];
}

/** What a reviewer refuses in the alarm topic's policy, as one-line problems. */
function topicPolicyProblems(document: TopicPolicyDocument): string[] {
  const problems: string[] = [];
  const statements = document.Statement;
  const alarms = statements.find(
    (x) =>
      x.Effect === 'Allow' &&
      typeof x.Principal === 'object' &&
      x.Principal.Service === 'cloudwatch.amazonaws.com',
  );
  const sourceArn = JSON.stringify(alarms?.Condition?.ArnLike?.['aws:SourceArn'] ?? '');
  if (!sourceArn.includes(':alarm:petsage-smoke-test-mon-*')) {
    problems.push(`alarms may publish from ${sourceArn}, not only this stage's alarms`);
  }
  const deny = statements.find((x) => x.Effect === 'Deny' && x.Principal === '*');
  if (
    deny?.Action !== 'sns:Publish' ||
    JSON.stringify(deny.Condition?.StringNotEquals) !==
      JSON.stringify({ 'aws:PrincipalServiceName': 'cloudwatch.amazonaws.com' }) ||
    !JSON.stringify(deny.Condition?.ArnNotEquals ?? '').includes(':role/petsage-smoke-test-deploy')
  ) {
    problems.push('nothing denies publishing to everyone but the alarms and the deploy role');
  }
  return problems;
}

describe('continuous verification in the packaged template', () => {
  it('schedules the direct heartbeat at the configured rate, targeting the live alias', () => {
    const rules = resourcesOfType(template, 'AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toContainEqual(
      expect.objectContaining({
        ScheduleExpression: 'rate(2 minutes)',
        State: 'ENABLED',
        Targets: [
          expect.objectContaining({
            Arn: { 'Fn::Join': [':', [{ 'Fn::GetAtt': ['HealthLambdaFunction', 'Arn'] }, 'live']] },
          }),
        ],
      }),
    );
  });

  it('walks the public route on the same schedule: rule -> API destination -> route, narrow role', () => {
    // Prepare
    const resources = template.Resources;
    // Act
    const rule = resources.RouteHeartbeatRule?.Properties;
    const destination = resources.RouteHeartbeatDestination?.Properties;
    const connection = resources.RouteHeartbeatConnection?.Properties;
    const role = resources.RouteHeartbeatRole?.Properties;
    // Assess
    expect(rule).toMatchObject({
      ScheduleExpression: 'rate(2 minutes)',
      State: { 'Fn::If': ['HeartbeatOn', 'ENABLED', 'DISABLED'] },
      Targets: [
        {
          Id: 'route',
          Arn: { 'Fn::GetAtt': ['RouteHeartbeatDestination', 'Arn'] },
          RoleArn: { 'Fn::GetAtt': ['RouteHeartbeatRole', 'Arn'] },
        },
      ],
    });
    expect(destination).toMatchObject({
      HttpMethod: 'GET',
      ConnectionArn: { 'Fn::GetAtt': ['RouteHeartbeatConnection', 'Arn'] },
      InvocationEndpoint: {
        'Fn::Join': ['', [{ 'Fn::GetAtt': ['HttpApi', 'ApiEndpoint'] }, '/health']],
      },
    });
    expect(connection).toMatchObject({
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: ROUTE_HEARTBEAT_HEADER,
          ApiKeyValue: ROUTE_HEARTBEAT_MARKER,
        },
      },
    });
    expect(role?.AssumeRolePolicyDocument).toMatchObject({
      Statement: [{ Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(role?.Policies).toStrictEqual([
      {
        PolicyName: 'invoke-the-route-heartbeat-destination',
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: 'events:InvokeApiDestination',
              Resource: { 'Fn::GetAtt': ['RouteHeartbeatDestination', 'Arn'] },
            },
          ],
        },
      },
    ]);
    expect(role?.PermissionsBoundary).toBeDefined();
  });

  it('alarms when no line came through the route in the window, missing data breaching', () => {
    expect(template.Resources.RouteHeartbeatAlarm?.Properties).toMatchObject({
      AlarmName: 'petsage-smoke-test-mon-route-heartbeat-missing',
      Namespace: 'PetSage/SmokeTest',
      MetricName: 'SmokeRouteLines',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    expect(Number(template.Resources.RouteHeartbeatAlarm?.Properties.Period)).toBe(600);
  });

  it('counts smoke, route and failure lines with JSON patterns from custom.smokeTest, by service and stage', () => {
    const filters = resourcesOfType(template, 'AWS::Logs::MetricFilter').map(
      ([, resource]) => resource.Properties,
    );
    expect(filters).toStrictEqual([
      {
        LogGroupName: { Ref: 'HealthLogGroup' },
        FilterPattern: '{ ($.event = "smoke_test_executed") && ($.level = "INFO") }',
        MetricTransformations: [
          {
            MetricNamespace: 'PetSage/SmokeTest',
            MetricName: 'SmokeLines',
            MetricValue: '1',
            Dimensions: [
              { Key: 'Service', Value: '$.service' },
              { Key: 'Stage', Value: '$.stage' },
            ],
          },
        ],
      },
      {
        LogGroupName: { Ref: 'HealthLogGroup' },
        FilterPattern: '{ ($.trigger = "route-heartbeat") || ($.trigger = "http") }',
        MetricTransformations: [
          {
            MetricNamespace: 'PetSage/SmokeTest',
            MetricName: 'SmokeRouteLines',
            MetricValue: '1',
            Dimensions: [
              { Key: 'Service', Value: '$.service' },
              { Key: 'Stage', Value: '$.stage' },
            ],
          },
        ],
      },
      {
        LogGroupName: { Ref: 'HealthLogGroup' },
        FilterPattern: '{ $.event = "smoke_test_failed" }',
        MetricTransformations: [
          {
            MetricNamespace: 'PetSage/SmokeTest',
            MetricName: 'SmokeFailures',
            MetricValue: '1',
            Dimensions: [
              { Key: 'Service', Value: '$.service' },
              { Key: 'Stage', Value: '$.stage' },
            ],
          },
        ],
      },
    ]);
  });

  it('selects the lines the handler really wrote and none of the decoys', async () => {
    // Prepare
    const [getLine, heartbeatLine, failureLine, routeLine] = await handlerLines();
    const decoys = [
      'START RequestId: 8189375a-0000 Version: $LATEST',
      'REPORT RequestId: 8189375a-0000 Duration: 1.20 ms smoke_test_executed',
      JSON.stringify({ level: 'INFO', event: 'other_event', message: 'smoke_test_executed' }),
      JSON.stringify({ detail: { event: 'smoke_test_executed' } }),
      '{"event":"smoke_test_executed", broken',
    ];
    const [smoke, route, failure] = resourcesOfType(template, 'AWS::Logs::MetricFilter').map(
      ([, resource]) => String(resource.Properties.FilterPattern),
    );
    // Act
    const counted =
      (pattern = '') =>
      (lines: (string | undefined)[]) =>
        lines.map((line) => filterMatches(pattern, line ?? ''));
    // Assess
    const all = [getLine, heartbeatLine, failureLine, routeLine];
    expect(counted(smoke)(all)).toStrictEqual([true, true, false, true]);
    // Through the route: any route call's line (a failure too: the route reached the function)
    // and the route heartbeat's; not the direct heartbeat's.
    expect(counted(route)(all)).toStrictEqual([true, false, true, true]);
    expect(counted(failure)(all)).toStrictEqual([false, false, true, false]);
    expect(counted(route)(decoys).some(Boolean)).toBe(false);
    expect(counted(smoke)(decoys).some(Boolean)).toBe(false);
    expect(JSON.parse(heartbeatLine ?? '{}')).toMatchObject({ trigger: 'schedule' });
  });

  it('alarms when no smoke line arrived in the window, missing data breaching', () => {
    const alarm = template.Resources.HeartbeatAlarm?.Properties;
    expect(alarm).toMatchObject({
      AlarmName: 'petsage-smoke-test-mon-heartbeat-missing',
      Namespace: 'PetSage/SmokeTest',
      MetricName: 'SmokeLines',
      Dimensions: [
        { Name: 'Service', Value: 'petsage-smoke-test' },
        { Name: 'Stage', Value: 'mon' },
      ],
      Statistic: 'Sum',
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
    // A --param arrives as a string; CloudFormation reads "600" as the number.
    expect(Number(alarm?.Period)).toBe(600);
  });

  it('alarms on any failure line', () => {
    expect(template.Resources.FailureAlarm?.Properties).toMatchObject({
      MetricName: 'SmokeFailures',
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('creates a topic for an alarm e-mail and sends it ALARM and OK transitions', () => {
    const template2 = template as unknown as {
      Parameters: Record<string, { Default: string }>;
      Resources: Record<string, { Condition?: string; Properties: Record<string, unknown> }>;
      Outputs: Record<string, { Condition?: string }>;
    };
    expect(template2.Parameters.AlarmEmail?.Default).toBe('oncall@example.com');
    expect(template2.Resources.AlarmTopic).toMatchObject({
      Condition: 'CreatesAlarmTopic',
      Properties: { Subscription: [{ Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } }] },
    });
    const actions = {
      'Fn::If': [
        'HasAlarmNotifications',
        [{ 'Fn::If': ['HasAlarmTopicArn', { Ref: 'AlarmTopicArn' }, { Ref: 'AlarmTopic' }] }],
        { Ref: 'AWS::NoValue' },
      ],
    };
    for (const name of ['HeartbeatAlarm', 'RouteHeartbeatAlarm', 'FailureAlarm']) {
      expect(template2.Resources[name]?.Properties).toMatchObject({
        AlarmActions: actions,
        OKActions: actions,
      });
    }
    expect(template2.Outputs.AlarmTopicArn?.Condition).toBe('HasAlarmNotifications');
  });

  it('lets only this stage’s alarms and the deploy role publish to the alarm topic', () => {
    // Prepare
    const policy = template.Resources.AlarmTopicPolicy as unknown as {
      Condition: string;
      Properties: { Topics: unknown[]; PolicyDocument: TopicPolicyDocument };
    };
    // Act
    const problems = topicPolicyProblems(policy.Properties.PolicyDocument);
    // Assess
    expect(policy.Condition).toBe('CreatesAlarmTopic');
    expect(policy.Properties.Topics).toStrictEqual([{ Ref: 'AlarmTopic' }]);
    expect(problems).toStrictEqual([]);
  });

  it.each([
    [
      'without the deny for everyone else',
      (d: TopicPolicyDocument) => d.Statement.filter((x) => x.Effect !== 'Deny'),
    ],
    [
      'with every alarm of the account',
      (d: TopicPolicyDocument) =>
        d.Statement.map((x) =>
          typeof x.Principal === 'object' && x.Principal.Service
            ? { ...x, Condition: { ArnLike: { 'aws:SourceArn': '*' } } }
            : x,
        ),
    ],
  ])('would refuse a topic policy %s (the check can fail)', (_name, loosen) => {
    // Prepare
    const policy = structuredClone(
      (
        template.Resources.AlarmTopicPolicy as unknown as {
          Properties: { PolicyDocument: TopicPolicyDocument };
        }
      ).Properties.PolicyDocument,
    );
    // Act
    const problems = topicPolicyProblems({ ...policy, Statement: loosen(policy) });
    // Assess
    expect(problems).toHaveLength(1);
  });

  it('names the alarms and the saved query in the outputs', () => {
    expect(template.Outputs).toMatchObject({
      HeartbeatAlarmName: { Value: { Ref: 'HeartbeatAlarm' } },
      RouteHeartbeatAlarmName: { Value: { Ref: 'RouteHeartbeatAlarm' } },
      FailureAlarmName: { Value: { Ref: 'FailureAlarm' } },
      SmokeLinesQueryName: { Value: 'petsage-smoke-test/mon/smoke-lines' },
    });
  });

  it('saves a Logs Insights query for the smoke lines on the function log group', () => {
    const query = only('AWS::Logs::QueryDefinition');
    expect(query).toMatchObject({
      Name: 'petsage-smoke-test/mon/smoke-lines',
      LogGroupNames: [{ Ref: 'HealthLogGroup' }],
    });
    expect(String(query.QueryString)).toMatch(
      /fields @timestamp, trigger, schedule_rule, correlation_id, .*release_id, .*cold_start/,
    );
  });

  it('binds every dashboard widget to a metric, alarm or log group the stack really has', () => {
    // Prepare: the body as CloudFormation's Fn::Sub makes it, with stand-in physical ids.
    const subbed = template.Resources.SmokeDashboard?.Properties.DashboardBody as
      | { 'Fn::Sub': [string, Record<string, string>] }
      | undefined;
    const [body, values] = subbed?.['Fn::Sub'] ?? ['{"widgets":[]}', {}];
    const resources = template.Resources;
    const substituted = body.replace(/\$\{([^}]+)\}/g, (_all, name: string) => {
      if (name in values) return values[name] as string;
      if (name === 'AWS::Region') return 'us-east-1';
      const [id, attribute] = name.split('.');
      expect(resources, `\${${name}} names no resource`).toHaveProperty(String(id));
      return attribute === 'Arn' ? `arn:aws:cloudwatch:us-east-1:1:alarm:${id}` : `physical-${id}`;
    });
    const dashboard = JSON.parse(substituted) as {
      widgets: { type: string; properties: Record<string, unknown> }[];
    };
    const filters = resourcesOfType(template, 'AWS::Logs::MetricFilter').map(
      ([, r]) => (r.Properties.MetricTransformations as { MetricName: string }[])[0]?.MetricName,
    );
    const stage = publicStage();
    // Act
    const metrics = dashboard.widgets
      .filter((widget) => widget.type === 'metric')
      .flatMap((widget) => widget.properties.metrics as (string | object)[][])
      .map((metric) => metric.filter((part) => typeof part === 'string') as string[]);
    const alarms = dashboard.widgets
      .filter((widget) => widget.type === 'alarm')
      .flatMap((widget) => widget.properties.alarms as string[]);
    const logs = dashboard.widgets.filter((widget) => widget.type === 'log');
    // Assess: each metric exactly as the stack emits it (namespace, name, dimensions).
    for (const [namespace, name, ...dimensions] of metrics) {
      if (namespace === 'PetSage/SmokeTest') {
        expect(filters).toContain(name);
        expect(dimensions).toStrictEqual(['Service', 'petsage-smoke-test', 'Stage', 'mon']);
      } else if (namespace === 'AWS/Lambda') {
        expect(['Invocations', 'Errors', 'Throttles', 'Duration']).toContain(name);
        expect(dimensions).toStrictEqual(['FunctionName', 'physical-HealthLambdaFunction']);
      } else {
        expect(namespace).toBe('AWS/ApiGateway');
        expect(['Count', '4xx', '5xx', 'Latency']).toContain(name);
        expect(dimensions).toStrictEqual(['ApiId', 'physical-HttpApi', 'Stage', stage.StageName]);
      }
    }
    expect(metrics.map(([namespace]) => namespace)).toEqual(
      expect.arrayContaining(['PetSage/SmokeTest', 'AWS/Lambda', 'AWS/ApiGateway']),
    );
    expect(alarms.map((arn) => arn.split(':').at(-1)).sort()).toStrictEqual([
      'FailureAlarm',
      'HeartbeatAlarm',
      'RouteHeartbeatAlarm',
    ]);
    expect(String(logs[0]?.properties.query)).toMatch(/^SOURCE 'physical-HealthLogGroup' \|/);
    expect(template.Outputs.DashboardUrl).toMatchObject({ Condition: 'HasDashboard' });
  });

  it('applies the caps from params', () => {
    expect(only('AWS::Lambda::Function').ReservedConcurrentExecutions).toBe(3);
    const settings = publicStage().DefaultRouteSettings as Record<string, unknown>;
    expect([
      Number(settings.ThrottlingRateLimit),
      Number(settings.ThrottlingBurstLimit),
    ]).toStrictEqual([7, 9]);
  });
});
