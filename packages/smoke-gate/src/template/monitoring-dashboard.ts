// Something to look at when paged: the dashboard (every widget bound to a metric, alarm or log
// group the stack has), the saved Logs Insights query, and the outputs the gate's CLI reads.

import type { MonitoredService } from './monitoring-resources.ts';

/** `${name}`: what Fn::Sub replaces with a resource's name or a pseudo parameter. */
const ref = (name: string): string => `\${${name}}`;
const REGION = ref('AWS::Region');

/** The fields the saved query shows: the configured ones, else the contract's keys. */
function queryFields(service: MonitoredService): string[] {
  const { contract, monitoring } = service;
  if (monitoring.queryFields.length > 0) return monitoring.queryFields;
  const keys = [
    contract.logLine.correlationKey,
    ...Object.keys(contract.logLine.json),
    ...contract.logLine.required,
  ];
  return [...new Set(keys)];
}

/** The Logs Insights filter for the smoke (and failure) lines. */
function queryFilter(service: MonitoredService): string {
  const pairs = [service.contract.logLine.json, service.monitoring.failureLine ?? {}].flatMap(
    (json) => Object.entries(json).slice(0, 1),
  );
  const conditions = pairs.map(([key, value]) => `${key} = ${JSON.stringify(value)}`);
  return conditions.length === 0
    ? `ispresent(${service.contract.logLine.correlationKey})`
    : conditions.join(' or ');
}

/** The saved query: the newest smoke lines on the function's log group. */
export function smokeQuery(service: MonitoredService): Record<string, unknown> {
  return {
    SmokeLinesQuery: {
      Type: 'AWS::Logs::QueryDefinition',
      Properties: {
        Name: `${service.name}/${service.stage}/smoke-lines`,
        LogGroupNames: [{ Ref: service.logGroupId }],
        QueryString: [
          `fields @timestamp, ${queryFields(service).join(', ')}`,
          `| filter ${queryFilter(service)}`,
          '| sort @timestamp desc',
          '| limit 200',
          '',
        ].join('\n'),
      },
    },
  };
}

/** One metric widget of the dashboard. */
const metricWidget = (x: number, y: number, title: string, metrics: unknown[], stat?: string) => ({
  type: 'metric',
  x,
  y,
  width: 12,
  height: 6,
  properties: {
    title,
    region: REGION,
    ...(stat ? { stat } : {}),
    period: 300,
    view: 'timeSeries',
    metrics,
  },
});

/** The smoke metrics as the filters emit them: namespace, name, dimensions. */
function smokeMetrics(service: MonitoredService): string[][] {
  const { monitoring } = service;
  const dimensions = Object.entries(monitoring.dimensions).flatMap(([name, { value }]) => [
    name,
    value,
  ]);
  return ['SmokeLines', 'SmokeRouteLines', 'SmokeFailures']
    .filter((metric) => metric !== 'SmokeRouteLines' || monitoring.routeLine !== undefined)
    .filter((metric) => metric !== 'SmokeFailures' || monitoring.failureLine !== undefined)
    .map((metric) => [monitoring.namespace, metric, ...dimensions]);
}

/** The function's and the route's own metrics. */
function awsWidgets(service: MonitoredService): unknown[] {
  const fn = ['FunctionName', ref(service.functionId)];
  const api = ['ApiId', ref('HttpApi'), 'Stage', '$default'];
  const percentiles = (metric: string[]) => ['p50', 'p99'].map((stat) => [...metric, { stat }]);
  return [
    metricWidget(
      0,
      7,
      'Function: invocations, errors, throttles',
      ['Invocations', 'Errors', 'Throttles'].map((name) => ['AWS/Lambda', name, ...fn]),
      'Sum',
    ),
    metricWidget(
      12,
      7,
      'Function duration p50 / p99 (ms)',
      percentiles(['AWS/Lambda', 'Duration', ...fn]),
    ),
    metricWidget(
      0,
      13,
      'Route: requests, 4xx, 5xx',
      ['Count', '4xx', '5xx'].map((name) => ['AWS/ApiGateway', name, ...api]),
      'Sum',
    ),
    metricWidget(
      12,
      13,
      'Route latency p50 / p99 (ms)',
      percentiles(['AWS/ApiGateway', 'Latency', ...api]),
    ),
  ];
}

/** The dashboard, its body substituted by CloudFormation (physical names, the region). */
export function dashboard(service: MonitoredService, alarmIds: string[]): Record<string, unknown> {
  const box = (type: string, x: number, y: number, width: number, height: number) => ({
    type,
    x,
    y,
    width,
    height,
  });
  const widgets = [
    {
      ...box('text', 0, 0, 24, 1),
      properties: {
        markdown: `Smoke test ${service.name}, stage ${service.stage}: the smoke lines, the gate's alarms, the function and the route`,
      },
    },
    metricWidget(0, 1, 'Smoke lines', smokeMetrics(service), 'Sum'),
    // CloudWatch refuses an alarm widget with no alarms: a stage without any has none.
    ...(alarmIds.length === 0
      ? []
      : [
          {
            ...box('alarm', 12, 1, 12, 6),
            properties: {
              title: 'Smoke test alarms',
              alarms: alarmIds.map((id) => ref(`${id}.Arn`)),
            },
          },
        ]),
    ...awsWidgets(service),
    {
      ...box('log', 0, 19, 24, 6),
      properties: {
        title: 'Latest smoke lines',
        region: REGION,
        view: 'table',
        query: `SOURCE '${ref(service.logGroupId)}' | fields @timestamp, ${queryFields(service).join(', ')} | filter ${queryFilter(service).replaceAll('"', "'")} | sort @timestamp desc | limit 20`,
      },
    },
  ];
  return {
    SmokeDashboard: {
      Type: 'AWS::CloudWatch::Dashboard',
      Condition: 'HasDashboard',
      Properties: {
        DashboardName: `${service.name}-${service.stage}`,
        // Fn::Sub fills in the physical names; the body holds no other ${...}.
        DashboardBody: { 'Fn::Sub': [JSON.stringify({ widgets }), {}] },
      },
    },
  };
}

/** The outputs the gate's CLI reads (same keys in every service), and the monitoring's names. */
export function monitoringOutputs(
  service: MonitoredService,
  alarms: Set<string>,
): Record<string, unknown> {
  const alarmOutput = (id: string, description: string) =>
    alarms.has(id) ? { [`${id}Name`]: { Description: description, Value: { Ref: id } } } : {};
  return {
    ...alarmOutput('HeartbeatAlarm', 'Alarm when no smoke line arrived for the heartbeat window'),
    ...alarmOutput(
      'RouteHeartbeatAlarm',
      'Alarm when no smoke line came through the route for the heartbeat window',
    ),
    ...alarmOutput('FailureAlarm', 'Alarm on any smoke-test failure line'),
    AlarmTopicArn: {
      Condition: 'HasAlarmNotifications',
      Description: "SNS topic that receives the alarms' ALARM and OK transitions",
      Value: { 'Fn::If': ['HasAlarmTopicArn', { Ref: 'AlarmTopicArn' }, { Ref: 'AlarmTopic' }] },
    },
    DashboardUrl: {
      Condition: 'HasDashboard',
      Description: "The stack's CloudWatch dashboard in the console",
      Value: {
        'Fn::Sub': `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards:name=${ref('SmokeDashboard')}`,
      },
    },
    SmokeLinesQueryName: {
      Description: 'Saved CloudWatch Logs Insights query for the smoke lines',
      Value: `${service.name}/${service.stage}/smoke-lines`,
    },
  };
}
