// biome-ignore-all lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub strings, not JS.
import { describe, expect, it } from 'vitest';
import { readContract } from '../../../../packages/smoke-gate/src/core/contract-config.ts';
import { readMonitoring } from '../../../../packages/smoke-gate/src/plugin/monitoring-config.ts';
import {
  lineAlarms,
  metricFilters,
} from '../../../../packages/smoke-gate/src/plugin/monitoring-resources.ts';

const service = (monitoring: Record<string, unknown>, format = 'lambda-text') => {
  const names = { name: 'orders', stage: 'prod' };
  return {
    ...names,
    functionId: 'PingLambdaFunction',
    logGroupId: 'PingLogGroup',
    endpointUrl: 'https://api.example.com/ping',
    boundary: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:policy/b' },
    contract: readContract({ logLine: { format, json: { msg: 'ping_done' } } }, '/ping'),
    monitoring: readMonitoring(monitoring, names) as NonNullable<ReturnType<typeof readMonitoring>>,
  };
};

describe('the generated monitoring resources', () => {
  it('count the configured line on the service’s log group, with no dimensions by default', () => {
    expect(metricFilters(service({})).SmokeLineMetricFilter).toStrictEqual({
      Type: 'AWS::Logs::MetricFilter',
      Properties: {
        LogGroupName: { Ref: 'PingLogGroup' },
        FilterPattern:
          '%[^A-Za-z0-9_]msg[^A-Za-z0-9_]{1,3}:[^A-Za-z0-9_]{0,3}ping_done[^A-Za-z0-9_]%',
        MetricTransformations: [
          { MetricNamespace: 'SmokeGate/orders/prod', MetricName: 'SmokeLines', MetricValue: '1' },
        ],
      },
    });
  });

  it('alarm when no line arrived in the window, and on any failure line when one is described', () => {
    // Act
    const alarms = lineAlarms(service({ windowSeconds: 600, failureLine: { msg: 'ping_failed' } }));
    // Assess
    expect(alarms).toMatchObject({
      HeartbeatAlarm: {
        Properties: {
          AlarmName: 'orders-prod-heartbeat-missing',
          Period: 600,
          TreatMissingData: 'breaching',
        },
      },
      FailureAlarm: {
        Properties: {
          AlarmName: 'orders-prod-smoke-failed',
          Period: 60,
          TreatMissingData: 'notBreaching',
        },
      },
    });
  });
});
