// The monitoring the plugin generates from custom.smokeTest at package time: metric filters on the
// function's own lines, the route heartbeat (EventBridge calls the public route), the alarms, the
// alarm topic and who may publish to it, and the outputs the gate's CLI reads.

import type { SmokeContract } from '../core/contract.ts';
import type { MonitoringSettings } from './monitoring-config.ts';
import { allPairsPattern, anyValuePattern } from './monitoring-patterns.ts';

/** A CloudFormation fragment: resources and what they need around them. */
export interface Fragment {
  Parameters: Record<string, unknown>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, unknown>;
  Outputs: Record<string, unknown>;
}

/** What the generator knows of the service. */
export interface MonitoredService {
  name: string;
  stage: string;
  /** Logical ids of the function and its log group. */
  functionId: string;
  logGroupId: string;
  /** The route's full URL (an intrinsic), and the roles' permissions boundary, if any. */
  endpointUrl: unknown;
  boundary: unknown;
  contract: SmokeContract;
  monitoring: MonitoringSettings;
}

const topic = { 'Fn::If': ['HasAlarmTopicArn', { Ref: 'AlarmTopicArn' }, { Ref: 'AlarmTopic' }] };
const alarmActions = { 'Fn::If': ['HasAlarmNotifications', [topic], { Ref: 'AWS::NoValue' }] };

/** The template parameters (defaulted from custom.smokeTest) and the conditions built on them. */
function parametersAndConditions(
  monitoring: MonitoringSettings,
): Pick<Fragment, 'Parameters' | 'Conditions'> {
  const switchParameter = (on: boolean, description: string) => ({
    Type: 'String',
    Default: `enabled=${on}`,
    AllowedValues: ['enabled=true', 'enabled=false'],
    Description: description,
  });
  return {
    Parameters: {
      HeartbeatEnabled: switchParameter(
        monitoring.heartbeat,
        'Whether the heartbeats (direct schedule and route) run',
      ),
      DashboardEnabled: switchParameter(
        monitoring.dashboard,
        'Whether the stack has its CloudWatch dashboard',
      ),
      AlarmEmail: {
        Type: 'String',
        Default: monitoring.alarmEmail,
        Description: 'E-mail that receives the alarms (a topic is created); empty for none',
      },
      AlarmTopicArn: {
        Type: 'String',
        Default: monitoring.alarmTopicArn,
        Description: 'Existing SNS topic ARN that receives the alarms; empty for none',
      },
    },
    Conditions: {
      HeartbeatOn: { 'Fn::Equals': [{ Ref: 'HeartbeatEnabled' }, 'enabled=true'] },
      HasDashboard: { 'Fn::Equals': [{ Ref: 'DashboardEnabled' }, 'enabled=true'] },
      HasAlarmEmail: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmEmail' }, ''] }] },
      HasAlarmTopicArn: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlarmTopicArn' }, ''] }] },
      CreatesAlarmTopic: {
        'Fn::And': [
          { Condition: 'HasAlarmEmail' },
          { 'Fn::Not': [{ Condition: 'HasAlarmTopicArn' }] },
        ],
      },
      HasAlarmNotifications: {
        'Fn::Or': [{ Condition: 'HasAlarmEmail' }, { Condition: 'HasAlarmTopicArn' }],
      },
    },
  };
}

/** A metric filter counting the lines a pattern selects. */
function metricFilter(service: MonitoredService, pattern: string, metricName: string) {
  const dimensions = Object.entries(service.monitoring.dimensions).map(([Key, { key }]) => ({
    Key,
    Value: `$.${key}`,
  }));
  return {
    Type: 'AWS::Logs::MetricFilter',
    Properties: {
      LogGroupName: { Ref: service.logGroupId },
      FilterPattern: pattern,
      MetricTransformations: [
        {
          MetricNamespace: service.monitoring.namespace,
          MetricName: metricName,
          MetricValue: '1',
          ...(dimensions.length > 0 ? { Dimensions: dimensions } : {}),
        },
      ],
    },
  };
}

