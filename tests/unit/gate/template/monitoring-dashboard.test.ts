// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS.
import { describe, expect, it } from 'vitest';
import { readContract } from '../../../../packages/smoke-gate/src/core/contract-config.ts';
import { readMonitoring } from '../../../../packages/smoke-gate/src/template/monitoring-config.ts';
import {
  dashboard,
  monitoringOutputs,
  smokeQuery,
} from '../../../../packages/smoke-gate/src/template/monitoring-dashboard.ts';

const names = { name: 'orders', stage: 'prod' };
const service = {
  ...names,
  functionId: 'PingLambdaFunction',
  logGroupId: 'PingLogGroup',
  endpointUrl: 'https://api.example.com/ping',
  boundary: undefined,
  contract: readContract(
    { logLine: { json: { msg: 'ping_done' }, required: ['service'], correlationKey: 'trace' } },
    '/ping',
  ),
  monitoring: readMonitoring({}, names) as NonNullable<ReturnType<typeof readMonitoring>>,
};

describe('the generated dashboard, query and outputs', () => {
  it('query the contract’s own keys on the service’s log group', () => {
    expect(smokeQuery(service).SmokeLinesQuery).toMatchObject({
      Properties: {
        Name: 'orders/prod/smoke-lines',
        LogGroupNames: [{ Ref: 'PingLogGroup' }],
        QueryString:
          'fields @timestamp, trace, msg, service\n| filter msg = "ping_done"\n| sort @timestamp desc\n| limit 200\n',
      },
    });
  });

  it('bind the dashboard to the metrics and alarms the service has, nothing else', () => {
    // Act
    const body = (
      dashboard(service, ['HeartbeatAlarm']).SmokeDashboard as {
        Properties: { DashboardBody: { 'Fn::Sub': [string, object] } };
      }
    ).Properties.DashboardBody['Fn::Sub'][0];
    const widgets = JSON.parse(body).widgets as {
      type: string;
      properties: { metrics?: unknown[][]; alarms?: string[] };
    }[];
    // Assess
    expect(widgets[1]?.properties.metrics).toStrictEqual([['SmokeGate/orders/prod', 'SmokeLines']]);
    expect(widgets.find((w) => w.type === 'alarm')?.properties.alarms).toStrictEqual([
      '${HeartbeatAlarm.Arn}',
    ]);
    expect(body.match(/\$\{[^}]+\}/g)?.sort()).toStrictEqual(
      expect.arrayContaining([
        '${AWS::Region}',
        '${HttpApi}',
        '${PingLambdaFunction}',
        '${PingLogGroup}',
      ]),
    );
  });

  it('output the names of the alarms that exist, and the query’s', () => {
    expect(Object.keys(monitoringOutputs(service, new Set(['HeartbeatAlarm'])))).toStrictEqual([
      'HeartbeatAlarmName',
      'AlarmTopicArn',
      'DashboardUrl',
      'SmokeLinesQueryName',
    ]);
  });
});
