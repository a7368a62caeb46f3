// The monitoring the plugin generates from custom.smokeTest at package time: the template's
// switches, metric filters on the function's own lines and the alarms on them. The route
// heartbeat is in monitoring-route.ts, the alarm topic in monitoring-topic.ts.

import type { SmokeContract } from '../core/contract.ts';
import { heartbeatsOf, type MonitoringSettings } from './monitoring-config.ts';
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
export function alarm(
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
      allPairsPattern(contract.logLine.json, formats, 'logLine.json'),
      'SmokeLines',
    ),
    ...(route === undefined
      ? {}
      : {
          SmokeRouteLineMetricFilter: metricFilter(
            service,
            anyValuePattern(route.key, route.values, formats, 'monitoring.routeLine'),
            'SmokeRouteLines',
          ),
        }),
    ...(failure === undefined
      ? {}
      : {
          SmokeFailureMetricFilter: metricFilter(
            service,
            allPairsPattern(failure, formats, 'monitoring.failureLine'),
            'SmokeFailures',
          ),
        }),
  };
}

/**
 * The heartbeat alarm on the smoke lines, when a heartbeat runs (a quiet stage without one would
 * breach it), and the failure alarm when there is a failure line.
 */
export function lineAlarms(service: MonitoredService): Record<string, unknown> {
  const failure = service.monitoring.failureLine;
  const heartbeats = heartbeatsOf(service.monitoring);
  return {
    ...(heartbeats.direct || heartbeats.route
      ? {
          HeartbeatAlarm: alarm(
            service,
            'heartbeat-missing',
            'SmokeLines',
            'The function wrote no smoke line in the window, by any trigger (function, direct schedule, permissions, log level or log group broken)',
            true,
          ),
        }
      : {}),
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

export { parametersAndConditions };