/** An alarm on one of the metrics above: `missing` alarms when too few lines, else on any. */
function alarm(
  service: MonitoredService,
  name: string,
  metric: string,
  description: string,
  missing: boolean,
) {
  const { monitoring } = service;
  const dimensions = Object.entries(monitoring.dimensions).map(([Name, { value }]) => ({
    Name,
    Value: value,
  }));
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `${service.name}-${service.stage}-${name}`,
      AlarmDescription: description,
      Namespace: monitoring.namespace,
      MetricName: metric,
      ...(dimensions.length > 0 ? { Dimensions: dimensions } : {}),
      Statistic: 'Sum',
      Period: missing ? monitoring.windowSeconds : 60,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: missing ? 'LessThanThreshold' : 'GreaterThanOrEqualToThreshold',
      TreatMissingData: missing ? 'breaching' : 'notBreaching',
      AlarmActions: alarmActions,
      OKActions: alarmActions,
    },
  };
}

/** Metric filters on the function's own lines: every smoke line, through the route, failures. */
export function metricFilters(service: MonitoredService): Record<string, unknown> {
  const { contract, monitoring } = service;
  const formats = contract.logLine.formats;
  const { failureLine: failure, routeLine: route } = monitoring;
  return {
    SmokeLineMetricFilter: metricFilter(
      service,
      allPairsPattern(contract.logLine.json, formats),
      'SmokeLines',
    ),
    ...(route === undefined
      ? {}
      : {
          SmokeRouteLineMetricFilter: metricFilter(
            service,
            anyValuePattern(route.key, route.values, formats),
            'SmokeRouteLines',
          ),
        }),
    ...(failure === undefined
      ? {}
      : {
          SmokeFailureMetricFilter: metricFilter(
            service,
            allPairsPattern(failure, formats),
            'SmokeFailures',
          ),
        }),
  };
}

/** The heartbeat alarm on the smoke lines, and the failure alarm when there is a failure line. */
export function lineAlarms(service: MonitoredService): Record<string, unknown> {
  const failure = service.monitoring.failureLine;
  return {
    HeartbeatAlarm: alarm(
      service,
      'heartbeat-missing',
      'SmokeLines',
      'The function wrote no smoke line in the window, by any trigger (function, direct schedule, permissions, log level or log group broken)',
      true,
    ),
    ...(failure === undefined
      ? {}
      : {
          FailureAlarm: alarm(
            service,
            'smoke-failed',
            'SmokeFailures',
            'The function wrote a failure line',
            false,
          ),
        }),
  };
}

/** May invoke the heartbeat's destination and nothing else (under the roles' boundary). */
function heartbeatRole(service: MonitoredService) {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      RoleName: {
        'Fn::Sub': `${service.name}-${service.stage}-${'$'}{AWS::Region}-route-heartbeat`,
      },
      ...(service.boundary === undefined ? {} : { PermissionsBoundary: service.boundary }),
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
      Policies: [
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
      ],
    },
  };
}

