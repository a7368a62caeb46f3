import { describe, expect, it } from 'vitest';
import {
  lineAlarms,
  metricFilters,
} from '../../../../packages/smoke-gate/src/template/monitoring-resources.ts';
import { monitoredService } from '../../../helpers/monitored-service.ts';

const service = monitoredService;

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
    const alarms = lineAlarms(
      service({ windowSeconds: 600, directHeartbeat: true, failureLine: { msg: 'ping_failed' } }),
    );
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