/** The route heartbeat: rule -> API destination -> the public route, with its marker header. */
export function routeHeartbeat(service: MonitoredService): Record<string, unknown> {
  const route = service.monitoring.routeLine;
  if (route === undefined) return {};
  const name = `${service.name}-${service.stage}-route-heartbeat`;
  return {
    // EventBridge requires an authorization type; the "API key" is a fixed, public marker header
    // (kept in a Secrets Manager secret of EventBridge's own). It is never a credential.
    RouteHeartbeatConnection: {
      Type: 'AWS::Events::Connection',
      Properties: {
        Name: name,
        Description: "Marks the route heartbeat's calls with a public, non-secret header",
        AuthorizationType: 'API_KEY',
        AuthParameters: {
          ApiKeyAuthParameters: { ApiKeyName: route.header.name, ApiKeyValue: route.header.value },
        },
      },
    },
    RouteHeartbeatDestination: {
      Type: 'AWS::Events::ApiDestination',
      Properties: {
        Name: name,
        Description: "The stack's own public health route",
        ConnectionArn: { 'Fn::GetAtt': ['RouteHeartbeatConnection', 'Arn'] },
        InvocationEndpoint: service.endpointUrl,
        HttpMethod: 'GET',
        InvocationRateLimitPerSecond: 1,
      },
    },
    RouteHeartbeatRole: heartbeatRole(service),
    RouteHeartbeatRule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: name,
        Description: 'Route heartbeat (EventBridge calls GET on the public route)',
        ScheduleExpression: service.monitoring.schedule,
        State: { 'Fn::If': ['HeartbeatOn', 'ENABLED', 'DISABLED'] },
        Targets: [
          {
            Id: 'route',
            Arn: { 'Fn::GetAtt': ['RouteHeartbeatDestination', 'Arn'] },
            RoleArn: { 'Fn::GetAtt': ['RouteHeartbeatRole', 'Arn'] },
          },
        ],
      },
    },
    RouteHeartbeatAlarm: alarm(
      service,
      'route-heartbeat-missing',
      'SmokeRouteLines',
      "No smoke line came through the route in the window (API Gateway route, stage, throttling, integration or permission broken, or the route heartbeat off). Any call to the route counts, and anyone can send the heartbeat's public marker header, so outside traffic can keep this alarm OK while the heartbeat's API destination is broken; it still proves the route itself.",
      true,
    ),
  };
}

/** Only this stage's alarms and the deploy role publish; a deny holds against anyone else. */
function topicStatements(service: MonitoredService): unknown[] {
  const sub = (text: string) => ({ 'Fn::Sub': text });
  const account = (rest: string) => sub(`arn:${'$'}{AWS::Partition}:${rest}`);
  const deployRole = account(
    `iam::${'$'}{AWS::AccountId}:role/${service.monitoring.deployRoleName}`,
  );
  const publish = { Action: 'sns:Publish', Resource: { Ref: 'AlarmTopic' } };
  const alarms = `cloudwatch:${'$'}{AWS::Region}:${'$'}{AWS::AccountId}:alarm:${service.name}-${service.stage}-*`;
  return [
    {
      Sid: 'ThisStagesAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      ...publish,
      Condition: { ArnLike: { 'aws:SourceArn': account(alarms) } },
    },
    {
      Sid: 'TheDeployRolePublishesTheGateEvents',
      Effect: 'Allow',
      Principal: { AWS: account(`iam::${'$'}{AWS::AccountId}:root`) },
      ...publish,
      Condition: { ArnEquals: { 'aws:PrincipalArn': deployRole } },
    },
    {
      Sid: 'NobodyElsePublishesWhateverTheirOwnPolicySays',
      Effect: 'Deny',
      Principal: '*',
      ...publish,
      Condition: {
        StringNotEquals: { 'aws:PrincipalServiceName': 'cloudwatch.amazonaws.com' },
        ArnNotEquals: { 'aws:PrincipalArn': deployRole },
      },
    },
  ];
}

/** The alarm topic for an e-mail, and who may publish to it. */
export function alarmTopic(service: MonitoredService): Record<string, unknown> {
  return {
    AlarmTopic: {
      Type: 'AWS::SNS::Topic',
      Condition: 'CreatesAlarmTopic',
      Properties: {
        DisplayName: `Smoke test ${service.name} ${service.stage}`.slice(0, 100),
        Subscription: [{ Protocol: 'email', Endpoint: { Ref: 'AlarmEmail' } }],
      },
    },
    // Nobody else in the account can send the topic's readers a fake PASS or a fake ALARM.
    AlarmTopicPolicy: {
      Type: 'AWS::SNS::TopicPolicy',
      Condition: 'CreatesAlarmTopic',
      Properties: {
        Topics: [{ Ref: 'AlarmTopic' }],
        PolicyDocument: { Version: '2012-10-17', Statement: topicStatements(service) },
      },
    },
  };
}

export { parametersAndConditions };
